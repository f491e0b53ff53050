"""Where an order stands: the facts a shopper asks about, as plain values."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import object_session

from core.clock import to_shop_time
from core.text import normalise
from shop.aftersales import PENDING_RETURN, ReturnToSend, product_names, return_to_send
from shop.appointments import DeliveryAppointment, read_appointment, upcoming_appointment
from shop.chasing import WAREHOUSE, Dispatch, next_dispatch
from shop.models import (
    AfterSaleStatus,
    CaseKind,
    CaseStatus,
    LogisticsCase,
    Order,
    OrderStatus,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from shop.policy import load_policy

REPORTED_AFTER_SALE = {*PENDING_RETURN, AfterSaleStatus.REFUNDED}


@dataclass(frozen=True)
class Scan:
    """One carrier scan."""

    at: datetime
    location: str
    description: str

    @classmethod
    def of(cls, event: TrackingEvent) -> "Scan":
        return cls(event.occurred_at, event.location, event.description)


@dataclass(frozen=True)
class Parcel:
    """The order's latest shipment."""

    carrier: str
    tracking_no: str
    status: ShipmentStatus
    delivered_at: datetime | None
    signed_by: str | None
    last_scan_at: datetime

    @property
    def delivered(self) -> bool:
        return self.status == ShipmentStatus.DELIVERED

    @classmethod
    def of(cls, shipment: Shipment) -> "Parcel":
        return cls(
            shipment.carrier,
            shipment.tracking_no,
            shipment.status,
            shipment.delivered_at,
            shipment.signed_by,
            shipment.last_scan_at,
        )


@dataclass(frozen=True)
class AfterSaleState:
    status: AfterSaleStatus
    amount: Decimal
    refund_channel: str | None
    refunded_at: datetime | None
    to_send: ReturnToSend | None = None  # an approved return: where and how to send it


@dataclass(frozen=True)
class OrderProgress:
    """Where the order is as of a moment: shipping, delivery, promises kept, after-sales."""

    order_no: str
    product_names: tuple[str, ...]
    status: OrderStatus
    promised_ship_by: datetime
    promised_delivery_by: datetime | None
    late_to_ship: bool
    parcel: Parcel | None
    latest_scans: tuple[Scan, ...]  # newest first
    quiet_days: int  # whole days since the last scan (0 when not in transit)
    stalled: bool
    past_promised_date: bool
    after_sale: AfterSaleState | None
    appointment: DeliveryAppointment | None = None  # the shopper's, while it lies ahead
    # not shipped yet: the warehouse's next dispatch it can still make (today's or tomorrow's)
    dispatch: Dispatch | None = None
    chase_reply_by: datetime | None = None  # chased with the warehouse: the shop answers by then

    @property
    def delayed(self) -> bool:
        return self.stalled or self.past_promised_date


def order_progress(order: Order, now: datetime, scans_shown: int = 3) -> OrderProgress:
    """Summarise `order` as of `now`."""
    shipment = order.latest_shipment
    in_transit = shipment is not None and shipment.status != ShipmentStatus.DELIVERED
    quiet = now - shipment.last_scan_at if shipment is not None and in_transit else timedelta(0)
    stalled = in_transit and quiet >= timedelta(days=load_policy().stall_after_days)
    past_promise = (
        in_transit and order.promised_delivery_by is not None and now > order.promised_delivery_by
    )
    after_sale = next(
        (a for a in reversed(order.after_sales) if a.status in REPORTED_AFTER_SALE), None
    )
    return OrderProgress(
        order_no=order.order_no,
        product_names=product_names(order),
        status=order.status,
        promised_ship_by=order.promised_ship_by,
        promised_delivery_by=order.promised_delivery_by,
        late_to_ship=order.status == OrderStatus.AWAITING_SHIPMENT and now > order.promised_ship_by,
        parcel=Parcel.of(shipment) if shipment else None,
        latest_scans=tuple(Scan.of(e) for e in reversed(shipment.events[-scans_shown:]))
        if shipment
        else (),
        quiet_days=quiet.days,
        stalled=stalled,
        past_promised_date=past_promise,
        after_sale=AfterSaleState(
            after_sale.status,
            after_sale.amount,
            after_sale.refund_channel,
            after_sale.refunded_at,
            return_to_send(order) if after_sale.status == AfterSaleStatus.AWAITING_RETURN else None,
        )
        if after_sale
        else None,
        appointment=upcoming_appointment(order, now),
        dispatch=next_dispatch(now) if order.status == OrderStatus.AWAITING_SHIPMENT else None,
        chase_reply_by=_warehouse_chase_reply_by(order),
    )


@dataclass(frozen=True)
class OrderAtAGlance:
    """A verified order in a few words (its items, its state and the latest fact: waiting to
    ship by, the last scan, signed on), for a shopper who gave the order without saying what
    they need: they are asked what it is."""

    progress: OrderProgress


def order_at_a_glance(order: Order, now: datetime) -> OrderAtAGlance:
    """`order` at a glance as of `now` (its latest scan only)."""
    return OrderAtAGlance(order_progress(order, now, scans_shown=1))


def _warehouse_chase_reply_by(order: Order) -> datetime | None:
    """When the shop answers the open chase of an order not yet shipped (shop.chasing)."""
    session = object_session(order)
    if session is None or order.status != OrderStatus.AWAITING_SHIPMENT:
        return None
    reply_by: datetime | None = session.scalars(
        select(LogisticsCase.reply_by).where(
            LogisticsCase.order_id == order.id,
            LogisticsCase.kind == CaseKind.DELAYED,
            LogisticsCase.carrier == WAREHOUSE,
            LogisticsCase.status == CaseStatus.OPEN,
        )
    ).first()
    return reply_by


# --- a follow-up on the tracking just shown ---------------------------------------------------


class FollowUpQuestion(StrEnum):
    ARRIVAL = "arrival"  # 明天能到吗, 那要多久, 什么时候到
    SLOW = "slow"  # 怎么这么慢, 还没到
    WHERE = "where"  # 到哪了还
    COURIER = "courier"  # 快递员电话能给我吗
    SAME = "same"  # nothing new asked: the same facts, said short


class ArrivalVerdict(StrEnum):
    NOT_SHIPPED = "not_shipped"
    DELIVERED = "delivered"
    OUT_FOR_DELIVERY = "out_for_delivery"  # with the courier today
    DELAYED = "delayed"  # stalled or past the promised date: no day can be promised
    ON_TIME = "on_time"  # no day asked: the expected date, on time
    DAY_OK = "day_ok"  # the day asked is on or after the expected date
    DAY_TOO_SOON = "day_too_soon"  # the day asked is before the expected date


FOLLOW_UPS = (
    (FollowUpQuestion.COURIER, r"快递员.{0,6}(?:电话|手机|号码)|派件员|联系(?:一下)?快递"),
    (FollowUpQuestion.ARRIVAL, r"多久|多长时间|几天|什么时候|啥时候|哪天|能(?:送)?到|到得了|会到"),
    (FollowUpQuestion.SLOW, r"慢|这么久|还没到|还没送|怎么还"),
    (FollowUpQuestion.WHERE, r"到哪|在哪|哪里了|什么地方|进度|物流"),
)


@dataclass(frozen=True)
class TrackingFollowUp:
    """The answer to a question on tracking the shopper has just been shown: the one fact asked
    for (whether the expected date allows the day asked, how long, where it is), from the same
    progress, instead of the whole card again."""

    question: FollowUpQuestion
    verdict: ArrivalVerdict
    progress: OrderProgress
    expected: date | None  # the promised delivery day, in shop time
    asked_day: date | None  # the day the shopper asked about (明天), when named
    latest: Scan | None
    today: date


def read_follow_up(text: str) -> FollowUpQuestion:
    """What a follow-up on the tracking asks: when it comes, why so slow, where it is."""
    clean = normalise(text)
    for question, pattern in FOLLOW_UPS:
        if re.search(pattern, clean):
            return question
    return FollowUpQuestion.SAME


def tracking_follow_up(progress: OrderProgress, text: str, now: datetime) -> TrackingFollowUp:
    """The answer to `text`, a question on `progress` just shown, as of `now`."""
    today = to_shop_time(now).date()
    expected = (
        to_shop_time(progress.promised_delivery_by).date()
        if progress.promised_delivery_by
        else None
    )
    asked_day = read_appointment(text, now).day
    if asked_day is not None and asked_day < today:
        asked_day = None
    parcel = progress.parcel
    if progress.status == OrderStatus.AWAITING_SHIPMENT or parcel is None:
        verdict = ArrivalVerdict.NOT_SHIPPED
    elif parcel.delivered:
        verdict = ArrivalVerdict.DELIVERED
    elif parcel.status == ShipmentStatus.OUT_FOR_DELIVERY:
        verdict = ArrivalVerdict.OUT_FOR_DELIVERY
    elif progress.delayed or expected is None:
        verdict = ArrivalVerdict.DELAYED
    elif asked_day is None:
        verdict = ArrivalVerdict.ON_TIME
    else:
        verdict = ArrivalVerdict.DAY_OK if asked_day >= expected else ArrivalVerdict.DAY_TOO_SOON
    return TrackingFollowUp(
        read_follow_up(text),
        verdict,
        progress,
        expected,
        asked_day,
        progress.latest_scans[0] if progress.latest_scans else None,
        today,
    )
