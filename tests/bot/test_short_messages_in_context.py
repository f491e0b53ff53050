"""A clear short message is read with the conversation: venting inside a case is heard and the
case goes on, a subject-less follow-up is answered from the order in focus, a variant wished
for someone is the product in focus, and "not understood" is left for what truly cannot be
read (never with a cancel or a return the message did not name)."""

import uuid

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.case_replies import CASE_OPEN, ActionCheckCaseReply, ActionReplyInCase
from bot.actions.complaints import ActionAnswerComplaint
from bot.actions.fallback import ActionClarify
from bot.actions.order_context import ActionTakeOrderNumber
from shop.models import CaseKind, Order
from shop.policy import load_policy
from tests.bot.conftest import (
    DOMAIN,
    after_an_order_request,
    in_open_case,
    make_tracker,
    responses,
)

CLARIFYING = {"utter_default", "utter_clarify_intent", "utter_clarify_options"}
NOT_HELPING = CLARIFYING | {"utter_ask_how_to_help", "utter_goodbye", "utter_out_of_scope"}


def _in_case(db, situation: str, kind: CaseKind, text: str, intent: str):
    """A conversation whose verified order in `situation` has a `kind` case open; the shopper
    now writes `text` (read as `intent`)."""
    tracker, order = in_open_case(db, situation, kind, text, intent)
    return tracker, order.order_no


def _after(situation: str, request: str, intent: str, text: str, now_intent: str):
    return after_an_order_request(situation, request, intent, text, now_intent)


def _text(dispatcher) -> str:
    return "\n".join(str(m.get("text") or "") for m in dispatcher.messages)


def _payloads(dispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


@pytest.mark.parametrize(
    "venting",
    [
        "5块钱券我不要 我要的是东西！！",
        "京东都能晚 服了",
        "说白了就是不知道呗",
        "搞什么啊 有什么用",
    ],
)
async def test_a_shopper_venting_inside_a_late_parcel_case_hears_the_case_goes_on_and_when(
    db, dispatcher, venting
):
    tracker, order_no = _in_case(db, "stalled", CaseKind.DELAYED, venting, "nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert not CLARIFYING.intersection(responses(dispatcher))
    text = _text(dispatcher)
    assert "抱歉" in text
    assert order_no in text
    assert "前给您答复" in text  # what happens next: the case's answer time
    assert not {"/cancel_order", "/request_return_exchange"} & set(_payloads(dispatcher))


async def test_a_shopper_who_refuses_the_coupon_hears_it_never_replaces_the_follow_up(
    db, dispatcher
):
    tracker, _ = _in_case(db, "stalled", CaseKind.DELAYED, "这点券谁稀罕 我要的是东西", "complain")
    await ActionAnswerComplaint().run(dispatcher, tracker, DOMAIN)
    coupon = load_policy().cases[CaseKind.DELAYED].coupon_yuan
    text = _text(dispatcher)
    assert f"{coupon}元券只是一点补偿，不代替跟进" in text
    assert "前给您答复" in text


async def test_a_shopper_demanding_a_refund_now_in_an_investigation_hears_it_waits_for_the_check(
    db, dispatcher
):
    tracker, order_no = _in_case(
        db, "delivered_not_received", CaseKind.LOST, "别跟我说等 我现在就要退款", "complain"
    )
    status_before = db.scalars(select(Order).where(Order.order_no == order_no)).one().status
    await ActionAnswerComplaint().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "做不到" in text
    assert "核实结果" in text
    assert "前给您答复" in text
    assert "具体是哪里让您不满意" not in text  # never asked what she just said
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert order.status == status_before


async def test_a_complaint_with_a_question_inside_a_case_still_gets_the_orders_answer(
    db, dispatcher
):
    tracker, _ = _in_case(
        db, "stalled", CaseKind.DELAYED, "快递怎么还在天津 到底送不送", "complain"
    )
    await ActionAnswerComplaint().run(dispatcher, tracker, DOMAIN)
    assert "utter_complaint_heard" in responses(dispatcher)  # where the order stands, as before


@pytest.mark.parametrize("follow_up", ["那还得几天", "还要等几天啊", "所以什么时候到账"])
async def test_a_shopper_who_asks_how_many_more_days_after_the_refund_gets_the_refund_again(
    db, dispatcher, follow_up
):
    tracker, order_no = _after(
        "refund_in_progress", "钱退了没有", "ask_refund_status", follow_up, "nlu_fallback"
    )
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert not CLARIFYING.intersection(responses(dispatcher))
    text = _text(dispatcher)
    assert order_no in text
    assert "到账" in text


@pytest.mark.parametrize("follow_up", ["我问到没到", "好了吗", "到了没有啊"])
async def test_a_shopper_who_asks_whether_it_arrived_after_a_late_parcel_gets_the_parcels_state(
    db, dispatcher, follow_up
):
    tracker, _ = _after(
        "out_for_delivery",
        "派送中一上午了 人呢",
        "report_delivery_delay",
        follow_up,
        "nlu_fallback",
    )
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert not CLARIFYING.intersection(responses(dispatcher))
    assert "派" in _text(dispatcher)  # the parcel is out for delivery


@pytest.mark.parametrize("ask", ["收件人电话也给下", "电话也发我一个"])
async def test_a_shopper_read_as_giving_data_who_asks_the_returns_phone_gets_it(
    db, dispatcher, ask
):
    tracker, _ = _after("return_awaiting", "退货申请通过了 寄到哪", "track_order", ask, "inform")
    await ActionTakeOrderNumber().run(dispatcher, tracker, DOMAIN)
    assert not NOT_HELPING.intersection(responses(dispatcher))
    assert "0571-86886688" in _text(dispatcher)


@pytest.mark.parametrize("wish", ["她要白色S", "我老婆要白色S的", "给她拿个白色S"])
async def test_a_shopper_who_wants_a_variant_for_someone_gets_its_stock(db, dispatcher, wish):
    tracker = make_tracker({"current_product": "P1001"}, text=wish, intent="inform")
    tracker.sender_id = uuid.uuid4().hex
    await ActionTakeOrderNumber().run(dispatcher, tracker, DOMAIN)
    assert "utter_ask_how_to_help" not in responses(dispatcher)
    assert "白色 / S" in _text(dispatcher)


async def test_data_with_nothing_in_the_conversation_still_asks_how_to_help(db, dispatcher):
    tracker = make_tracker(text="林晓雯", intent="inform")
    tracker.sender_id = uuid.uuid4().hex
    await ActionTakeOrderNumber().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_ask_how_to_help"]


async def test_venting_with_no_order_in_the_conversation_is_still_asked_back(db, dispatcher):
    tracker = make_tracker(text="服了", intent="nlu_fallback")
    tracker.sender_id = uuid.uuid4().hex
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages
    assert "跟进单" not in _text(dispatcher)


@pytest.mark.parametrize(
    ("words", "intent"),
    [
        ("快递柜我翻了 没有", "goodbye"),
        ("驿站也去问了 不在", "deny"),
        ("说白了就是不知道呗", "deny"),
    ],
)
async def test_a_shopper_not_done_inside_a_case_is_never_said_goodbye_to(
    db, dispatcher, words, intent
):
    tracker, order_no = _in_case(db, "delivered_not_received", CaseKind.LOST, words, intent)
    checked = await ActionCheckCaseReply().run(CollectingDispatcher(), tracker, DOMAIN)
    assert checked == [SlotSet(CASE_OPEN, True)]  # the rules send it to the case, not goodbye
    await ActionReplyInCase().run(dispatcher, tracker, DOMAIN)
    assert "utter_goodbye" not in responses(dispatcher)
    text = _text(dispatcher)
    assert order_no in text
    assert "前给您答复" in text


@pytest.mark.parametrize(("words", "intent"), [("好的 谢谢 再见", "goodbye"), ("没有了", "deny")])
async def test_a_real_goodbye_inside_a_case_is_still_a_goodbye(db, dispatcher, words, intent):
    tracker, _ = _in_case(db, "delivered_not_received", CaseKind.LOST, words, intent)
    checked = await ActionCheckCaseReply().run(CollectingDispatcher(), tracker, DOMAIN)
    assert checked == []


@pytest.mark.parametrize(
    ("ask", "intent"), [("快递员电话给我一个", "inform"), ("派件员手机多少", "nlu_fallback")]
)
async def test_a_shopper_who_asks_for_the_couriers_phone_after_the_tracking_gets_the_latest_scans(
    db, dispatcher, ask, intent
):
    tracker, _ = _after("out_for_delivery", "到哪了", "track_order", ask, intent)
    action = ActionTakeOrderNumber() if intent == "inform" else ActionClarify()
    await action.run(dispatcher, tracker, DOMAIN)
    assert not NOT_HELPING.intersection(responses(dispatcher))
    assert "****" in _text(dispatcher)  # the courier's masked phone from the latest scan


@pytest.mark.parametrize("ask", ["那你帮我盯着点", "你们帮我留意一下"])
async def test_a_shopper_who_asks_to_keep_watch_on_a_late_parcel_hears_when_news_comes(
    db, dispatcher, ask
):
    tracker, _ = _in_case(db, "stalled", CaseKind.DELAYED, ask, "out_of_scope")
    await ActionAnswerOutOfScope().run(dispatcher, tracker, DOMAIN)
    assert not NOT_HELPING.intersection(responses(dispatcher))
    assert "前给您答复" in _text(dispatcher)
