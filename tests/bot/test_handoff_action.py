"""Handing over opens one escalation with the reason and the verified order, and says so."""

import uuid

from sqlalchemy import select

from bot.actions.handoff import ActionHandOver
from conversations.models import Conversation, Escalation, Handler
from tests.bot.conftest import make_tracker, responses


def _tracker(conversation_id: str, intent: str, order_no: str | None = None):
    tracker = make_tracker(
        {"verified_order_no": order_no}, text="你们太慢了 我要投诉", intent=intent
    )
    tracker.sender_id = conversation_id
    return tracker


async def test_a_complaint_opens_an_escalation_with_the_verified_order(dispatcher, db):
    conversation_id = uuid.uuid4().hex
    await ActionHandOver().run(
        dispatcher, _tracker(conversation_id, "complain", "6559797114710497"), {}
    )
    assert responses(dispatcher) == ["utter_complaint_ack"]
    escalation = db.scalars(
        select(Escalation).where(Escalation.conversation_id == conversation_id)
    ).one()
    assert (escalation.reason, escalation.order_no) == ("complaint", "6559797114710497")
    assert db.get(Conversation, conversation_id).handled_by == Handler.HUMAN


async def test_asking_twice_does_not_open_a_second_escalation(dispatcher, db):
    conversation_id = uuid.uuid4().hex
    for _ in range(2):
        await ActionHandOver().run(dispatcher, _tracker(conversation_id, "request_human"), {})
    assert responses(dispatcher) == ["utter_pass_to_agent", "utter_pass_to_agent"]
    count = len(
        db.scalars(select(Escalation).where(Escalation.conversation_id == conversation_id)).all()
    )
    assert count == 1


async def test_the_shop_s_phone_asked_for_gets_this_chat_s_agents_not_a_queue(dispatcher, db):
    # trial 21, T708: "你们客服电话多少" was queued for a person overnight
    conversation_id = uuid.uuid4().hex
    tracker = make_tracker(text="你们客服电话多少", intent="request_human")
    tracker.sender_id = conversation_id
    await ActionHandOver().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]
    assert "暂未开通电话热线" in said["text"]
    assert [b["payload"] for b in said["buttons"]] == ["/request_human"]
    assert db.get(Conversation, conversation_id) is None  # nobody queued: a button offers it


async def test_a_demand_for_a_person_that_also_asks_who_to_turn_to_is_handed_over(dispatcher, db):
    conversation_id = uuid.uuid4().hex
    tracker = make_tracker(text="我要找你们领导 找谁", intent="request_human")
    tracker.sender_id = conversation_id
    await ActionHandOver().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_pass_to_agent"]
    assert db.get(Conversation, conversation_id).handled_by == Handler.HUMAN
