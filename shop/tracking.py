"""Where an order stands: the facts a shopper asks about, as plain values."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import object_session

from shop.aftersales import PENDING_RETURN, ReturnToSend, product_names, return_to_send
from shop.appointments import DeliveryAppointment, upcoming_appointment
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
