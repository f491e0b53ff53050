"""The order-lookup form: shape checks, pair verification, three strikes, and the status reply."""

import uuid

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from bot.actions.common import form_turn
from bot.actions.order_lookup import ActionHandleOrderRequest, ValidateOrderLookupForm
from core.events import Event, EventName
from shop.models import Order, OrderStatus
from shop.orders import CLIENT_VERIFY_MISSES, VERIFY_MISSES, LockScope
from tests.bot.conftest import DOMAIN, lookup_turn, responses


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


def test_a_wrong_phone_tail_keeps_the_order_number_and_counts_a_failure(
    dispatcher, tracker_with, order
):
    tracker = tracker_with({"order_id": order.order_no})
    wrong = f"{(int(order.phone_tail) + 1) % 10000:04d}"
    slots = _validate_phone_tail(wrong, dispatcher, tracker)
    assert slots == {"phone_tail": None, "lookup_failures": 1}  # the tail is asked again
    assert responses(dispatcher) == ["utter_pair_not_matched"]


def test_the_third_failure_blocks_the_lookup(dispatcher, tracker_with, order):
    tracker = tracker_with({"order_id": order.order_no, "lookup_failures": 2.0})
    slots = _validate_phone_tail("0000", dispatcher, tracker)
    assert slots["lookup_blocked"] is True
    assert slots["lookup_failures"] == 3


def test_another_order_number_after_verification_needs_its_own_phone_tail(
    dispatcher, tracker_with, order
):
    tracker = tracker_with({"verified_order_no": "1111222233334444", "phone_tail": "0000"})
    with form_turn():
        slots = ValidateOrderLookupForm().validate_order_id(order.order_no, dispatcher, tracker, {})
    assert slots == {"order_id": order.order_no, "verified_order_no": None, "phone_tail": None}


def test_another_order_of_the_same_shopper_is_verified_by_the_tail_given_before(
    dispatcher, tracker_with, order
):
    tracker = tracker_with(
        {"verified_order_no": "1111222233334444", "phone_tail": order.phone_tail}
    )
    with form_turn():
        slots = ValidateOrderLookupForm().validate_order_id(order.order_no, dispatcher, tracker, {})
    assert slots == {"order_id": order.order_no, "verified_order_no": order.order_no}


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


# --- what shoppers type and paste, read in the form's whole turn ----------------------------


async def _run(tracker: Tracker, dispatcher) -> dict:
    events = await ValidateOrderLookupForm().run(dispatcher, tracker, DOMAIN)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_a_corrected_tail_after_a_wrong_one_verifies_the_order(dispatcher, order):
    wrong = f"{(int(order.phone_tail) + 1) % 10000:04d}"
    asked = {"order_id": order.order_no, "requested_slot": "phone_tail"}
    first = await _run(lookup_turn(wrong, asked, {"phone_tail": wrong}), dispatcher)
    assert first["phone_tail"] is None
    assert "order_id" not in first or first["order_id"] == order.order_no
    retry = {**asked, "lookup_failures": 1.0}
    second = await _run(lookup_turn(f"不对 是{order.phone_tail}", retry), dispatcher)
    assert second["verified_order_no"] == order.order_no


async def test_a_tail_given_before_the_order_number_waits_for_it(dispatcher, order):
    tail = order.phone_tail
    first = await _run(
        lookup_turn(tail, {"requested_slot": "order_id"}, {"phone_tail": tail}), dispatcher
    )
    assert first["phone_tail"] == tail
    assert "lookup_failures" not in first
    assert dispatcher.messages == []
    later = {"phone_tail": tail, "requested_slot": "order_id"}
    second = await _run(
        lookup_turn(order.order_no, later, {"order_id": order.order_no}), dispatcher
    )
    assert second["verified_order_no"] == order.order_no


PASTED = "订单编号：{} 创建时间：2026-11-30 10:12:33 付款时间：2026-11-30 10:13:02"


async def test_pasted_order_details_give_the_order_number_not_a_date_for_a_tail(dispatcher, order):
    text = PASTED.format(order.order_no)
    misread = {"order_id": "2026113010", "phone_tail": "2026"}  # what NLU might tag
    slots = await _run(lookup_turn(text, {"requested_slot": "order_id"}, misread), dispatcher)
    assert slots["order_id"] == order.order_no
    assert slots["phone_tail"] is None
    assert "lookup_failures" not in slots  # no failed try counted
    assert responses(dispatcher) == []


async def test_pasted_order_details_with_the_tail_verify_at_once(dispatcher, order):
    text = f"{PASTED.format(order.order_no)} 尾号{order.phone_tail}"
    slots = await _run(lookup_turn(text, {"requested_slot": None}), dispatcher)
    assert slots["verified_order_no"] == order.order_no


@pytest.mark.parametrize("text", ["1391234567", "139123456789"])
async def test_a_phone_a_digit_off_at_the_tail_question_gets_a_hint(dispatcher, order, text):
    asked = {"order_id": order.order_no, "requested_slot": "phone_tail"}
    slots = await _run(lookup_turn(text, asked, {"order_id": text}), dispatcher)
    assert slots["phone_tail"] is None  # the form asks for the tail again
    assert slots.get("order_id", order.order_no) == order.order_no
    assert f"{len(text)}位" in dispatcher.messages[0]["text"]
    assert "lookup_failures" not in slots


async def test_a_number_of_the_wrong_length_for_an_order_says_so(dispatcher):
    slots = await _run(lookup_turn("12345678", {"requested_slot": "order_id"}), dispatcher)
    assert slots["order_id"] is None
    assert responses(dispatcher) == ["utter_invalid_order_id"]


async def test_a_tax_number_at_the_order_number_question_is_no_order_number_gone_wrong(
    dispatcher,
):
    text = "抬头 北京星河远航科技有限公司 税号91110105MA01R3KX7P"
    await _run(lookup_turn(text, {"requested_slot": "order_id"}), dispatcher)
    assert "utter_invalid_order_id" not in responses(dispatcher)


@pytest.mark.parametrize("payload", ["/track_order", "/affirm", "/request_human"])
async def test_a_button_at_the_order_number_question_fills_nothing(dispatcher, payload):
    slots = await _run(lookup_turn(payload, {"requested_slot": "order_id"}), dispatcher)
    assert slots == {}  # the form rejects: the rules for the button's intent answer it


async def test_the_number_and_the_tail_in_one_message_verify_at_once(dispatcher, order):
    text = f"{order.order_no} {order.phone_tail}"
    nlu = {"order_id": order.order_no, "phone_tail": order.phone_tail}
    slots = await _run(lookup_turn(text, {"requested_slot": "order_id"}, nlu), dispatcher)
    assert slots["verified_order_no"] == order.order_no


def test_wrong_tails_from_new_conversations_lock_the_order_even_for_the_right_tail(
    dispatcher, tracker_with, order, db
):
    wrong = f"{(int(order.phone_tail) + 1) % 10000:04d}"
    for attempt in range(VERIFY_MISSES):
        tracker = tracker_with({"order_id": order.order_no})
        tracker.sender_id = uuid.uuid4().hex  # a new conversation each time: its count is 0
        slots = _validate_phone_tail(wrong, dispatcher, tracker)
        assert slots.get("lookup_blocked", False) is (attempt == VERIFY_MISSES - 1)
    tracker = tracker_with({"order_id": order.order_no})
    tracker.sender_id = uuid.uuid4().hex
    slots = _validate_phone_tail(order.phone_tail, dispatcher, tracker)
    assert "verified_order_no" not in slots
    assert slots["lookup_blocked"] is True  # the shopper is told to use the order page or a human
    locked = db.scalars(
        select(Event).where(
            Event.name == EventName.ORDER_VERIFICATION_LOCKED, Event.order_no == order.order_no
        )
    ).all()
    assert len(locked) == 1


def test_one_client_guessing_the_tails_of_many_orders_is_locked_for_every_order(
    dispatcher, tracker_with, db
):
    orders = db.scalars(select(Order).order_by(Order.id)).all()
    guesses = CLIENT_VERIFY_MISSES.amount
    assert len(orders) > guesses // (VERIFY_MISSES - 1), "enough orders to stay under their own"

    def attempt(order: Order, tail: str, client: str) -> dict:
        tracker = tracker_with({"order_id": order.order_no})
        tracker.sender_id = uuid.uuid4().hex  # a new conversation each time
        tracker.latest_message["metadata"] = {"client": client}
        return _validate_phone_tail(tail, dispatcher, tracker)

    def wrong(order: Order) -> str:
        return f"{(int(order.phone_tail) + 1) % 10000:04d}"

    for n in range(guesses):  # at most two misses per order: no order reaches its own lock
        slots = attempt(orders[n // 2], wrong(orders[n // 2]), "device-a")
        assert slots.get("lookup_blocked", False) is (n == guesses - 1)
    last = orders[-1]
    assert "verified_order_no" not in attempt(last, last.phone_tail, "device-a")
    assert attempt(last, last.phone_tail, "device-b")["verified_order_no"] == last.order_no
    locks = db.scalars(select(Event).where(Event.name == EventName.ORDER_VERIFICATION_LOCKED))
    assert [e.cause for e in locks] == [LockScope.CLIENT.value]
