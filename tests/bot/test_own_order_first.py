"""With a verified order, its own record answers first: the refund of a cancellation, the money
of a refund asked about in few words, its invoice and 价保 follow-ups. Talk about money never
opens or offers a parcel case (retrial 3, T65-T75)."""

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.models import LogisticsCase
from shop.own_order import about_own_order, own_order_topic
from tests.bot.conftest import demo_order, make_tracker, user_event

OTHER_NEEDS = {"needs_read_in", "later_needs"}


def _slots(events) -> dict[str, Any]:
    slots = (e for e in events if e.get("event") == "slot" and e["name"] not in OTHER_NEEDS)
    return {e["name"]: e["value"] for e in slots}


def _conversation(situation: str, said: list[tuple[str, str]], text: str, intent: str, **slots):
    """The verified order in `situation`, after the shopper's messages `said` (text, intent;
    a ("order_need", value) pair notes a need there), now saying `text`."""
    order_no, tail = demo_order(situation)
    earlier: list[dict[str, Any]] = []
    for words, named in said:
        if words == "order_need":
            earlier.append({"event": "slot", "name": "order_need", "value": named})
        else:
            earlier.append(user_event(words, named))
            earlier.append({"event": "action", "name": "action_handle_order_request"})
    verified = {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail}
    tracker = make_tracker({**verified, **slots}, text=text, intent=intent, earlier=earlier)
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def _cases(db) -> int:
    return db.scalar(select(func.count()).select_from(LogisticsCase))


def _buttons(dispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


# --- the refund of a cancelled order (T66) -----------------------------------------------------


async def test_a_shopper_asking_where_the_money_of_a_cancelled_order_went_hears_it_was_refunded(
    db, dispatcher
):
    tracker, order_no = _conversation(
        "cancelled", [("我订单怎么被取消了 我没取消啊", "cancel_order")], "钱退了？退哪了",
        "ask_refund_status",
    )  # fmt: skip
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "没有退款申请" not in text
    assert "告诉我原因，我帮您申请" not in text  # no new refund offered
    assert order_no in text
    assert "取消" in text
    assert "原路退回花呗" in text
    assert "¥" in text
    assert "到账" in text
    assert "账单明细" in text


# --- money talk never opens or offers a parcel case (T65, T72) ---------------------------------


async def test_a_shopper_asking_what_if_the_refund_is_late_is_offered_no_parcel_case(
    db, dispatcher
):
    tracker, _ = _conversation(
        "refunded", [("说退款成功了 我没收到钱啊", "ask_refund_status")], "要是一个礼拜还没到呢",
        "report_lost_parcel",
    )  # fmt: skip
    cases = _cases(db)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = " ".join(m["text"] for m in dispatcher.messages)
    assert "补发" not in text
    assert "确认登记" not in text
    assert "/affirm" not in _buttons(dispatcher)
    assert "原路退回" in text
    assert "之后还没到账" in text
    assert _slots(events)["pending_request"] is None
    assert _cases(db) == cases


async def test_a_parcel_case_is_never_offered_on_a_cancelled_order_even_in_parcel_words(
    db, dispatcher
):
    tracker, _ = _conversation("cancelled", [], "东西一直没收到", "report_lost_parcel")
    cases = _cases(db)
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "/affirm" not in _buttons(dispatcher)
    assert "取消" in dispatcher.messages[0]["text"]
    assert _cases(db) == cases


async def test_a_shopper_arguing_with_a_price_protection_refusal_gets_the_rule_and_a_person(
    db, dispatcher
):
    tracker, _ = _conversation(
        "price_dropped_late",
        [("我买的降价了 退差价", "faq"), ("order_need", "price_protection")],
        "39天怎么了 才过了几天而已",
        "report_delivery_delay",
    )
    cases = _cases(db)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "价保" in text
    assert "补发" not in text
    assert _buttons(dispatcher) == ["/request_human"]
    assert _slots(events)["pending_request"] is None
    assert _cases(db) == cases


async def test_a_late_parcel_reported_after_a_price_question_is_still_about_the_parcel(
    db, dispatcher
):
    tracker, _ = _conversation(
        "stalled", [("我买的降价了", "faq"), ("order_need", "price_protection")],
        "对了 快递怎么还没到", "report_delivery_delay",
    )  # fmt: skip
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = " ".join(m["text"] for m in dispatcher.messages)
    assert "价保" not in text  # the parcel's words: the parcel answers, not the money topic


# --- a 价保 follow-up put as a refund question (T71) -------------------------------------------


async def test_a_refund_question_about_a_price_protection_said_back_is_about_that_price(
    db, dispatcher
):
    tracker, _ = _conversation(
        "price_dropped",
        [("我前几天买的防嗮 今天看降价了 能保价吗", "faq"), ("order_need", "price_protection")],
        "差了30呢 退不退",
        "ask_refund_status",
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "没有退款申请" not in text
    assert "¥60.00" in text  # two pieces, 30 each
    assert _slots(events)["pending_request"] == "price_protection"


# --- invoice and 价保 follow-ups on the verified order (T67, T68, T71) --------------------------


async def test_an_invoice_follow_up_in_few_words_is_answered_from_the_verified_order(
    db, dispatcher
):
    for words in ("什么时候能开", "开好了在哪看 是纸质的还是电子的"):
        tracker, _ = _conversation("in_transit", [("专票开了没有", "faq")], words, "faq")
        events = await ActionAnswerFaq().run(dispatcher, tracker, {})
        assert _slots(events)["order_need"] == "invoice", words
    assert dispatcher.messages == []  # no FAQ text: the order's own invoice answers


async def test_a_price_protection_follow_up_is_answered_from_the_verified_order(db, dispatcher):
    tracker, _ = _conversation("price_dropped", [("能保价吗", "faq")], "退到哪", "faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _slots(events)["order_need"] == "price_protection"


async def test_a_refund_time_question_on_a_verified_refund_is_answered_from_its_record(
    db, dispatcher
):
    tracker, order_no = _conversation(
        "refund_in_progress", [("退款怎么还没到", "ask_refund_status")], "退到我花呗还是余额",
        "faq",
    )  # fmt: skip
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert order_no in text
    assert "原路退回银行卡" in text
    assert "仓库签收退货后" not in text  # not the policy's general text


@pytest.mark.parametrize(
    "text", ["银行卡要这么久？支付宝不是挺快的吗 退我支付宝", "能改退到支付宝吗 银行卡太慢了"]
)
async def test_a_refund_asked_to_another_account_hears_it_goes_back_the_way_it_was_paid(
    db, dispatcher, text
):
    """Trial 21, T710: the refund asked to 支付宝 instead of the bank card got the payment
    methods the shop accepts."""
    tracker, _ = _conversation(
        "refund_in_progress", [("退款怎么还没到", "ask_refund_status")], text, "faq"
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "原路退回银行卡" in text
    assert "货到付款" not in text


async def test_a_warranty_question_on_a_verified_order_is_its_items_repair(db, dispatcher):
    tracker, _ = _conversation(
        "in_warranty", [("有点毛病", "request_repair")], "那保修怎么弄", "faq"
    )
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _slots(events)["order_need"] == "request_repair"
    assert dispatcher.messages == []


def test_a_message_with_an_order_number_and_its_tail_is_about_that_order():
    text = "你好 发票在哪下载 3614014193141705 1193"
    assert about_own_order(text)
    assert own_order_topic(text) == "invoice"
    assert own_order_topic("怎么开发票") is None  # a policy question, nothing verified
    assert own_order_topic("什么时候能开", "invoice", verified=True) == "invoice"


async def test_the_faq_answer_in_a_verified_conversation_does_not_ask_for_the_order_number(
    db, dispatcher
):
    tracker, _ = _conversation("in_transit", [], "超过时效还没到账怎么办", "faq")
    tracker.slots["verified_order_no"] = tracker.get_slot("verified_order_no")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert all("把订单号发给" not in (m.get("text") or "") for m in dispatcher.messages)
