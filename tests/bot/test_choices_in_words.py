"""A choice the shopper states in words is said back with exactly what will happen and recorded
on a yes (trial 4, issue 11): never a goodbye (补偿点钱就行 → 感谢您的光临), a no (退钱就行 不用补发
→ 先不办了), a cancel (给我补发两个吧 不要退钱 → 已经发货没法取消) or the same offer again
(我想要个新的 不想退款 → 补发或退款 您选)."""

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions import problem_cases
from bot.actions.case_replies import (
    CASE_OPEN,
    ActionCheckCaseReply,
    ActionReplyInCase,
    ReplyKind,
    read_case_reply,
)
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from conversations.models import Escalation, EscalationReason
from core.clock import utcnow
from shop.case_questions import CaseChoice, chosen_remedy
from shop.models import AfterSaleKind, CaseKind, LogisticsCase, Order, OrderStatus
from tests.bot.conftest import (
    DOMAIN,
    case_opened,
    make_tracker,
    next_message,
    verified_after,
)


async def _reply(dispatcher, tracker) -> list[dict[str, Any]]:
    """What the rules do with a short reply: the reply action when the check set the slot."""
    checked = await ActionCheckCaseReply().run(CollectingDispatcher(), tracker, DOMAIN)
    assert checked == [{"event": "slot", "timestamp": None, "name": CASE_OPEN, "value": True}]
    tracker.slots[CASE_OPEN] = True
    return await ActionReplyInCase().run(dispatcher, tracker, DOMAIN)


def _then(dispatcher, tracker, text: str, intent: str, pending: str | None, after: str):
    """The shopper's next message after the bot's action `after`, with no case in focus."""
    tracker.slots[CASE_OPEN] = None
    return next_message(tracker, text, intent, pending, after, dispatcher)


def _slot(events, name: str) -> Any:
    return next((e["value"] for e in reversed(events) if e.get("name") == name), "unset")


def _last(dispatcher) -> str:
    """What the bot said since the shopper's latest message (`_then` clears what came before)."""
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def _order(db, order_no: str) -> Order:
    db.expire_all()
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


# --- a choice while a fresh-food claim waits for its yes (T61) ------------------------------


@pytest.mark.parametrize(
    ("refund", "intent"),
    [("退钱就行 不用补发", "deny"), ("算了还是退钱吧 补发过来估计也这样", "inform")],
)
async def test_refund_is_enough_no_resend_while_a_fresh_claim_waits_is_said_back_not_a_no(
    db, dispatcher, refund, intent
):
    tracker, order_no = verified_after("fresh_delivered", "report_damaged_item", "橙子烂了好几个")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert _slot(events, "pending_request") == problem_cases.FRESH_CLAIM
    _then(
        dispatcher,
        tracker,
        refund,
        intent,
        problem_cases.FRESH_CLAIM,
        "action_handle_order_request",
    )
    events = await _reply(dispatcher, tracker)
    said = _last(dispatcher)
    assert "退" in said
    assert "先不办了" not in said
    assert any(m.get("buttons") for m in dispatcher.messages)  # 确认 / 先不用了
    assert _slot(events, "pending_request") == problem_cases.FRESH_CLAIM
    assert _order(db, order_no).after_sales == []  # nothing recorded before the yes
    _then(dispatcher, tracker, "确认", "affirm", problem_cases.FRESH_CLAIM, "action_reply_in_case")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    [claim] = [a for a in _order(db, order_no).after_sales if a.reason.startswith("生鲜坏果")]
    assert claim.kind == AfterSaleKind.REFUND_ONLY  # the refund chosen, not the resend refused


async def test_refund_chosen_after_a_photo_question_in_between_is_still_said_back_not_a_no(
    db, dispatcher
):
    tracker, order_no = verified_after("fresh_delivered", "report_damaged_item", "橙子烂了好几个")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    claim = problem_cases.FRESH_CLAIM
    _then(dispatcher, tracker, "要拍照是吧 面单也要拍", "faq", claim, "action_handle_order_request")
    _then(dispatcher, tracker, "退钱就行 不用补发", "deny", claim, "action_answer_faq")
    events = await _reply(dispatcher, tracker)
    assert "先不办了" not in _last(dispatcher)
    assert "退" in _last(dispatcher)
    assert _slot(events, "pending_request") == claim
    assert _order(db, order_no).after_sales == []  # nothing recorded before the yes


async def test_resend_chosen_while_a_fresh_refund_waits_is_said_back_then_resent_on_the_yes(
    db, dispatcher
):
    tracker, order_no = verified_after("fresh_delivered", "report_damaged_item", "橙子烂了好几个")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    _then(
        dispatcher,
        tracker,
        "补发吧 不要退钱",
        "deny",
        problem_cases.FRESH_CLAIM,
        "action_handle_order_request",
    )
    events = await _reply(dispatcher, tracker)
    assert "补发" in _last(dispatcher)
    assert _slot(events, "pending_request") == problem_cases.FRESH_CLAIM
    _then(dispatcher, tracker, "确认", "affirm", problem_cases.FRESH_CLAIM, "action_reply_in_case")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    [claim] = [a for a in _order(db, order_no).after_sales if a.reason.startswith("生鲜坏果")]
    assert claim.kind == AfterSaleKind.RESEND


async def test_a_plain_yes_naming_the_remedy_said_back_is_left_to_the_yes(db, dispatcher):
    tracker, _ = verified_after("fresh_delivered", "report_damaged_item", "橙子烂了好几个")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    _then(
        dispatcher,
        tracker,
        "好的 退款吧",
        "affirm",
        problem_cases.FRESH_CLAIM,
        "action_handle_order_request",
    )
    assert read_case_reply(db, tracker, utcnow()) is None  # the yes-or-no rule carries it out


# --- a choice with no case open (T62, T55) --------------------------------------------------


async def test_resend_two_not_refund_read_as_a_cancel_on_bad_fruit_says_the_resend_back(
    db, dispatcher
):
    tracker, order_no = verified_after(
        "fresh_delivered", "report_damaged_item", "苹果有两个磕破了 都流水了"
    )
    _then(dispatcher, tracker, "给我补发两个吧 不要退钱", "cancel_order", None, "action_answer_faq")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = _last(dispatcher)
    assert "补发" in said
    assert "取消" not in said
    assert _slot(events, "pending_request") == problem_cases.FRESH_CLAIM
    order = _order(db, order_no)
    assert order.status != OrderStatus.CANCELLED
    assert order.after_sales == []


async def test_keep_it_and_compensate_me_read_as_a_goodbye_is_said_back_then_passed_on(
    db, dispatcher
):
    tracker, order_no = verified_after("damaged_on_arrival", "inform", "东西磕坏了一块 不影响用")
    _then(
        dispatcher,
        tracker,
        "我不想退也不想换 来回折腾 你们补偿点钱就行",
        "goodbye",
        None,
        "action_ask_how_to_help",
    )
    events = await _reply(dispatcher, tracker)
    said = _last(dispatcher)
    assert "补偿" in said
    assert "转给售后同事吗" in said
    assert "感谢您的光临" not in said
    assert _slot(events, "pending_request") == problem_cases.COMPENSATION
    _then(dispatcher, tracker, "确认", "affirm", problem_cases.COMPENSATION, "action_reply_in_case")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    assert "已经转给售后同事" in _last(dispatcher)
    [escalation] = db.scalars(
        select(Escalation).where(Escalation.conversation_id == tracker.sender_id)
    ).all()
    assert escalation.reason == EscalationReason.NEEDS_AGENT
    assert "补偿" in (escalation.detail or "")
    assert escalation.order_no == order_no


def test_a_goodbye_that_chooses_nothing_keeps_the_fixed_goodbye(db, dispatcher):
    tracker, _ = verified_after("damaged_on_arrival", "inform", "东西磕坏了一块 不影响用")
    _then(dispatcher, tracker, "好的 谢谢 再见", "goodbye", None, "action_ask_how_to_help")
    assert read_case_reply(db, tracker, utcnow()) is None


# --- a choice inside an open case (T53) -----------------------------------------------------


def _in_case(conversation: str, order: Order, text: str, intent: str):
    tracker = make_tracker({"verified_order_no": order.order_no}, text=text, intent=intent)
    tracker.sender_id = conversation
    return tracker


async def test_i_want_a_new_one_not_a_refund_inside_a_damage_case_is_the_reship_said_back(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _in_case(conversation, order, "我想要个新的 不想退款", "inform")
    reply = read_case_reply(db, tracker, utcnow())
    assert reply is not None
    assert reply.kind == ReplyKind.REMEDY
    events = await _reply(dispatcher, tracker)
    assert "补发" in _last(dispatcher)
    assert "确认这样改吗" in _last(dispatcher)
    assert _slot(events, "pending_request") == problem_cases.REMEDY_PENDING[CaseChoice.RESHIP]


async def test_compensation_asked_inside_a_damage_case_is_noted_on_the_case_and_passed_on(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _in_case(conversation, order, "不退不换了 补偿点钱就行", "deny")
    events = await _reply(dispatcher, tracker)
    assert "售后同事" in _last(dispatcher)
    assert _slot(events, "pending_request") == problem_cases.COMPENSATION
    _then(dispatcher, tracker, "好", "affirm", problem_cases.COMPENSATION, "action_reply_in_case")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    [case] = [c for c in db.scalars(select(LogisticsCase)) if c.conversation_id == conversation]
    assert chosen_remedy(case) == CaseChoice.COMPENSATION
    [escalation] = db.scalars(
        select(Escalation).where(Escalation.conversation_id == conversation)
    ).all()
    assert escalation.case_id == case.id


async def test_a_refund_said_back_then_refused_for_a_new_one_is_switched_not_dropped(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _in_case(conversation, order, "退款吧", "inform")
    await _reply(dispatcher, tracker)
    refund = problem_cases.REMEDY_PENDING[CaseChoice.REFUND]
    _then(dispatcher, tracker, "算了不要退款了 给我补发", "deny", refund, "action_reply_in_case")
    events = await _reply(dispatcher, tracker)
    assert "补发" in _last(dispatcher)
    assert _slot(events, "pending_request") == problem_cases.REMEDY_PENDING[CaseChoice.RESHIP]


async def test_a_yes_typed_with_the_resend_said_back_carries_it_out(db, dispatcher):
    # trial 22, T749: "对 补发" to 帮您登记补发…确认提交吗 got the same question again
    tracker, order_no = verified_after("fresh_delivered", "report_damaged_item", "橙子烂了好几个")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    claim = problem_cases.FRESH_CLAIM
    _then(dispatcher, tracker, "那补发吧", "report_damaged_item", claim, "action_answer_faq")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    _then(
        dispatcher, tracker, "对 补发", "report_damaged_item", claim, "action_handle_order_request"
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "确认提交吗" not in _last(dispatcher)
    [resend] = [a for a in _order(db, order_no).after_sales if a.reason.startswith("生鲜坏果")]
    assert resend.kind == AfterSaleKind.RESEND
