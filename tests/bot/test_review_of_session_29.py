"""The review of session 29's change (trial 28's fixes): plausible messages the new readers
misread, each kept as it was before them."""

import pytest
from sqlalchemy import select

from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.order_services import order_need
from conversations.order_messages import order_message_intent
from conversations.reading import settles_back
from conversations.short_messages import asks_when_a_promotion_ends
from shop.case_questions import CHOSEN_MARK, CaseQuestion, case_question
from shop.invoice_reading import InvoiceAsk, read_invoice_wish
from shop.models import CaseKind, LogisticsCase, Order
from shop.product_names import find_product, goods_of_another_order
from tests.bot.conftest import DOMAIN, bot_said, demo_order, in_open_case, make_tracker, slots_set


@pytest.mark.parametrize(
    "text",
    [
        "活动期间下的单 到什么时候才发货啊",
        "满减的钱到什么时候退回来",
        "双十一活动的订单还有几天能到",
    ],
)
def test_a_time_asked_of_an_order_bought_in_a_promotion_is_no_promotions_end(text):
    assert not asks_when_a_promotion_ends(text)


@pytest.mark.parametrize("text", ["嗯 还是留着吧", "还是不换了吧", "算了还是不要了", "还是没收到"])
def test_a_decline_said_again_never_takes_the_declined_case_back(text):
    assert not settles_back(text)


@pytest.mark.parametrize(
    "text", ["抬头不要改 就开原来的", "开普票就行 不要再改了", "不用再改了 就这样开吧"]
)
def test_no_change_wanted_is_no_change_of_the_invoice(text):
    assert read_invoice_wish(text).ask != InvoiceAsk.CHANGE


def test_asking_how_to_reach_a_supervisor_is_no_question_why_one_confirms():
    assert case_question("怎么联系你们主管？") != CaseQuestion.WHY_APPROVAL


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("6749118625276018 发了好几天了 赠品不要了 快点发", "report_delivery_delay"),
        ("我的订单怎么超时被取消了 6749118625276018", "track_order"),
    ],
)
def test_a_part_not_wanted_or_a_cancel_asked_about_beside_lateness_is_no_cancel(text, intent):
    assert order_message_intent(text) == intent


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("帮我开个专票 需要什么资料", "invoice_details"),
        ("发票开好了吗 要我提供邮箱信息吗", "invoice"),
    ],
)
def test_an_invoice_asked_for_beside_what_it_needs_is_still_the_orders(text, need):
    assert order_need(text, "invoice", verified=True) == need


def test_trousers_said_of_the_kids_suit_bought_are_its_own(db):
    order = db.scalars(select(Order).where(Order.order_no == demo_order("refund_in_progress")[0]))
    suit = order.one()
    assert goods_of_another_order(db, "孩子那套的裤子洗了一次就起球了 能换吗", suit) is None
    assert find_product(db, "裤子洗了会缩水吗", "P1006").code == "P1006"


def _on_the_order(situation: str, text: str, intent: str, product: str = "P9002"):
    """The tracker of `text` (read as `intent`) on the demo order in `situation`, verified
    after `product` was put in focus; and the order's number."""
    order_no, tail = demo_order(situation)
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail,
         "current_product": product},
        text=text,
        intent=intent,
        earlier=[
            {"event": "slot", "name": "current_product", "value": product},
            {"event": "slot", "name": "verified_order_no", "value": order_no},
        ],
    )  # fmt: skip
    return tracker, order_no


async def test_a_return_asked_on_the_order_given_after_a_product_was_weighed_is_the_orders(
    db, dispatcher
):
    tracker, order_no = _on_the_order("returnable", "拆了吊牌还能退吗？", "request_return_exchange")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "四件套" not in said
    assert order_no in said


async def test_a_price_drop_claimed_in_words_of_a_discount_is_the_orders_price_protection(
    db, dispatcher
):
    tracker, _ = _on_the_order("price_dropped", "我买的防晒霜现在打折了 能保价吗", "faq", "P8004")
    events = await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events).get("order_need") == "price_protection"


async def test_a_remedy_chosen_beside_a_search_told_is_noted_as_the_choice(db, dispatcher):
    tracker, order = in_open_case(
        db, "delivered_not_received", CaseKind.LOST, "快递柜翻了没有 直接给我退款吧", "nlu_fallback"
    )
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    db.expire_all()
    case = db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)).one()
    assert CHOSEN_MARK in (case.detail or "")
