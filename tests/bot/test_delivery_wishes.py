"""A delivery wish the bot invited (周六上午吧, 门卫室) is read, said back and recorded on a yes."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.order_changes import (
    ActionApplyOrderChange,
    ActionAskChangeConfirmed,
    ValidateModifyOrderForm,
)
from core.clock import to_shop_time, utcnow
from shop.appointments import DeliveryAppointment, is_delivery_wish, read_appointment
from shop.models import DeliveryPlace
from tests.bot.conftest import DOMAIN, make_tracker, order_in

# Saturday 5 December 2026, 18:15 in the shop's time zone (the trial's moment).
SATURDAY_EVENING = datetime(2026, 12, 5, 10, 15, tzinfo=UTC)
NEXT_SATURDAY = date(2026, 12, 12)


def _starting_turn(text: str, intent: str, order_no: str, tail: str) -> Tracker:
    """The change form's first turn on an order the conversation verified before."""
    verified = {"order_id": order_no, "phone_tail": tail, "verified_order_no": order_no}
    tracker = make_tracker({**verified, "requested_slot": None}, text, intent, "modify_order_form")
    tracker.sender_id = uuid.uuid4().hex
    tracker.events = [{"event": "slot", "name": k, "value": v} for k, v in verified.items()]
    tracker.events += [{"event": "user", "text": text}]
    return tracker


async def _slots(tracker: Tracker) -> dict:
    events = await ValidateModifyOrderForm().run(CollectingDispatcher(), tracker, DOMAIN)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def _tail(order) -> str:
    return order.customer.phone[-4:]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("平时家里没人 能不能周六给我送", "modify_order"),  # T41: stated with the request
        ("我在上班 家里没人 让快递放小区门卫", "modify_order"),  # T42
        ("周六上午吧 下午我出门", "inform"),  # T41: after the invitation, read as data
        ("汇贤居北门那个门卫室", "inform"),  # T42
    ],
)  # fmt: skip
async def test_a_wish_on_a_shipped_order_is_read_as_the_appointment_not_refused(db, text, intent):
    order = order_in(db, "in_transit")
    slots = await _slots(_starting_turn(text, intent, order.order_no, _tail(order)))
    assert slots["change_field"] == "delivery_time"
    appointment = DeliveryAppointment.from_code(slots["change_value"])
    assert appointment is not None
    assert not appointment.empty


async def test_a_saturday_morning_said_on_a_saturday_evening_is_next_saturday_morning(db):
    order = order_in(db, "in_transit")
    tracker = _starting_turn("周六上午吧 下午我出门", "inform", order.order_no, _tail(order))
    slots = await _slots(tracker)
    wish = DeliveryAppointment.from_code(slots["change_value"])
    today = to_shop_time(utcnow()).date()
    assert wish is not None
    assert wish.day is not None
    assert wish.day.weekday() == 5
    assert today < wish.day <= today + timedelta(days=7)
    assert (wish.from_hour, wish.until_hour) == (9, 12)  # not the afternoon they are out
    assert read_appointment("周六上午吧 下午我出门", SATURDAY_EVENING).day == NEXT_SATURDAY
    assert read_appointment("这周六", SATURDAY_EVENING).day == date(2026, 12, 5)


async def test_pasted_order_details_or_a_plain_thanks_are_not_a_delivery_wish(db):
    order = order_in(db, "in_transit")
    card = f"订单编号：{order.order_no} 下单时间：2026-12-01 20:41:09"
    for text in (card, "好的 谢谢"):
        slots = await _slots(_starting_turn(text, "inform", order.order_no, _tail(order)))
        assert slots.get("change_field") is None
    assert not is_delivery_wish("明天能到吗", SATURDAY_EVENING)  # a question, for tracking
    assert not is_delivery_wish("昨天收到的 箱子压扁了", SATURDAY_EVENING)


async def test_a_gatekeeper_drop_off_is_said_back_and_recorded_on_yes(db):
    order = order_in(db, "out_for_delivery")
    code = DeliveryAppointment(place=DeliveryPlace.GATEHOUSE).code()
    slots = {
        "verified_order_no": order.order_no,
        "change_field": "delivery_time",
        "change_value": code,
    }
    asked = CollectingDispatcher()
    await ActionAskChangeConfirmed().run(asked, make_tracker(slots), DOMAIN)
    said_back = asked.messages[0]["text"]
    shipment = order.latest_shipment
    assert shipment is not None
    assert "门卫" in said_back
    assert shipment.carrier in said_back
    assert said_back.rstrip().endswith("？")  # asked, not done

    done = CollectingDispatcher()
    await ActionApplyOrderChange().run(
        done, make_tracker({**slots, "change_confirmed": True}), DOMAIN
    )
    db.expire_all()
    assert order.delivery_place == DeliveryPlace.GATEHOUSE
    assert "门卫" in done.messages[0]["text"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [("改成明天晚上十点以后送可以吗 我加班", "8点到21点"), ("能不能约个时间送 下下下周六", "暂存")],
)
async def test_a_wish_the_carrier_cannot_keep_said_with_the_request_is_told_why_at_once(
    db, text, problem
):
    order = order_in(db, "in_transit")
    dispatcher = CollectingDispatcher()
    tracker = _starting_turn(text, "modify_order", order.order_no, _tail(order))
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["change_field"] == "delivery_time"
    assert slots.get("change_value") is None  # asked again, nothing said back
    assert problem in dispatcher.messages[0]["text"]
