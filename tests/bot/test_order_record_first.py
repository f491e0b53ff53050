"""Questions the verified order's record answers never get a generic reply (trial 5: T42, T58,
T63, T69, T70, T71): the clarification and the out-of-scope reply try the order's own answer
first, a return asked about after the invoice is the goods', a question put beside a value
while a change waits is answered and the change kept, and a question about a 价保 just said
back is explained instead of the same offer again."""

import uuid
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.clarify import MISSED
from bot.actions.fallback import ActionClarify
from bot.actions.order_changes import ActionAskChangeConfirmed, ValidateModifyOrderForm
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.order_services import money_topic_in, order_need, refund_question_service
from bot.actions.record_answers import question_beside
from core.clock import utcnow
from shop.aftersales import refund_arrival, return_window
from shop.appointments import DeliveryAppointment
from shop.models import DeliveryPlace
from shop.price_protection import (
    ItemPrice,
    PriceAsk,
    PriceProtectionCheck,
    PriceRule,
    price_protection_check,
    price_question,
)
from tests.bot.conftest import DOMAIN, demo_order, make_tracker, order_in, responses, user_event
from words.render import day_text

STOCK_POSTAGE = (
    "本店公布的售后规则里没有写明，这里没法给您确认，可以转人工客服问一下；下单时买了退货运费险的"
)


def _tracker(order_no: str | None, text: str, intent: str, **slots: Any) -> Tracker:
    verified = {"verified_order_no": order_no} if order_no else {}
    tracker = make_tracker({**verified, **slots}, text, intent)
    tracker.sender_id = uuid.uuid4().hex
    return tracker


async def _reply(action: Any, tracker: Tracker) -> tuple[str, CollectingDispatcher]:
    out = CollectingDispatcher()
    await action.run(out, tracker, DOMAIN)
    return "\n".join(m.get("text") or "" for m in out.messages), out


# --- the clarification and the out-of-scope reply: the order's record first -----------------


@pytest.mark.parametrize(
    "text", ["电话也给我一个 快递要填", "收件人电话发我下", "寄回去填哪个电话"]
)
async def test_a_shopper_who_asks_for_the_phone_on_an_approved_return_hears_the_return_desk(
    db, text
):
    order = order_in(db, "return_awaiting")
    said, out = await _reply(ActionClarify(), _tracker(order.order_no, text, "nlu_fallback"))
    assert not MISSED.intersection(responses(out))
    assert "电话" in said
    assert "前把商品寄到" in said or "寄到" in said


@pytest.mark.parametrize("text", ["运费谁出", "邮费我出还是你们出", "寄回去的运费我出吗"])
async def test_a_shopper_whose_postage_question_reads_as_out_of_scope_hears_this_orders_terms(
    db, text
):
    order = order_in(db, "returnable")
    said, out = await _reply(
        ActionAnswerOutOfScope(), _tracker(order.order_no, text, "out_of_scope")
    )
    window = return_window(order, utcnow())
    assert "utter_out_of_scope" not in responses(out)
    assert window.deadline is not None
    assert f"截至 {day_text(window.deadline)}" in said
    assert STOCK_POSTAGE not in said


@pytest.mark.parametrize("text", ["还能退不", "这个能退吗", "不太想要了 可以退不"])
async def test_a_shopper_who_asks_whether_the_order_can_go_back_hears_its_return_window(db, text):
    order = order_in(db, "returnable")
    said, out = await _reply(ActionClarify(), _tracker(order.order_no, text, "nlu_fallback"))
    window = return_window(order, utcnow())
    assert not MISSED.intersection(responses(out))
    assert window.deadline is not None
    assert day_text(window.deadline) in said


async def test_a_postage_question_without_a_verified_order_gets_the_policy_not_a_refusal(db):
    # no order's record answers it; the knowledge base is sure of the rule (trial 25: a
    # question read as out of scope that it is sure of is answered, never "帮不上忙")
    _, out = await _reply(ActionAnswerOutOfScope(), _tracker(None, "运费谁出", "out_of_scope"))
    assert responses(out) == [None]
    assert "运费" in out.messages[0]["text"]


async def test_a_message_the_record_does_not_answer_still_gets_the_clarification(db):
    order = order_in(db, "returnable")
    _, out = await _reply(
        ActionClarify(), _tracker(order.order_no, "哈哈哈 那个啥", "nlu_fallback")
    )
    assert MISSED.intersection(responses(out))


# --- a return asked about after the invoice is about the goods -------------------------------


def _after(need: str, *texts: tuple[str, str]) -> list[dict[str, Any]]:
    """Events: the need noted (invoice, price_protection), then the shopper's messages."""
    return [
        {"event": "slot", "name": "order_need", "value": need},
        *(user_event(text, intent) for text, intent in texts),
    ]


@pytest.mark.parametrize(
    "text", ["对了 这个我也不太想要了 还能退不", "还能退不", "这个东西能退吗", "我想退货"]
)
def test_a_return_asked_about_after_the_invoice_does_not_inherit_the_invoice(text):
    events = _after("invoice", ("个人的 抬头张丽娟", "inform"), (text, "ask_refund_status"))
    assert money_topic_in(events, text) is None
    tracker = make_tracker(text=text, intent="ask_refund_status")
    tracker.events = events
    assert refund_question_service(tracker, "ask_refund_status", text) == "request_return_exchange"


@pytest.mark.parametrize("text", ["多久开好", "开好了发我邮箱吗"])
def test_a_follow_up_on_the_invoice_without_return_words_still_inherits_it(text):
    events = _after("invoice", (text, "faq"))
    assert money_topic_in(events, text) == "invoice"


@pytest.mark.parametrize("text", ["差了30呢 退不退", "以后再降还能再保吗", "退到哪"])
def test_a_follow_up_on_a_price_protection_keeps_its_topic(text):
    events = _after("price_protection", (text, "ask_refund_status"))
    assert money_topic_in(events, text) in ("price_protection", "ask_refund_status")
    tracker = make_tracker(text=text, intent="ask_refund_status")
    tracker.events = events
    assert refund_question_service(tracker, "ask_refund_status", text) == "price_protection"


# --- a question beside a value while a change waits -----------------------------------------


def _gatehouse_waits(text: str) -> tuple[Tracker, str]:
    order_no, tail = demo_order("out_for_delivery")
    value = DeliveryAppointment(place=DeliveryPlace.GATEHOUSE).code()
    slots = {
        "order_id": order_no,
        "verified_order_no": order_no,
        "phone_tail": tail,
        "change_field": "delivery_time",
        "change_value": value,
        "requested_slot": "change_confirmed",
    }
    tracker = make_tracker(slots, text, "inform", "modify_order_form")
    tracker.sender_id = uuid.uuid4().hex
    tracker.events = [
        *({"event": "slot", "name": k, "value": v} for k, v in slots.items()),
        user_event("我在上班 家里没人 让快递放小区门卫", "modify_order"),
        {"event": "action", "name": "action_ask_change_confirmed"},
        user_event(text, "inform"),
    ]
    return tracker, value


@pytest.mark.parametrize(
    "text", ["那好吧 放门卫就行 丢了算谁的", "放门卫吧 丢了你们负责吗", "就放门卫 被人拿走了怎么办"]
)
async def test_a_shopper_who_asks_who_answers_for_a_loss_beside_the_drop_off_gets_an_answer(
    db, text
):
    tracker, value = _gatehouse_waits(text)
    out = CollectingDispatcher()
    events = await ValidateModifyOrderForm().run(out, tracker, DOMAIN)
    found = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    tracker.slots.update(found)
    tracker.events.append({"event": "action", "name": "modify_order_form"})
    await ActionAskChangeConfirmed().run(out, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in out.messages)
    assert "视为本人签收" in said  # who answers for it: the FAQ on a drop-off
    assert "utter_form_stuck" not in responses(out)
    assert tracker.get_slot("change_value") == value  # the drop-off is kept
    assert [b["title"] for b in out.messages[-1]["buttons"]] == ["确认修改", "先不改了"]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("那好吧 放门卫就行 丢了算谁的", "丢了算谁的"),
        ("周六上午可以吗", None),
        ("放门卫就行", None),
    ],
)
def test_only_the_clauses_that_ask_and_are_no_value_are_a_question_beside_it(text, asked):
    assert question_beside(text, lambda words: "门卫" in words or "周六" in words) == asked


# --- a question about the 价保 just said back -----------------------------------------------


def _price_check(quantity: int) -> PriceProtectionCheck:
    item = ItemPrice(
        "防晒乳",
        quantity,
        Decimal("228"),
        Decimal("198"),
        PriceRule.ELIGIBLE,
        Decimal("30") * quantity,
    )
    return PriceProtectionCheck(
        "1", (item,), None, None, None, item.refund, "支付宝", refund_arrival("支付宝"), 30
    )


@pytest.mark.parametrize(
    ("words", "ask"),
    [
        ("差了30呢 退不退", PriceAsk.PER_ITEM),
        ("不是差30吗", PriceAsk.PER_ITEM),
        ("以后再降还能再保吗", PriceAsk.LATER_DROP),
        ("要是过几天又便宜了呢", PriceAsk.LATER_DROP),
        ("退到哪", None),
        ("我买的又降价了 能保价吗", None),
        ("差了60 对的", None),
    ],
)
def test_a_follow_up_on_a_price_protection_is_read_for_what_it_asks(words, ask):
    explained = price_question(_price_check(2), words)
    assert (explained.ask if explained else None) == ask


async def _price_follow_up(db, text: str) -> tuple[str, CollectingDispatcher, Decimal]:
    order = order_in(db, "price_dropped")
    checked = price_protection_check(db, order, utcnow())
    assert checked.eligible
    tracker = _tracker(
        order.order_no, text, "ask_refund_status", pending_request="price_protection"
    )
    tracker.events = [
        {"event": "slot", "name": "order_need", "value": "price_protection"},
        user_event("我买的降价了 能保价吗", "faq"),
        user_event(text, "ask_refund_status"),
    ]
    said, out = await _reply(ActionHandleOrderRequest(), tracker)
    return said, out, checked.refund


async def test_a_shopper_who_names_one_pieces_difference_hears_it_times_the_quantity(db):
    order = order_in(db, "price_dropped")
    item = price_protection_check(db, order, utcnow()).items[0]
    per_piece = item.paid_price - item.price_now
    said, out, refund = await _price_follow_up(db, f"差了{per_piece:f}呢 退不退".replace(".00", ""))
    assert f"× {item.quantity}" in said
    assert "确认申请价保吗" not in said  # not the same offer again
    assert [b["title"] for b in out.messages[-1]["buttons"]] == ["确认", "先不用了"]
    assert str(refund).rstrip("0").rstrip(".") in said


async def test_a_shopper_who_asks_about_a_later_drop_hears_each_item_is_protected_once(db):
    said, _, _ = await _price_follow_up(db, "那以后再降还能再保吗")
    assert "只能申请一次" in said
    assert "确认申请价保吗" not in said


# --- a warranty question that names the invoice --------------------------------------------


@pytest.mark.parametrize("text", ["保修要带发票吗", "没发票能保修吗", "维修需要发票不"])
def test_a_warranty_question_that_names_the_invoice_is_no_invoice_request(text):
    assert order_need(text, "warranty_repair", verified=True) is None
    assert order_need(text, "warranty_repair", verified=False) is None


def test_an_invoice_asked_for_beside_the_warranty_is_still_the_invoice():
    assert order_need("发票开了没 保修要带吗", "invoice", verified=True) == "invoice"


@pytest.mark.parametrize(
    "text",
    [
        "专票还要我们提供开户行地址电话吗",
        "开专票需要什么资料",
        "开专票要提供啥",  # a battery of pre-sale questions, 2026-12-07: the invoice form started
        "专票要开户行吗",  # 要开 inside 要开户行 read as an invoice asked for
    ],
)
def test_what_an_invoice_needs_is_the_policys_answer_not_the_orders_invoice(text):
    # trial 28, T992 t5: 专票还要我们提供开户行地址电话吗 got the order's invoice status
    assert order_need(text, "invoice", verified=True) is None
    assert order_need("专票开了没", "invoice", verified=True) == "invoice"
