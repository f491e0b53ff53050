"""After verification the bot does what the shopper asked, or hands over with the order."""

import uuid

from sqlalchemy import select

from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from bot.actions.order_requests import asked_request
from conversations.models import Escalation
from shop.demo.seed import CATALOGUE_FILE, ORDERS_FILE, load_yaml
from shop.models import AfterSaleKind, AfterSaleStatus, LogisticsCase, Order, OrderStatus
from shop.policy import load_policy
from tests.bot.conftest import demo_order, make_tracker, responses, user_event


def _verified(situation: str, request: str, text: str = ""):
    """A verified order, after the shopper asked `request` in `text` and gave the phone tail."""
    order_no, tail = demo_order(situation)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=tail, earlier=[user_event(text, request), user_event(order_no, "inform")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def test_the_request_is_the_latest_one_the_shopper_made_with_its_own_words():
    tracker = make_tracker(
        {}, "1234", earlier=[user_event("我的快递到哪了", "track_order"),
                             user_event("算了 帮我取消吧", "cancel_order"),
                             user_event("2611150001234567", "inform")],
    )  # fmt: skip
    assert asked_request(tracker) == ("cancel_order", "算了 帮我取消吧")


def test_without_a_request_the_order_is_tracked():
    assert asked_request(make_tracker({}, "查一下", "inform")) == ("track_order", "查一下")


def _answer(tracker, text: str, intent: str, asked_just_before: bool = True):
    """The tracker after the bot said a request back (slot set) and the shopper answered."""
    tracker.slots["pending_request"] = tracker.events[0]["parse_data"]["intent"]["name"]
    tracker.events.append({"event": "action", "name": "action_handle_order_request"})
    tracker.events.append({"event": "action", "name": "action_listen"})
    if not asked_just_before:  # the shopper asked something else in between
        tracker.events.append(user_event("运费怎么算", "faq"))
        tracker.events.append({"event": "action", "name": "action_answer_faq"})
        tracker.events.append({"event": "action", "name": "action_listen"})
    tracker.events.append(user_event(text, intent))
    tracker.latest_message = {"text": text, "intent": {"name": intent}, "entities": []}
    return tracker


def _order(db, order_no: str) -> Order:
    db.expire_all()
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


async def test_a_cancel_is_said_back_and_nothing_changes_before_the_yes(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert {"event": "slot", "name": "pending_request", "value": "cancel_order"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    asked = dispatcher.messages[0]
    assert order_no in asked["text"]
    assert "确认帮您取消吗" in asked["text"]
    assert [b["payload"] for b in asked["buttons"]] == ["/affirm", "/deny"]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_yes_to_the_cancel_said_back_cancels_the_order(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    await ActionAnswerPendingRequest().run(dispatcher, _answer(tracker, "确认", "affirm"), {})
    assert "已为您取消订单" in dispatcher.messages[0]["text"]
    assert _order(db, order_no).status == OrderStatus.CANCELLED


async def test_where_the_money_goes_asked_while_a_cancel_waits_keeps_the_cancel_waiting(
    db, dispatcher
):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    tracker = _answer(tracker, "取消了钱退哪里 多久到", "ask_refund_status")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "会原路退回" in said
    assert "目前没有退款申请" not in said
    assert {"event": "slot", "name": "pending_request", "value": "cancel_order"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT  # nothing done yet


async def test_a_complaint_that_the_order_is_late_while_its_cancel_waits_offers_the_cancel_again(
    db, dispatcher
):
    tracker, order_no = _verified("ship_overdue", "cancel_order", "帮我取消")
    tracker = _answer(tracker, "你们发货也太慢了吧 都三天了", "report_delivery_delay")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = "\n".join(m["text"] for m in dispatcher.messages)
    assert "还没有发货" in said  # the delay is answered
    assert f"订单 {order_no} 还没有取消，要取消的话点「确认」" in dispatcher.messages[-1]["text"]
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirm", "/deny"]
    assert {"event": "slot", "name": "pending_request", "value": "cancel_order"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    assert _order(db, order_no).status != OrderStatus.CANCELLED  # nothing done without the yes


async def test_a_parcel_asked_after_while_a_return_waits_offers_the_return_again(db, dispatcher):
    tracker, order_no = _verified("returnable", "request_return_exchange", "我要退货")
    tracker = _answer(tracker, "对了 这单是哪天到的", "track_order")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert f"订单 {order_no} 的退换货申请还没提交" in dispatcher.messages[-1]["text"]
    assert {"event": "slot", "name": "pending_request", "value": "request_return_exchange"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_a_hesitation_read_as_a_yes_cancels_nothing_and_keeps_the_question(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    waiting = _answer(tracker, "等一下", "affirm")
    events = await ActionAnswerPendingRequest().run(dispatcher, waiting, {})
    assert responses(dispatcher) == ["utter_request_waits"]
    assert "pending_request" not in [e.get("name") for e in events]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT
    # the plain yes that follows still answers the question kept open
    waiting.events.append({"event": "action", "name": "action_answer_pending_request"})
    waiting.events.append(user_event("确认", "affirm"))
    waiting.latest_message = {"text": "确认", "intent": {"name": "affirm"}, "entities": []}
    await ActionAnswerPendingRequest().run(dispatcher, waiting, {})
    assert _order(db, order_no).status == OrderStatus.CANCELLED


async def test_a_yes_in_the_requests_own_words_carries_it_out(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    confirmed = _answer(tracker, "确认取消", "cancel_order")
    events = await ActionHandleOrderRequest().run(dispatcher, confirmed, {})
    assert "已为您取消订单" in dispatcher.messages[0]["text"]
    assert _order(db, order_no).status == OrderStatus.CANCELLED
    assert {"name": "pending_request", "value": None} in [
        {"name": e.get("name"), "value": e.get("value")} for e in events
    ]


async def test_a_no_to_the_cancel_said_back_keeps_the_order(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    events = await ActionAnswerPendingRequest().run(
        dispatcher, _answer(tracker, "先不用了", "deny"), {}
    )
    assert responses(dispatcher) == ["utter_request_kept"]
    assert events[0]["name"] == "pending_request"
    assert events[0]["value"] is None
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_yes_to_something_else_never_carries_out_an_earlier_cancel(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    answered = _answer(tracker, "好的", "affirm", asked_just_before=False)
    events = await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    # the cancel is said back again for a yes to it (a question was answered in between)
    assert "确认" in dispatcher.messages[0]["text"]
    assert {"event": "slot", "name": "pending_request", "value": "cancel_order"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_yes_long_after_the_request_was_said_back_answers_nothing(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    answered = _answer(tracker, "好的", "affirm", asked_just_before=False)
    for _ in range(2):  # two more questions in between
        answered.events[-1:-1] = [
            {"event": "action", "name": "action_answer_faq"},
            user_event("运费怎么算", "faq"),
        ]
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    assert responses(dispatcher) == ["utter_anything_else"]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_no_after_a_question_in_between_keeps_the_order(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    answered = _answer(tracker, "那算了 不取消了", "deny", asked_just_before=False)
    events = await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    assert responses(dispatcher) == ["utter_request_kept"]
    assert events[0] == {
        "event": "slot",
        "name": "pending_request",
        "value": None,
        "timestamp": None,
    }
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_thanks_after_a_question_in_between_leaves_the_request_waiting(db, dispatcher):
    tracker, order_no = _verified("awaiting_shipment", "cancel_order", "不要了 取消吧")
    answered = _answer(tracker, "好的 谢谢", "affirm", asked_just_before=False)
    events = await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    assert responses(dispatcher) == ["utter_request_waits"]
    assert "pending_request" not in [e.get("name") for e in events]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_no_the_nlu_did_not_understand_still_keeps_the_order(db, dispatcher):
    tracker, order_no = _verified("returnable", "request_return_exchange", "想退")
    answered = _answer(tracker, "好吧 算了", "nlu_fallback")
    events = await ActionClarify().run(dispatcher, answered, {})
    assert responses(dispatcher) == ["utter_request_kept"]
    assert events[0]["name"] == "pending_request"
    assert events[0]["value"] is None
    assert not _order(db, order_no).after_sales


async def test_a_return_is_said_back_then_opened_on_the_yes_with_the_shoppers_words(db, dispatcher):
    tracker, order_no = _verified("returnable", "request_return_exchange", "尺码小了想退")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "确认为订单" in dispatcher.messages[0]["text"]
    assert not [a for a in _order(db, order_no).after_sales if a.reason == "尺码小了想退"]
    await ActionAnswerPendingRequest().run(dispatcher, _answer(tracker, "确认", "affirm"), {})
    assert "已为您提交退换货申请" in dispatcher.messages[-1]["text"]
    [request] = [a for a in _order(db, order_no).after_sales if a.reason == "尺码小了想退"]
    assert request.kind == AfterSaleKind.RETURN_REFUND


async def test_a_shipped_order_is_refused_at_once_and_nothing_waits_for_a_yes(db, dispatcher):
    tracker, _ = _verified("in_transit", "cancel_order", "取消订单")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "拒收" in dispatcher.messages[0]["text"]
    pending = [e for e in events if e.get("name") == "pending_request"]
    assert pending[0]["value"] is None


async def test_refund_status_is_read_from_the_order(db, dispatcher):
    tracker, order_no = _verified("refund_in_progress", "ask_refund_status")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert order_no in dispatcher.messages[0]["text"]
    assert "退款" in dispatcher.messages[0]["text"]


async def test_a_second_return_request_is_told_the_first_is_in_progress(db, dispatcher):
    tracker, _ = _verified("return_awaiting", "request_return_exchange", "我要退货")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[-1]["text"]
    assert "已经审核通过了，不用再申请" in text  # approved: how to send it back, not "in review"
    assert "售后进度" in text
    assert "运单号" in text


async def test_a_stalled_parcel_report_opens_a_logistics_case(db, dispatcher):
    tracker, _ = _verified("stalled", "report_delivery_delay", "快递好几天没动了")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "天没有动了" in text
    assert "加急催件" in text


async def test_a_missing_piece_is_told_apart_from_a_wrong_item(db, dispatcher):
    tracker, _ = _verified("wrong_item", "report_wrong_or_missing_item", "少发了一袋")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "少发的商品" in dispatcher.messages[0]["text"]


async def test_a_remedy_that_needs_approval_hands_the_shopper_to_an_agent(db, dispatcher):
    phones = {c["code"]: c["phone"] for c in load_yaml(CATALOGUE_FILE)["customers"]}
    threshold = load_policy().approval.order_value_above_yuan
    totals = dict(db.execute(select(Order.order_no, Order.total_amount)).all())
    spec = next(
        s
        for s in load_yaml(ORDERS_FILE)["orders"]
        if s["situation"] == "delivered_not_received" and totals[s["order_no"]] > threshold
    )
    tail = phones[spec["customer"]][-4:]
    tracker = make_tracker(
        {"verified_order_no": spec["order_no"], "phone_tail": tail},
        text=tail,
        earlier=[user_event("显示签收了但我根本没收到", "report_lost_parcel")],
    )
    tracker.sender_id = uuid.uuid4().hex
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "主管确认" in dispatcher.messages[0]["text"]
    escalation = db.scalars(
        select(Escalation).where(Escalation.conversation_id == tracker.sender_id)
    ).one()
    assert (escalation.reason, escalation.reason_detail) == ("remedy_approval", "lost")
    case = db.get_one(LogisticsCase, escalation.case_id)  # the case waiting for approval
    assert (case.kind, case.conversation_id) == ("lost", tracker.sender_id)
    assert "根本没收到" in escalation.detail  # the shopper's words, not the phone tail


async def test_a_rejected_after_sale_offers_a_person_to_explain_why(db, dispatcher):
    tracker, order_no = _verified("refund_in_progress", "ask_refund_status")
    order = _order(db, order_no)
    order.after_sales[-1].status = AfterSaleStatus.REJECTED
    db.flush()
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert "没有通过" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/request_human"]


async def test_a_cancel_word_on_a_cancelled_order_gets_where_its_money_went(db, dispatcher):
    order_no, tail = demo_order("cancelled")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text="上回取消的手环 钱退回花呗了吧",
        intent="cancel_order",
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "取消时就全额原路退回" in said
    assert "款项会原路退回" not in said
