"""Forms never trap the shopper (trial 3: T50, T51, T57, T58, T59): the bot's own buttons, a
change of subject, another field's value and a question are never taken for the answer a form
waits for; a plain yes is a yes, a question never is; a form asks the same question at most
twice, then offers a person."""

import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from sqlalchemy import select

from bot.actions.common import form_turn
from bot.actions.form_turns import times_asked
from bot.actions.invoice_form import ActionAskInvoiceTaxNo, ValidateInvoiceForm
from bot.actions.order_changes import (
    ActionApplyOrderChange,
    ActionAskChangeConfirmed,
    ActionAskChangeValue,
    ValidateModifyOrderForm,
)
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from conversations.reading import Answer, answer_to_confirmation
from core.clock import utcnow
from shop.invoices import invoice_refusal
from shop.models import AfterSale, Order
from shop.modifications import ChangeField, read_change, variant_named
from tests.bot.conftest import DOMAIN, demo_order, make_tracker, responses, slots_set, user_event

NEW_ADDRESS = "浙江省杭州市拱墅区莫干山路1418号华丰新村6幢3单元202"
RETURN = "request_return_exchange"


def _form_turn(text: str, intent: str, slots: dict[str, Any], just_set=None) -> Tracker:
    """The change form's turn after the shopper wrote `text` (slots as before it)."""
    tracker = make_tracker({**slots, **(just_set or {})}, text, intent, "modify_order_form")
    tracker.sender_id = uuid.uuid4().hex
    before = [{"event": "slot", "name": k, "value": v} for k, v in slots.items()]
    tracker.events = [
        *before,
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        *({"event": "slot", "name": k, "value": v} for k, v in (just_set or {}).items()),
    ]
    return tracker


def _verified(situation: str, **slots: Any) -> dict[str, Any]:
    order_no, tail = demo_order(situation)
    return {"order_id": order_no, "verified_order_no": order_no, "phone_tail": tail, **slots}


def _order(db, order_no: str) -> Order:
    db.expire_all()
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


# --- T51: one size up is a spec change; the shopper can turn the change to another field --------


@pytest.mark.parametrize(
    "text", ["换成大一号", "尺码拍小了 能换大一号吗", "换小一码的", "要大一个码"]
)
def test_one_size_up_or_down_is_a_spec_change_never_a_day_of_the_month(text):
    assert read_change(text).field == ChangeField.SPEC


def test_the_first_of_the_month_is_still_a_delivery_day():
    assert read_change("1号送").field == ChangeField.DELIVERY_TIME


def test_one_size_up_names_the_next_size_of_the_items_own_product(db):
    order = _order(db, demo_order("awaiting_shipment", "P1001-BK-M")[0])
    named = variant_named(order, "换成大一号")
    assert named is not None
    assert named[1].size == "L"
    smaller = variant_named(order, "小一码")
    assert smaller is not None
    assert smaller[1].size == "S"


async def test_saying_it_is_not_the_appointment_but_the_size_turns_the_change_to_the_size(
    dispatcher, db
):
    slots = _verified(
        "awaiting_shipment", change_field="delivery_time", requested_slot="change_value"
    )
    tracker = _form_turn("不是约送货 是改尺码 换大一号", "modify_order", slots)
    with form_turn():
        events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["change_field"] == "spec"
    assert not any("约哪天" in (m.get("text") or "") for m in dispatcher.messages)


async def test_a_size_named_while_the_appointment_is_asked_turns_the_change_to_the_size(
    dispatcher, db
):
    # trial 19, T608: read as an exchange, it got "签收之后才能申请退换货" on an unshipped order
    slots = _verified(
        "awaiting_shipment", change_field="delivery_time", requested_slot="change_value"
    )
    tracker = _form_turn("哦对 尺码帮我换成L 还是黑色", "request_return_exchange", slots)
    with form_turn():
        events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["change_field"] == "spec"


@pytest.mark.parametrize("typed", ["/deny", "／deny", "/request_human", "／request_human"])
async def test_the_forms_own_buttons_are_never_taken_for_an_appointment(dispatcher, db, typed):
    slots = _verified(
        "awaiting_shipment", change_field="delivery_time", requested_slot="change_value"
    )
    events = await ValidateModifyOrderForm().run(  # the NLU reads the typed payload as data
        dispatcher, _form_turn(typed, "inform", slots), DOMAIN
    )
    assert "change_value" not in slots_set(events)  # the form rejects: the button's rule answers
    assert dispatcher.messages == []


# --- T50: a new phone while the new address is said back ---------------------------------------


async def test_a_new_phone_while_the_address_is_said_back_is_kept_and_said_back_with_it(
    dispatcher, db
):
    slots = _verified(
        "awaiting_shipment",
        change_field="address",
        change_value=NEW_ADDRESS,
        requested_slot="change_confirmed",
    )
    tracker = _form_turn("手机号也换一下 159 6812 3377", "modify_order", slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    found = slots_set(events)
    assert found["also_change"] == ["phone", "15968123377"]
    assert "change_value" not in found
    assert "change_field" not in found
    assert not any("不完整" in (m.get("text") or "") for m in dispatcher.messages)

    tracker.slots.update(found)
    await ActionAskChangeConfirmed().run(dispatcher, tracker, DOMAIN)
    said = dispatcher.messages[-1]["text"]
    assert NEW_ADDRESS in said
    assert "15968123377" in said


async def test_a_yes_to_the_address_and_phone_said_back_makes_both_changes(dispatcher, db):
    slots = _verified(
        "awaiting_shipment",
        change_field="address",
        change_value=NEW_ADDRESS,
        change_confirmed=True,
        also_change=["phone", "15968123377"],
    )
    events = await ActionApplyOrderChange().run(dispatcher, make_tracker(slots), DOMAIN)
    order = _order(db, slots["verified_order_no"])
    assert order.shipping_address == NEW_ADDRESS
    assert order.receiver_phone == "15968123377"
    assert "后四位" in dispatcher.messages[-1]["text"]  # which tail to give from now on
    assert slots_set(events)["also_change"] is None


async def test_a_new_phone_before_the_address_is_given_is_noted_and_the_address_asked(
    dispatcher, db
):
    slots = _verified("awaiting_shipment", change_field="address", requested_slot="change_value")
    tracker = _form_turn("15968123377", "inform", slots)
    found = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert found == {"also_change": ["phone", "15968123377"]}
    tracker.slots.update(found)
    await ActionAskChangeValue().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher)[0] == "utter_change_also_noted"
    assert "收货地址" in dispatcher.messages[1]["text"]


# --- T58, T59: a question is never a yes; a plain yes always is --------------------------------


@pytest.mark.parametrize(
    "text", ["七天无理由对吧", "是不是包邮", "运费谁出", "好 那我怎么弄", "对 多久退钱"]
)
def test_a_question_is_never_a_yes_to_a_say_back(text):
    assert answer_to_confirmation(text) == Answer.UNSURE


@pytest.mark.parametrize(
    "text", ["确认", "对", "是的", "好的 确认", "好的呢", "/affirm", "／affirm"]
)
def test_a_plain_yes_or_the_confirm_button_typed_is_a_yes(text):
    assert answer_to_confirmation(text) == Answer.YES


def test_the_keep_button_typed_is_a_no():
    assert answer_to_confirmation("／deny") == Answer.NO


async def test_asking_if_it_is_the_seven_day_return_submits_nothing(dispatcher, db):
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, "pending_request": RETURN},
        text="七天无理由对吧", intent="request_return_exchange",
        earlier=[user_event("这个不太喜欢 没拆封 能退吗", "request_return_exchange"),
                 {"event": "action", "name": "action_handle_order_request"},
                 {"event": "action", "name": "action_listen"}],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert (
        db.scalars(select(AfterSale).where(AfterSale.order_id == _order(db, order_no).id)).first()
        is None
    )
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirm", "/deny"]


async def test_a_typed_confirm_right_after_the_say_back_carries_it_out(dispatcher, db):
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, "pending_request": RETURN},
        text="确认", intent="affirm",
        earlier=[user_event("这个不太喜欢 没拆封 能退吗", "request_return_exchange"),
                 {"event": "action", "name": "action_handle_order_request"},
                 {"event": "action", "name": "action_listen"}],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "utter_request_waits" not in responses(dispatcher)
    assert db.scalars(
        select(AfterSale).where(AfterSale.order_id == _order(db, order_no).id)
    ).first()


# --- T57: the invoice form never swallows another need; three asks at most --------------------


def _invoice_turn(text: str, intent: str, asked_before: int = 1) -> Tracker:
    order_no, tail = demo_order("not_returnable")
    asks = [{"event": "slot", "name": "requested_slot", "value": "invoice_tax_no"}] * asked_before
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail,
         "requested_slot": "invoice_tax_no", "invoice_title": "郑州锦程商贸有限公司"},
        text=text, intent=intent, active_loop="invoice_form",
        earlier=[user_event("这单要开公司的发票", "faq"), *asks],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("买了两件只到了一件", "report_wrong_or_missing_item"),
        ("箱子里就这些 我拍给你", "inform"),
        ("/deny", "inform"),  # a typed button payload, whatever the NLU made of it
        ("转人工", "request_human"),
    ],
)
async def test_a_message_without_a_tax_number_is_left_to_its_own_rule(dispatcher, db, text, intent):
    with form_turn():
        found = await ValidateInvoiceForm().extract_invoice_tax_no(
            dispatcher, _invoice_turn(text, intent), {}
        )
    assert found == {}  # the form rejects it: the missing item (or the button) is answered
    assert dispatcher.messages == []


async def test_the_invoice_form_offers_a_person_instead_of_a_third_ask(dispatcher, db):
    tracker = _invoice_turn("91410105MA9F3K7L2X", "inform", asked_before=2)
    assert times_asked(tracker, "invoice_tax_no") == 2
    await ActionAskInvoiceTaxNo().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_form_stuck"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


async def test_the_invoice_form_asks_its_question_the_first_two_times(dispatcher, db):
    await ActionAskInvoiceTaxNo().run(dispatcher, _invoice_turn("x", "inform", 1), DOMAIN)
    assert responses(dispatcher) == ["utter_ask_invoice_tax_no"]


async def test_the_change_form_offers_a_person_instead_of_a_third_value_question(dispatcher, db):
    slots = _verified("awaiting_shipment", change_field="address", requested_slot="change_value")
    tracker = make_tracker(slots, "朝阳那边", "inform", "modify_order_form")
    tracker.events = [
        {"event": "slot", "name": "requested_slot", "value": "change_value"},
        user_event("朝阳", "inform"),
        {"event": "slot", "name": "requested_slot", "value": "change_value"},
        user_event("朝阳那边", "inform"),
    ]
    await ActionAskChangeValue().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_form_stuck"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert "/request_human" in payloads
    assert "/deny" in payloads


def test_the_missing_item_order_of_the_conversation_test_can_have_an_invoice(db):
    order = _order(db, demo_order("wrong_item", which=1)[0])
    assert order.order_no == "6635515058770658"
    assert invoice_refusal(db, order, utcnow()) is None
