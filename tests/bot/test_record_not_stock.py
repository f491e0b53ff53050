"""The order's own record answers, never stock text or a repeat (trial 6: T83, T110, T111,
T119, T120): an invoice already asked for is said as it is (never a new application, never its
tax number asked again), a change of the invoice is said from the record, a 价保 refund asked
about is that refund's money, and a repeat after a new answer in the same turn is left out."""

import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import Turn
from bot.actions.faq import ActionAnswerFaq
from bot.actions.invoice_form import ActionConfirmInvoice, ValidateInvoiceForm
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.order_services import money_topic_in, order_need
from core.clock import utcnow
from core.database import unit_of_work
from shop.demo.seed import CATALOGUE_FILE, ORDERS_FILE, load_yaml
from shop.invoice_reading import InvoiceAsk, find_title, read_invoice_wish
from shop.orders import load_order
from shop.price_protection import apply_price_protection
from tests.bot.conftest import DOMAIN, make_tracker, responses, user_event

SPECIAL_ASKED = "6559797114710497"  # a 专票 asked for: 成都云帆信息技术有限公司, its tax number
SPECIAL_TAX_NO = "91510100MA6C8QW3XW"
REISSUED_ONCE = "7130445166915640"  # its invoice already reissued once (the policy's limit)
PRICE_DROPPED = "3185726049317726"  # ¥60 of 价保 to claim, paid with 支付宝
TAX_NO_ASKED = "税号（统一社会信用代码"


def _tail(order_no: str) -> str:
    phones = {c["code"]: c["phone"] for c in load_yaml(CATALOGUE_FILE)["customers"]}
    [spec] = [s for s in load_yaml(ORDERS_FILE)["orders"] if s["order_no"] == order_no]
    return str(phones[spec["customer"]][-4:])


def _verified(order_no: str, words: str, need: str | None, text: str | None = None) -> Tracker:
    """The tracker once the lookup verified `order_no` after the shopper's `words` (the need
    action_answer_faq noted from them); the latest message is `text`, else the phone tail."""
    tail = _tail(order_no)
    earlier: list[dict[str, Any]] = [user_event(words, "faq")]
    if need:
        earlier.append({"event": "slot", "name": "order_need", "value": need})
    earlier.append(user_event(tail, "inform"))
    slots = {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail}
    tracker = make_tracker({**slots, "order_need": need}, text or tail, earlier=earlier)
    tracker.sender_id = uuid.uuid4().hex
    return tracker


def _text(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- an invoice already asked for is said as it is -------------------------------------------

STATUS_OF_AN_APPLICATION = [
    "到哪了 还有我们公司申请的那个专票开了没 财务在催",
    "之前申请过专票 啥时候能开出来",
    "我已经申请了公司发票 开好没有",
    "申请的发票开了吗",
    "公司那张专票开出来没 急着报账",
]


@pytest.mark.parametrize("text", STATUS_OF_AN_APPLICATION)
def test_a_shopper_who_asks_whether_the_invoice_applied_for_is_issued_asks_its_status(text):
    wish = read_invoice_wish(text)
    assert wish.ask == InvoiceAsk.STATUS
    assert wish.title is None  # 还有我们公司, 我已经申请了公司: no company's name
    assert order_need(f"{SPECIAL_ASKED} {text}") == "invoice"  # never the company-invoice form


@pytest.mark.parametrize("text", ["帮我申请个发票", "我要申请专票 开公司的", "我们公司要发票"])
def test_a_shopper_who_asks_for_an_invoice_still_asks_for_one(text):
    assert read_invoice_wish(text).ask == InvoiceAsk.REQUEST


def test_words_around_a_company_are_not_taken_for_its_name():
    assert find_title("还有我们公司申请的那个专票开了没") is None
    assert find_title("我已经申请了公司发票") is None
    assert find_title("抬头 成都锦程信息技术有限公司") == "成都锦程信息技术有限公司"


async def test_a_shopper_whose_company_invoice_is_asked_for_hears_it_without_a_new_application(
    db,
):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text=f"{SPECIAL_ASKED} 我们公司申请的那个专票开了没", intent="faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    assert _slots(events)["order_need"] == "invoice"
    assert "utter_open_company_invoice" not in responses(dispatcher)  # never "我来帮您申请"


@pytest.mark.parametrize(
    "words", ["帮我开专票", "公司的专票麻烦开一下", "我们公司要开增值税专用发票"]
)
async def test_a_shopper_asking_for_the_invoice_the_order_already_has_hears_it_not_the_tax_no(
    db, words
):
    dispatcher = CollectingDispatcher()
    tracker = _verified(SPECIAL_ASKED, words, "invoice")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "已经申请了" in text
    assert SPECIAL_TAX_NO in text
    assert TAX_NO_ASKED not in text
    assert _slots(events)["pending_request"] is None


async def test_the_company_invoice_form_ends_on_an_order_whose_invoice_is_asked_for_already(db):
    tracker = _verified(SPECIAL_ASKED, "我们公司要开专票", "invoice_details")
    with unit_of_work() as session:
        form = ValidateInvoiceForm()
        from bot.actions.common import _turn_session

        token = _turn_session.set(session)
        try:
            assert form.cannot_go_on(SPECIAL_ASKED, tracker)  # no title or tax number asked
        finally:
            _turn_session.reset(token)
    dispatcher = CollectingDispatcher()
    await ActionConfirmInvoice().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "已经申请了" in text
    assert "utter_invoice_stopped" not in responses(dispatcher)  # never "发票先不开了"


async def test_a_personal_invoice_on_record_still_lets_the_company_one_be_asked_for(db):
    dispatcher = CollectingDispatcher()
    tracker = _verified("3614014193141705", "帮我开公司抬头的发票", "invoice")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "公司全称和税号" in _text(dispatcher)  # what is still needed for the new one


# --- a change of the invoice is said from the record -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"{REISSUED_ONCE} 发票税号还是错了一位 再帮我换开一下",
        "我的发票抬头开错了 帮我重开一张",
        "税号写错了 要换开",
    ],
)
def test_a_shopper_who_asks_to_change_the_invoice_is_answered_from_the_record(text):
    assert order_need(text) == "invoice"  # not "invoice_details": no "我来帮您申请"


async def test_a_shopper_asking_for_a_second_reissue_is_told_it_cannot_be_and_offered_a_person(
    db,
):
    dispatcher = CollectingDispatcher()
    tracker = _verified(REISSUED_ONCE, "发票税号还是错了一位 再帮我换开一下", "invoice")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "不能再换开" in text
    assert "申请公司抬头" not in text


# --- a 价保 refund asked about is that refund --------------------------------------------------


def test_a_refund_question_right_after_a_price_protection_said_back_is_about_it():
    events = [
        user_event("降价了能保价吗", "faq"),
        {"event": "slot", "name": "pending_request", "value": "price_protection"},
        user_event("好 申请", "affirm"),
        user_event("/confirm_request", "affirm"),
        {"event": "slot", "name": "pending_request", "value": None},
        user_event("退到哪 多久到", "ask_refund_status"),
    ]
    assert money_topic_in(events, "退到哪 多久到") == "price_protection"


@pytest.mark.parametrize("question", ["退到哪 多久到", "钱什么时候到账", "差价退哪里了"])
async def test_a_shopper_who_asks_where_the_price_protection_money_goes_hears_that_refund(
    db, question
):
    with unit_of_work() as session:  # the 价保 applied on the shopper's yes a moment ago
        order = load_order(session, PRICE_DROPPED)
        assert order is not None
        apply_price_protection(session, order, utcnow())
    dispatcher = CollectingDispatcher()
    tracker = _verified(PRICE_DROPPED, "降价了能保价吗", "price_protection", question)
    tracker.events[-1:-1] = [
        {"event": "slot", "name": "pending_request", "value": "price_protection"},
        user_event("好 申请", "affirm"),
        {"event": "slot", "name": "pending_request", "value": None},
    ]
    tracker.latest_message["intent"] = {"name": "ask_refund_status"}
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[-1]["text"]
    assert "价保差价 ¥60.00" in text
    assert "支付宝" in text
    assert "前到账" in text
    assert "仓库签收退货" not in text  # never the return's refund text
    assert "确认申请价保" not in text


# --- a repeat after a new answer in the same turn is left out ---------------------------------

ORDER_ASKED = "麻烦把订单号和收货手机号后4位一起发给我，核对后马上帮您查。"


def _asked_again_after(answer: str | None, db_session: Any) -> Turn:
    """This turn, after the bot asked for the order a turn ago (and, when `answer`, an earlier
    action of this turn answered the shopper's new question)."""
    earlier = [user_event("买完要是降价了能保价吗", "faq"), {"event": "bot", "text": ORDER_ASKED}]
    tracker = make_tracker({}, "保修几年", "ask_product_info", earlier=earlier)
    if answer:
        tracker.events.append({"event": "bot", "text": answer})
    return Turn(db_session, tracker, CollectingDispatcher(), utcnow())


def test_a_shopper_who_asks_something_new_gets_the_answer_without_the_old_request_said_again():
    with unit_of_work() as session:
        turn = _asked_again_after("「美的 60升电热水器」的保修：整机3年，内胆8年。", session)
        turn.out.utter_message(text=ORDER_ASKED)
        assert turn.out.messages == []  # no "和刚才说的一样：麻烦把订单号…"


def test_an_answer_and_then_the_old_request_in_one_action_leaves_the_request_out():
    with unit_of_work() as session:
        turn = _asked_again_after(None, session)
        turn.out.utter_message(text="「美的 60升电热水器」的保修：整机3年，内胆8年。")
        turn.out.utter_message(text=ORDER_ASKED)
        assert [m["text"] for m in turn.out.messages] == [
            "「美的 60升电热水器」的保修：整机3年，内胆8年。"
        ]


def test_a_request_said_again_with_nothing_new_this_turn_is_still_one_short_line():
    with unit_of_work() as session:
        turn = _asked_again_after(None, session)
        turn.out.utter_message(text=ORDER_ASKED)
        assert turn.out.messages[0]["text"].startswith("和刚才说的一样")


@pytest.mark.parametrize("question", ["钱退到哪里 多久到账", "退款多久能到"])
async def test_a_refund_policy_question_on_an_order_with_price_protection_applied_is_that_money(
    db, question
):
    with unit_of_work() as session:
        order = load_order(session, PRICE_DROPPED)
        assert order is not None
        apply_price_protection(session, order, utcnow())
    dispatcher = CollectingDispatcher()
    tracker = _verified(PRICE_DROPPED, "降价了能保价吗", None, question)
    tracker.latest_message["intent"] = {"name": "faq"}
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "价保差价 ¥60.00" in text
    assert "仓库签收退货" not in text
