"""A closing the NLU did not place (好 我再想想) is a goodbye, never "did not understand"."""

import uuid

import pytest

from bot.actions.fallback import ActionClarify
from tests.bot.conftest import make_tracker, responses


@pytest.mark.parametrize("text", ["好 我再想想", "算了不用了 我让同事帮我收 谢谢", "行 先这样吧"])
async def test_a_closing_not_understood_is_answered_as_a_goodbye(dispatcher, text):
    tracker = make_tracker(text=text, intent="nlu_fallback")
    tracker.sender_id = uuid.uuid4().hex
    await ActionClarify().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_closing_later"]
    assert not dispatcher.messages[0].get("buttons")


async def test_a_question_after_giving_up_is_still_read_for_its_meaning(dispatcher):
    tracker = make_tracker(text="算了 那这个运费怎么算", intent="nlu_fallback")
    tracker.sender_id = uuid.uuid4().hex
    await ActionClarify().run(dispatcher, tracker, {})
    assert "utter_closing_later" not in responses(dispatcher)
