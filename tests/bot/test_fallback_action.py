"""Not understood: the FAQ first, then the two likeliest meanings, then a human."""

import uuid

from sqlalchemy import select

from bot.actions.fallback import ActionClarify, failed_tries
from conversations.models import Escalation
from tests.bot.conftest import make_tracker, responses

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "track_order", "confidence": 0.30},
    {"name": "faq", "confidence": 0.10},
    {"name": "cancel_order", "confidence": 0.08},
]


def _fallback_tracker(text: str, earlier_fallbacks: int = 0, sender: str | None = None):
    tracker = make_tracker(text=text, intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = RANKING
    fallback = {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    tracker.events = [{"event": "user", "parse_data": {"intent": {"name": "greet"}}}]
    tracker.events += [fallback] * (earlier_fallbacks + 1)
    tracker.sender_id = sender or uuid.uuid4().hex
    return tracker


def test_failed_tries_counts_only_the_latest_run_of_misunderstood_messages():
    assert failed_tries(_fallback_tracker("x", earlier_fallbacks=0)) == 1
    assert failed_tries(_fallback_tracker("x", earlier_fallbacks=2)) == 3


async def test_a_policy_question_the_nlu_missed_is_still_answered(db, dispatcher):
    await ActionClarify().run(dispatcher, _fallback_tracker("满多少包邮"), {})
    assert "99" in dispatcher.messages[0]["text"]


async def test_the_first_miss_offers_the_two_likeliest_meanings_as_buttons(db, dispatcher):
    await ActionClarify().run(dispatcher, _fallback_tracker("那个单子咋弄"), {})
    assert responses(dispatcher) == ["utter_clarify_intent"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/track_order", "/cancel_order"]


async def test_the_second_miss_in_a_row_hands_over_to_a_human(db, dispatcher):
    sender = uuid.uuid4().hex
    await ActionClarify().run(dispatcher, _fallback_tracker("那个单子咋弄", 1, sender), {})
    assert responses(dispatcher) == ["utter_handoff_not_understood"]
    escalation = db.scalars(select(Escalation).where(Escalation.conversation_id == sender)).one()
    assert escalation.reason == "bot_did_not_understand"
