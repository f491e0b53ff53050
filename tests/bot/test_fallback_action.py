"""Not understood: never the same words twice in a row; the likely meanings, then a human."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from bot.actions.clarify import missed_in_a_row
from bot.actions.fallback import ActionClarify
from conversations.models import Escalation
from tests.bot.conftest import make_tracker, responses

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "track_order", "confidence": 0.30},
    {"name": "faq", "confidence": 0.10},
    {"name": "cancel_order", "confidence": 0.08},
]


def _user(intent: str = "nlu_fallback") -> dict:
    return {"event": "user", "text": "…", "parse_data": {"intent": {"name": intent}}}


def _bot(response: str | None) -> dict:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response} if response else {}}


def _fallback_tracker(
    text: str, earlier_misses: Sequence[str | None] = (), sender: str | None = None
):
    """The latest message `text` is not understood; before it, the bot answered
    `earlier_misses` (response names) to as many messages in a row."""
    tracker = make_tracker(text=text, intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = RANKING
    tracker.events = [_user("greet"), _bot("utter_greet")]
    for response in earlier_misses:
        tracker.events += [_user(), _bot(response)]
    tracker.events.append(_user())
    tracker.sender_id = sender or uuid.uuid4().hex
    return tracker


def test_misses_are_counted_by_what_the_bot_answered_whatever_the_nlu_said():
    assert missed_in_a_row(_fallback_tracker("x")) == 0
    assert missed_in_a_row(_fallback_tracker("x", ["utter_default"])) == 1
    twice = _fallback_tracker("x", ["utter_clarify_intent", "utter_clarify_options"])
    assert missed_in_a_row(twice) == 2
    answered_between = _fallback_tracker("x", ["utter_default", None])  # a free-text answer
    assert missed_in_a_row(answered_between) == 0
    rasa_fallback = _fallback_tracker("x")  # Rasa's own fallback said utter_default, then reverted
    rasa_fallback.events[-1:-1] = [_user("affirm"), _bot("utter_default")]
    rasa_fallback.events.insert(-1, {"event": "rewind"})
    assert missed_in_a_row(rasa_fallback) == 1


async def test_a_policy_question_the_nlu_missed_is_still_answered(db, dispatcher):
    await ActionClarify().run(dispatcher, _fallback_tracker("满多少包邮"), {})
    assert "99" in dispatcher.messages[0]["text"]


async def test_the_first_miss_offers_the_two_likeliest_meanings_as_buttons(db, dispatcher):
    await ActionClarify().run(dispatcher, _fallback_tracker("那个单子要取消咋弄"), {})
    assert responses(dispatcher) == ["utter_clarify_intent"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/track_order", "/cancel_order"]


async def test_a_cancel_is_never_a_likely_meaning_of_a_message_that_does_not_name_it(
    db, dispatcher
):
    await ActionClarify().run(dispatcher, _fallback_tracker("那个单子咋弄"), {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/track_order"]


async def test_the_first_miss_without_likely_requests_asks_to_rephrase(db, dispatcher):
    tracker = _fallback_tracker("那个单子咋弄")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback"}, {"name": "greet"}]
    await ActionClarify().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_default"]


async def test_the_second_miss_never_repeats_the_first_and_offers_meanings_and_a_human(
    db, dispatcher
):
    for first in ("utter_default", "utter_clarify_intent"):
        dispatcher.messages.clear()
        tracker = _fallback_tracker("那个单子要取消咋弄", [first])
        await ActionClarify().run(dispatcher, tracker, {})
        [message] = dispatcher.messages
        assert message["response"] == "utter_clarify_options" != first
        payloads = [b["payload"] for b in message["buttons"]]
        assert payloads[:2] == ["/track_order", "/cancel_order"]
        assert payloads[-1] == "/request_human"


async def test_the_second_miss_with_nothing_likely_offers_a_human(db, dispatcher):
    tracker = _fallback_tracker("嗯嗯嗯啊啊", ["utter_default"])
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback"}, {"name": "greet"}]
    await ActionClarify().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] in ("utter_clarify_options", "utter_clarify_offer_human")
    assert message["buttons"][-1]["payload"] == "/request_human"


async def test_the_third_miss_in_a_row_hands_over_to_a_human(db, dispatcher):
    sender = uuid.uuid4().hex
    earlier = ["utter_clarify_intent", "utter_clarify_options"]
    await ActionClarify().run(dispatcher, _fallback_tracker("那个单子咋弄", earlier, sender), {})
    assert responses(dispatcher) == ["utter_handoff_not_understood"]
    escalation = db.scalars(select(Escalation).where(Escalation.conversation_id == sender)).one()
    assert escalation.reason == "bot_did_not_understand"


async def test_a_product_named_is_never_not_understood(db, dispatcher):
    tracker = _fallback_tracker("那充电宝呢", ["utter_default"])
    tracker.slots["current_product"] = "P3001"
    tracker.slots["product_question"] = ["ask_product_info", "红米充电多少瓦"]
    events = await ActionClarify().run(dispatcher, tracker, {})
    assert "22.5W" in dispatcher.messages[0]["text"]  # the power bank's own fast charging
    assert {"event": "slot", "name": "current_product", "value": "P3003"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_a_fact_about_the_product_in_focus_is_answered_not_misunderstood(db, dispatcher):
    tracker = _fallback_tracker("透不透")
    tracker.slots["current_product"] = "P1001"
    await ActionClarify().run(dispatcher, tracker, {})
    assert "浅色不透" in dispatcher.messages[0]["text"]
