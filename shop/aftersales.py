"""After-sales rules on a verified order: cancel, 7-day return, refund status, warranty.

Each rule returns the facts it decided; `words` says them to the shopper.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.orm import Session

from core.clock import months_after
from core.events import Actor, EventName, record_event
from shop.models import (
    AfterSale,
    AfterSaleKind,
    AfterSaleStatus,
    Order,
    OrderStatus,
)

PENDING_RETURN = (
    AfterSaleStatus.REQUESTED,
    AfterSaleStatus.AWAITING_RETURN,
    AfterSaleStatus.RETURN_RECEIVED,
    AfterSaleStatus.REFUNDING,
)
CANCEL_REASON = "买家取消订单（未发货）"  # stored on the refund record, seen by agents


@dataclass(frozen=True)
class OrderCancelled:
    order_no: str
    amount: Decimal
    refund_channel: str


@dataclass(frozen=True)
class CancelToConfirm:
    """An order that can be cancelled: what cancelling it will do, for the shopper's yes."""

    order_no: str
    product_names: tuple[str, ...]
    amount: Decimal
    refund_channel: str


class CancelRefusal(StrEnum):
    ALREADY_CANCELLED = "already_cancelled"
    SHIPPED = "shipped"  # shipped or delivered: refuse delivery, or return it


@dataclass(frozen=True)
class CancelRefused:
    order_no: str
    reason: CancelRefusal


class ReturnRule(StrEnum):
    """Which part of the 7-day no-reason rule decided."""

    NOT_RECEIVED = "not_received"
    CATEGORY_EXCLUDED = "category_excluded"  # e.g. fresh food: quality problems only
    EXPIRED = "expired"
    WITHIN_WINDOW = "within_window"


@dataclass(frozen=True)
class ReturnWindow:
    allowed: bool
    rule: ReturnRule
    received_on: datetime | None = None
    deadline: datetime | None = None
    days_left: int | None = None
    category: str | None = None  # the excluded category's name and its note
    category_note: str | None = None


@dataclass(frozen=True)
class ReturnRequested:
    """A return request was opened inside the window."""

    order_no: str
    window: ReturnWindow


@dataclass(frozen=True)
class ReturnToConfirm:
    """A return the window allows: what requesting it will do, for the shopper's yes."""

    order_no: str
    product_names: tuple[str, ...]
    amount: Decimal
    window: ReturnWindow


@dataclass(frozen=True)
class ReturnAlreadyPending:
    order_no: str
    status: AfterSaleStatus


@dataclass(frozen=True)
class RefundStatus:
    """Where the shopper's money is; `status` None when no refund was ever asked for."""

    order_no: str
    status: AfterSaleStatus | None
    amount: Decimal | None = None
    channel: str | None = None
    refunded_at: datetime | None = None


class WarrantyRule(StrEnum):
    NOT_RECEIVED = "not_received"
    NO_WARRANTY = "no_warranty"
    EXPIRED = "expired"
    COVERED = "covered"


@dataclass(frozen=True)
class Warranty:
    covered: bool
    rule: WarrantyRule
    product_name: str
    months: int
    until: datetime | None = None


def delivered_at(order: Order) -> datetime | None:
    shipment = order.latest_shipment
    return shipment.delivered_at if shipment else None


def product_names(order: Order) -> tuple[str, ...]:
    return tuple(item.variant.product.name for item in order.items)


def cancel_check(order: Order) -> CancelToConfirm | CancelRefused:
    """Whether the order can be cancelled, and what cancelling it will do (nothing changes)."""
    if order.status == OrderStatus.CANCELLED:
        return CancelRefused(order.order_no, CancelRefusal.ALREADY_CANCELLED)
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        return CancelRefused(order.order_no, CancelRefusal.SHIPPED)
    return CancelToConfirm(
        order.order_no, product_names(order), order.total_amount, order.payment_method
    )


def cancel(
    session: Session,
    order: Order,
    now: datetime,
    actor: Actor = Actor.SHOPPER,
    conversation_id: str | None = None,
) -> OrderCancelled | CancelRefused:
    """Cancel an unshipped order and refund it in full (once the shopper confirmed
    `cancel_check`'s answer); a shipped one cannot be cancelled."""
    if isinstance(checked := cancel_check(order), CancelRefused):
        return checked
    order.status = OrderStatus.CANCELLED
    order.after_sales.append(
        AfterSale(
            kind=AfterSaleKind.REFUND_ONLY,
            status=AfterSaleStatus.REFUNDING,
            reason=CANCEL_REASON,
            amount=order.total_amount,
            refund_channel=order.payment_method,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    record_event(
        session,
        EventName.ORDER_CANCELLED,
        order.order_no,
        order_no=order.order_no,
        actor=actor,
        conversation_id=conversation_id,
        value=order.total_amount,
        occurred_at=now,
    )
    return OrderCancelled(order.order_no, order.total_amount, order.payment_method)


def return_window(order: Order, now: datetime) -> ReturnWindow:
    """The 7-day no-reason rule, from the signed-for date and the category's own window."""
    received = delivered_at(order)
    if received is None:
        return ReturnWindow(False, ReturnRule.NOT_RECEIVED)
    categories = {item.variant.product.category for item in order.items}
    shortest = min(categories, key=lambda c: c.return_days)
    if shortest.return_days == 0:
        return ReturnWindow(
            False,
            ReturnRule.CATEGORY_EXCLUDED,
            received_on=received,
            category=shortest.name,
            category_note=shortest.note,
        )
    deadline = received + timedelta(days=shortest.return_days)
    if now > deadline:
        return ReturnWindow(False, ReturnRule.EXPIRED, received, deadline)
    days_left = max((deadline - now).days, 0)
    return ReturnWindow(True, ReturnRule.WITHIN_WINDOW, received, deadline, days_left)


def pending_return(order: Order) -> AfterSale | None:
    """The order's return request that is still being handled, if any."""
    return next(
        (
            a
            for a in order.after_sales
            if a.kind == AfterSaleKind.RETURN_REFUND and a.status in PENDING_RETURN
        ),
        None,
    )


def return_check(
    order: Order, now: datetime
) -> ReturnToConfirm | ReturnAlreadyPending | ReturnWindow:
    """Whether a return can be requested: the request to confirm, the pending one, or the
    window that refuses it (nothing changes)."""
    if (pending := pending_return(order)) is not None:
        return ReturnAlreadyPending(order.order_no, pending.status)
    window = return_window(order, now)
    if not window.allowed:
        return window
    return ReturnToConfirm(order.order_no, product_names(order), order.total_amount, window)


def request_return(
    session: Session, order: Order, now: datetime, reason: str, conversation_id: str | None = None
) -> ReturnRequested | ReturnAlreadyPending | ReturnWindow:
    """Open a return request (once the shopper confirmed `return_check`'s answer) when none
    is pending and the window allows it; else the pending one or the window that refused it.
    """
    checked = return_check(order, now)
    if not isinstance(checked, ReturnToConfirm):
        return checked
    request = AfterSale(
        kind=AfterSaleKind.RETURN_REFUND,
        status=AfterSaleStatus.REQUESTED,
        reason=reason[:200],
        amount=order.total_amount,
        refund_channel=order.payment_method,
        created_at=now,
        updated_at=now,
    )
    order.after_sales.append(request)
    session.flush()
    record_event(
        session,
        EventName.AFTER_SALE_OPENED,
        order.order_no,
        order_no=order.order_no,
        cause=request.kind,
        conversation_id=conversation_id,
        value=request.amount,
        payload={"reason": request.reason},
        occurred_at=now,
    )
    return ReturnRequested(order.order_no, checked.window)


def refund_status(order: Order) -> RefundStatus:
    """The latest refund (or return) on the order and where its money is."""
    refunds = [a for a in order.after_sales if a.kind != AfterSaleKind.REPAIR]
    if not refunds:
        return RefundStatus(order.order_no, None)
    latest = refunds[-1]
    return RefundStatus(
        order.order_no, latest.status, latest.amount, latest.refund_channel, latest.refunded_at
    )


def warranty(order: Order, now: datetime) -> Warranty:
    """Whether the order's product is still under warranty."""
    received = delivered_at(order)
    product = order.items[0].variant.product
    months = product.effective_warranty_months
    if received is None:
        return Warranty(False, WarrantyRule.NOT_RECEIVED, product.name, months)
    if months <= 0:
        return Warranty(False, WarrantyRule.NO_WARRANTY, product.name, months)
    until = months_after(received, months)  # calendar months, as the shopper counts
    if now > until:
        return Warranty(False, WarrantyRule.EXPIRED, product.name, months, until)
    return Warranty(True, WarrantyRule.COVERED, product.name, months, until)
