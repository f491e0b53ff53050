"""A bare follow-up (好了没, 然后呢, 在哪看) on a verified order is read with what the shopper
last asked about the order, never answered with "not understood"."""

import uuid

import pytest

from bot.actions.fallback import ActionClarify
from tests.bot.conftest import after_an_order_request, make_tracker, responses

CLARIFYING = {"utter_default", "utter_clarify_intent", "utter_clarify_options"}


def _after(situation: str, request: str, intent: str, text: str):
    return after_an_order_request(situation, request, intent, text)


@pytest.mark.parametrize("follow_up", ["好了没", "嗯 然后呢", "那现在呢", "要多久"])
async def test_a_shopper_who_asks_if_it_is_done_after_the_refund_gets_the_refund_again(
    db, dispatcher, follow_up
):
    tracker, order_no = _after("refund_in_progress", "钱退了没有", "ask_refund_status", follow_up)
    await ActionClarify().run(dispatcher, tracker, {})
    assert not CLARIFYING.intersection(responses(dispatcher))
    text = dispatcher.messages[0]["text"]
    assert order_no in text
    assert "退" in text


async def test_a_shopper_who_asks_and_now_after_the_tracking_gets_the_parcels_state(db, dispatcher):
    tracker, order_no = _after("in_transit", "帮我看看发到哪了", "track_order", "那现在呢")
    await ActionClarify().run(dispatcher, tracker, {})
    assert not CLARIFYING.intersection(responses(dispatcher))
    assert order_no in dispatcher.messages[0]["text"]


async def test_a_bare_follow_up_with_no_order_verified_is_still_asked_back(db, dispatcher):
    tracker = make_tracker(text="然后呢", intent="nlu_fallback")
    tracker.sender_id = uuid.uuid4().hex
    await ActionClarify().run(dispatcher, tracker, {})
    assert "verified" not in str(dispatcher.messages)
    assert dispatcher.messages  # the usual clarification (or the FAQ), nothing on an order
