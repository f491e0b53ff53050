"""The order-lookup form: shape checks, pair verification, three strikes, and the status reply."""

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from bot.actions.common import form_turn
from bot.actions.order_lookup import ActionHandleOrderRequest, ValidateOrderLookupForm
from shop.models import Order, OrderStatus
from tests.bot.conftest import responses


def _validate_phone_tail(value, dispatcher, tracker):
    """The form's phone-tail check inside a turn's unit of work, as `run` calls it."""
    with form_turn():
        return ValidateOrderLookupForm().validate_phone_tail(value, dispatcher, tracker, {})


@pytest.fixture
def order(db) -> Order:
    return db.scalars(select(Order).where(Order.status == OrderStatus.SHIPPED).limit(1)).one()


def test_order_number_pasted_in_a_sentence_is_kept_as_digits(dispatcher, tracker_with):
    slots = ValidateOrderLookupForm().validate_order_id(
        "单号 2611-1500-0123-4567", dispatcher, tracker_with(), {}
    )
    assert slots == {"order_id": "2611150001234567"}
    assert dispatcher.messages == []


def test_a_short_number_is_not_an_order_number(dispatcher, tracker_with):
    slots = ValidateOrderLookupForm().validate_order_id("88", dispatcher, tracker_with(), {})
    assert slots == {"order_id": None}
    assert responses(dispatcher) == ["utter_invalid_order_id"]


def test_the_right_phone_tail_verifies_the_order(dispatcher, tracker_with, order):
    tracker = tracker_with({"order_id": order.order_no})
    slots = _validate_phone_tail(order.phone_tail, dispatcher, tracker)
    assert slots == {"phone_tail": order.phone_tail, "verified_order_no": order.order_no}


def test_a_wrong_phone_tail_clears_both_values_and_counts_a_failure(
    dispatcher, tracker_with, order
):
    tracker = tracker_with({"order_id": order.order_no})
    wrong = f"{(int(order.phone_tail) + 1) % 10000:04d}"
    slots = _validate_phone_tail(wrong, dispatcher, tracker)
    assert slots == {"order_id": None, "phone_tail": None, "lookup_failures": 1}
    assert responses(dispatcher) == ["utter_pair_not_matched"]


def test_the_third_failure_blocks_the_lookup(dispatcher, tracker_with, order):
    tracker = tracker_with({"order_id": order.order_no, "lookup_failures": 2.0})
    slots = _validate_phone_tail("0000", dispatcher, tracker)
    assert slots["lookup_blocked"] is True
    assert slots["lookup_failures"] == 3


def test_another_order_number_after_verification_needs_its_own_phone_tail(
    dispatcher, tracker_with, order
):
    tracker = tracker_with({"verified_order_no": "1111222233334444", "phone_tail": "2751"})
    slots = ValidateOrderLookupForm().validate_order_id(order.order_no, dispatcher, tracker, {})
    assert slots == {"order_id": order.order_no, "verified_order_no": None, "phone_tail": None}


def test_digits_in_a_later_message_do_not_redo_the_verification(dispatcher, tracker_with, order):
    tracker = tracker_with({"order_id": order.order_no, "verified_order_no": order.order_no})
    slots = _validate_phone_tail("5678", dispatcher, tracker)
    assert slots == {}
    assert dispatcher.messages == []


async def test_a_blocked_lookup_requires_nothing_more(dispatcher, tracker_with):
    required = await ValidateOrderLookupForm().required_slots(
        ["order_id", "phone_tail"], dispatcher, tracker_with({"lookup_blocked": True}), {}
    )
    assert required == []


async def test_a_verified_order_gets_its_status_in_words(dispatcher, tracker_with, order):
    tracker = tracker_with({"verified_order_no": order.order_no, "phone_tail": order.phone_tail})
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert order.order_no in text
    assert order.shipments[-1].tracking_no in text
    assert SlotSet("lookup_failures", 0) in events


async def test_the_verified_order_is_served_after_its_phone_was_changed(
    dispatcher, tracker_with, order
):
    tracker = tracker_with({"verified_order_no": order.order_no, "phone_tail": "0000"})
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert order.order_no in dispatcher.messages[0]["text"]


async def test_a_blocked_shopper_is_told_to_use_the_order_page_or_a_human(dispatcher, tracker_with):
    await ActionHandleOrderRequest().run(dispatcher, tracker_with({"lookup_blocked": True}), {})
    assert responses(dispatcher) == ["utter_lookup_blocked"]
