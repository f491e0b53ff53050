"""A complaint is heard and served: where the order stands (checked first) and a person offered;
only an outright demand for a person hands the conversation over."""

import uuid

from sqlalchemy import select

from bot.actions.complaints import ActionAnswerComplaint
from bot.actions.order_lookup import ActionHandleOrderRequest
from conversations.models import Conversation, Escalation, Handler
from tests.bot.conftest import (
    bot_said,
    demo_order,
    make_tracker,
    next_message,
    responses,
    user_event,
)


def _complaint(text: str, order_no: str | None = None, active_loop: str | None = None):
    tracker = make_tracker(
        {"verified_order_no": order_no}, text=text, intent="complain", active_loop=active_loop
    )
    tracker.sender_id = uuid.uuid4().hex
    return tracker


def _buttons(dispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


def _lookup_starts(events: list[dict]) -> list[bool]:
    """Whether the order lookup starts next (the `complaint_order_check` slot says)."""
    return [e["value"] for e in events if e.get("name") == "complaint_order_check"]


def _escalations(db, conversation_id: str) -> list[Escalation]:
    query = select(Escalation).where(Escalation.conversation_id == conversation_id)
    return list(db.scalars(query).all())


async def test_a_threat_on_a_verified_order_hears_where_it_stands_and_is_offered_a_person(
    dispatcher, db
):
    order_no, _ = demo_order("stalled")
    tracker = _complaint("再不动我就直接退款了", order_no)
    events = await ActionAnswerComplaint().run(dispatcher, tracker, {})
    said = responses(dispatcher)
    assert said[0] == "utter_complaint_heard"
    assert said[-1] == "utter_complaint_offer_human"
    assert order_no in dispatcher.messages[1]["text"]  # the order's own state, in words
    assert _buttons(dispatcher) == ["/request_human"]
    assert _lookup_starts(events) == [False]
    assert _escalations(db, tracker.sender_id) == []


async def test_a_complaint_about_an_unchecked_order_starts_the_lookup_and_calls_nobody(
    dispatcher, db
):
    tracker = _complaint("买的裤子洗一次就缩水了 什么质量")
    events = await ActionAnswerComplaint().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_complaint_check_order"]
    assert _buttons(dispatcher) == ["/request_human"]
    assert _lookup_starts(events) == [True]
    assert _escalations(db, tracker.sender_id) == []


async def test_a_complaint_during_the_lookup_leaves_the_lookup_to_ask_again(dispatcher, db):
    tracker = _complaint("再不发货我就退款了啊", active_loop="order_lookup_form")
    events = await ActionAnswerComplaint().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_complaint_check_order"]
    assert _lookup_starts(events) == [False]
    assert _escalations(db, tracker.sender_id) == []


async def test_a_complaint_about_a_rule_is_answered_with_an_apology_and_a_person_offered(
    dispatcher, db
):
    order_no, _ = demo_order("price_dropped_late")
    tracker = _complaint("这规定太离谱了", order_no)
    await ActionAnswerComplaint().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_complaint_ask_what"]
    assert _buttons(dispatcher) == ["/request_human"]
    assert _escalations(db, tracker.sender_id) == []


async def test_an_outright_complaint_is_handed_over_after_the_orders_state(dispatcher, db):
    order_no, _ = demo_order("awaiting_shipment")
    tracker = _complaint("三天了都没发货 我要投诉", order_no)
    await ActionAnswerComplaint().run(dispatcher, tracker, {})
    assert responses(dispatcher)[-1] == "utter_complaint_ack"
    assert order_no in dispatcher.messages[0]["text"]
    escalation = _escalations(db, tracker.sender_id)[0]
    assert (escalation.reason, escalation.order_no) == ("complaint", order_no)
    assert db.get(Conversation, tracker.sender_id).handled_by == Handler.HUMAN


async def test_a_complaint_asking_what_the_policy_answers_gets_that_answer_and_a_person(
    dispatcher, db
):
    # trial 18 T562: "你们有没有电话 我打过去说" got "具体是哪里让您不满意"
    tracker = _complaint("你们有没有电话 我打过去说")
    await ActionAnswerComplaint().run(dispatcher, tracker, {})
    assert "暂未开通电话热线" in dispatcher.messages[0]["text"]
    assert responses(dispatcher)[-1] == "utter_complaint_offer_human"
    assert _buttons(dispatcher) == ["/request_human"]


def _verified_in_turn(*order_nos: str) -> list[dict]:
    return [{"event": "slot", "name": "verified_order_no", "value": n} for n in order_nos]


async def test_a_threat_naming_goods_of_an_order_verified_earlier_is_heard_on_that_order(
    dispatcher, db
):
    """Trial 24, T805 t6: 羽绒服明天再不发我就不要了, the oranges' order in focus after the
    jacket's chase, got "具体是哪里让您不满意": the jacket's state is what answers it."""
    jacket, oranges = "6749118625276018", "5704558530435205"
    tracker = make_tracker(
        {"verified_order_no": oranges, "phone_tail": "0483"},
        text="羽绒服明天再不发我就不要了",
        intent="complain",
        earlier=_verified_in_turn(jacket, oranges),
    )
    events = await ActionAnswerComplaint().run(dispatcher, tracker, {})
    said = bot_said(dispatcher)
    assert jacket in said
    assert "还没有发货" in said
    assert "utter_complaint_ask_what" not in responses(dispatcher)
    assert [e["value"] for e in events if e.get("name") == "verified_order_no"] == [jacket]
    assert not [e for e in events if e.get("name") == "pending_request"]  # nothing cancelled


async def test_such_a_threat_keeps_the_focus_while_a_request_there_waits_for_its_yes(
    dispatcher, db
):
    jacket, oranges = "6749118625276018", "5704558530435205"
    tracker = make_tracker(
        {"verified_order_no": oranges, "phone_tail": "0483", "pending_request": "fresh_claim"},
        text="羽绒服明天再不发我就不要了",
        intent="complain",
        earlier=_verified_in_turn(jacket, oranges),
    )
    events = await ActionAnswerComplaint().run(dispatcher, tracker, {})
    assert jacket in bot_said(dispatcher)
    assert not [e for e in events if e.get("name") == "verified_order_no"]


async def test_a_complaint_answered_from_the_case_said_back_ends_the_turn(dispatcher, db):
    # trial 26, T882: 多久给我结果 answered from the damage case waiting for its yes, then
    # "没太理解": no rule knew the turn, and the policies' guess was the fallback
    order_no, tail = demo_order("damaged_on_arrival")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=tail,
        earlier=[user_event("移动硬盘到了 外壳裂了", "report_damaged_item"),
                 user_event(order_no, "inform")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    pending = "case_damaged"
    asked = next_message(tracker, "多久给我结果", "complain", pending, dispatcher=dispatcher)
    events = await ActionAnswerComplaint().run(dispatcher, asked, {})
    assert "12 小时" in dispatcher.messages[0]["text"]
    assert {"event": "followup", "name": "action_listen"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
