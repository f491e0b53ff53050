"""Short replies inside an open case or chase that the NLU reads as a yes, a no, a goodbye,
data or out of scope (嗯 那就退款吧, 还是补发吧, 行吧 尽快, 那先别取消 我急着用, 好吧 等你消息,
明天还不动我再来找你) reach the case: a remedy chosen is said back for a yes, a chase follow-up
or a closing remark gets the next step, and anything else keeps the fixed rule's answer."""

import uuid
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions.case_replies import (
    CASE_OPEN,
    ActionCheckCaseReply,
    ActionReplyInCase,
    ReplyKind,
    read_case_reply,
)
from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from bot.actions.problem_cases import REMEDY_PENDING
from core.clock import utcnow
from shop.case_questions import CaseChoice, CaseQuestion, case_question, chosen_remedy
from shop.models import CaseKind, LogisticsCase, Order, OrderStatus
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    case_opened,
    demo_order,
    make_tracker,
    order_in,
    responses,
    slots_set,
    user_event,
)


def _saying(conversation: str, order: Order, text: str, intent: str, **slots: Any):
    tracker = make_tracker({"verified_order_no": order.order_no, **slots}, text=text, intent=intent)
    tracker.sender_id = conversation
    return tracker


async def _chased(db, order: Order) -> str:
    """The T06 start: a complaint that the order has not shipped, on the verified order (the
    chase is registered at once)."""
    tracker = _saying(uuid.uuid4().hex, order, "拍了好几天了怎么还不发货", "report_delivery_delay")
    await ActionHandleOrderRequest().run(CollectingDispatcher(), tracker, DOMAIN)
    [case] = [
        c for c in db.scalars(select(LogisticsCase)) if c.conversation_id == tracker.sender_id
    ]
    assert case.kind == CaseKind.DELAYED
    return tracker.sender_id


async def _checked(tracker) -> list[dict[str, Any]]:
    return await ActionCheckCaseReply().run(CollectingDispatcher(), tracker, DOMAIN)


async def _replied(dispatcher, tracker) -> list[dict[str, Any]]:
    """What the rules do with the message: the reply action when the check set the slot."""
    checked = await _checked(tracker)
    assert checked == [{"event": "slot", "timestamp": None, "name": CASE_OPEN, "value": True}]
    tracker.slots[CASE_OPEN] = True
    return await ActionReplyInCase().run(dispatcher, tracker, DOMAIN)


def _text(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def _slot(events, name: str) -> Any:
    return next((e["value"] for e in events if e.get("name") == name), "unset")


# --- a remedy chosen in a short reply -------------------------------------------------------


async def test_a_yes_that_chooses_a_refund_inside_a_damage_case_is_said_back_not_carried_out(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _saying(conversation, order, "嗯 那就退款吧", "affirm")
    events = await _replied(dispatcher, tracker)
    text = _text(dispatcher)
    assert "全额退款" in text
    assert "确认这样改吗" in text
    assert "请问还有什么可以帮您" not in text
    assert dispatcher.messages[0]["buttons"]  # 确认 / 先不用了
    assert _slot(events, "pending_request") == REMEDY_PENDING[CaseChoice.REFUND]
    assert _slot(events, CASE_OPEN) is None  # read once: the next message is checked again
    [case] = [c for c in db.scalars(select(LogisticsCase)) if c.conversation_id == conversation]
    assert chosen_remedy(case) is None  # nothing recorded on the bare yes that chose it


async def test_the_yes_to_a_refund_said_back_after_a_short_reply_records_it_on_the_case(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    earlier = [
        user_event("嗯 那就退款吧", "affirm"),
        {"event": "action", "name": "action_reply_in_case"},
    ]
    tracker = make_tracker(
        {
            "verified_order_no": order.order_no,
            "pending_request": REMEDY_PENDING[CaseChoice.REFUND],
        },
        text="好的",
        intent="affirm",
        earlier=earlier,
    )
    tracker.sender_id = conversation
    assert await _checked(tracker) == []  # a request said back waits: its own rule answers
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    assert "已经在订单" in _text(dispatcher)
    [case] = [c for c in db.scalars(select(LogisticsCase)) if c.conversation_id == conversation]
    assert chosen_remedy(case) == CaseChoice.REFUND


async def test_still_reship_read_as_data_inside_a_damage_case_is_a_remedy_choice_said_back(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    events = await _replied(dispatcher, _saying(conversation, order, "还是补发吧", "inform"))
    assert "补发" in _text(dispatcher)
    assert "确认这样改吗" in _text(dispatcher)
    assert _slot(events, "pending_request") == REMEDY_PENDING[CaseChoice.RESHIP]


async def test_a_refund_asked_for_on_a_wrong_item_case_says_what_the_policy_gives_and_a_person(
    db, dispatcher
):
    conversation, order = case_opened(db, "wrong_item", CaseKind.WRONG_ITEM)
    events = await _replied(dispatcher, _saying(conversation, order, "行 那就退钱吧", "affirm"))
    assert "换成正确的商品" in _text(dispatcher)
    assert dispatcher.messages[0]["buttons"]  # a person
    assert _slot(events, "pending_request") == "unset"


# --- hurrying and closing a case --------------------------------------------------------------


async def test_ok_hurry_read_as_a_yes_inside_a_wrong_item_case_records_the_chase(db, dispatcher):
    conversation, order = case_opened(db, "wrong_item", CaseKind.WRONG_ITEM)
    await _replied(dispatcher, _saying(conversation, order, "行吧 尽快", "affirm"))
    text = _text(dispatcher)
    assert "催促已经记在" in text
    assert "前给您答复" in text


def test_ill_come_back_tomorrow_and_waiting_for_your_news_are_closing_remarks():
    for words in (
        "明天还不动我再来找你",
        "好吧 等你消息",
        "等你们消息",
        "那明天再说",
        "我晚点再来问",
    ):
        assert case_question(words) == CaseQuestion.CLOSING, words


async def test_ill_come_back_tomorrow_inside_a_late_parcel_case_gets_the_answer_time_not_cant_help(
    db, dispatcher
):
    conversation, order = case_opened(db, "stalled", CaseKind.DELAYED)
    tracker = _saying(conversation, order, "明天还不动我再来找你", "out_of_scope")
    await _replied(dispatcher, tracker)
    text = _text(dispatcher)
    assert "前给您答复" in text
    assert "第一时间告诉您" in text
    assert responses(dispatcher) == [None]  # not utter_out_of_scope


# --- a warehouse chase ------------------------------------------------------------------------


async def test_dont_cancel_read_as_a_no_inside_a_warehouse_chase_keeps_the_order_and_says_when(
    db, dispatcher
):
    order = order_in(db, "ship_overdue")
    conversation = await _chased(db, order)
    text = "那先别取消 我急着用 再买别家也来不及了"
    await _replied(dispatcher, _saying(conversation, order, text, "deny"))
    answer = _text(dispatcher)
    assert "不会取消" in answer
    assert "前给您答复" in answer
    assert "发货后我会在这个对话里" in answer
    assert "utter_goodbye" not in responses(dispatcher)
    assert order.status == OrderStatus.AWAITING_SHIPMENT


async def test_ok_waiting_for_your_news_inside_a_warehouse_chase_gets_the_shipping_notice(
    db, dispatcher
):
    order = order_in(db, "ship_overdue")
    conversation = await _chased(db, order)
    await _replied(dispatcher, _saying(conversation, order, "好吧 等你消息", "affirm"))
    answer = _text(dispatcher)
    assert "记下了" in answer
    assert "发货后我会在这个对话里把快递公司和运单号告诉您" in answer


async def test_a_refund_word_inside_a_warehouse_chase_is_no_case_reply(db):
    order = order_in(db, "ship_overdue")
    conversation = await _chased(db, order)
    tracker = _saying(conversation, order, "那就退款吧", "affirm")
    assert read_case_reply(db, tracker, utcnow()) is None  # the fixed rule (a cancel is asked)


# --- anything else keeps the fixed rule -------------------------------------------------------


async def test_a_bare_ok_inside_a_case_keeps_the_fixed_answer(db, dispatcher):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    for words in ("好的", "嗯嗯", "行吧", "OK"):
        assert await _checked(_saying(conversation, order, words, "affirm")) == [], words
    await ActionReplyInCase().run(dispatcher, _saying(conversation, order, "好的", "affirm"), {})
    assert responses(dispatcher) == ["utter_anything_else"]


async def test_a_no_to_a_cancel_without_a_case_open_says_the_order_stays_not_goodbye(
    db, dispatcher
):  # trial 10 T270.4: 千万别给我取消 got a bare goodbye
    order = order_in(db, "damaged_on_arrival")
    tracker = _saying(uuid.uuid4().hex, order, "那先别取消 我急着用", "deny")
    assert await _checked(tracker) != []
    await ActionReplyInCase().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_request_kept"]


async def test_a_reply_while_a_form_asks_or_a_request_waits_is_left_to_their_rules(db):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    waiting = _saying(
        conversation, order, "嗯 那就退款吧", "affirm", pending_request="cancel_order"
    )
    assert await _checked(waiting) == []
    asking = _saying(conversation, order, "算了 不用了", "deny")
    asking.active_loop = {"name": "order_lookup_form"}
    assert await _checked(asking) == []


async def test_an_order_number_given_inside_a_case_is_left_to_the_order_lookup(db):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _saying(conversation, order, f"还是补发吧 {order.order_no}", "inform")
    assert read_case_reply(db, tracker, utcnow()) is None


async def test_the_slot_is_cleared_when_the_next_message_is_no_reply_to_the_case(db):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _saying(conversation, order, "拜拜", "goodbye", **{CASE_OPEN: True})
    assert await _checked(tracker) == [
        {"event": "slot", "timestamp": None, "name": CASE_OPEN, "value": None}
    ]


async def test_a_question_about_the_case_read_as_out_of_scope_is_a_case_reply(db):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _saying(conversation, order, "照片怎么发给你", "out_of_scope")
    reply = read_case_reply(db, tracker, utcnow())
    assert reply is not None
    assert reply.kind == ReplyKind.QUESTION


async def test_a_case_turned_down_then_taken_back_is_said_back_again_for_its_yes(db, dispatcher):
    """Trial 28, T979 t6: 还是换黑的吧 right after 我能留着不换吗 let the wrong item's exchange go
    got the return postage, then two buttons."""
    order_no, tail = demo_order("wrong_item")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text="还是换黑的吧",
        intent="nlu_fallback",
        earlier=[
            user_event("我买的黑色毛衣 寄来的是燕麦色的", "report_wrong_or_missing_item"),
            user_event(f"{order_no} {tail}", "inform"),
            {"event": "slot", "name": "pending_request", "value": "case_wrong_item"},
            user_event("其实燕麦色也挺好看的 我能留着不换吗", "deny"),
            {"event": "slot", "name": "pending_request", "value": None},
        ],
    )
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events).get("pending_request") == "case_wrong_item"
    assert "确认登记吗" in bot_said(dispatcher)
