"""A yes with nothing waiting for it: a confirmation (确认换, the 确认 of a lapsed offer) is
told nothing waits and nothing was changed; a plain 好的 is asked what else is needed."""

import pytest

from bot.actions.bare_yes import ActionAnswerBareYes
from bot.actions.order_lookup import ActionAnswerPendingRequest
from tests.bot.conftest import make_tracker, responses


@pytest.mark.parametrize("text", ["确认换", "确认", "/affirm", "好 确定"])
@pytest.mark.parametrize("action", [ActionAnswerBareYes, ActionAnswerPendingRequest])
async def test_a_confirmation_with_nothing_waiting_is_told_nothing_was_changed(
    db, dispatcher, action, text
):
    await action().run(dispatcher, make_tracker(text=text, intent="affirm"), {})
    assert responses(dispatcher) == ["utter_nothing_to_confirm"]


async def test_a_plain_yes_with_nothing_waiting_is_asked_what_else_is_needed(db, dispatcher):
    await ActionAnswerBareYes().run(dispatcher, make_tracker(text="好的", intent="affirm"), {})
    assert responses(dispatcher) == ["utter_anything_else"]
