"""Finding an order for a shopper who proves it is theirs (order number + phone tail)."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.text import normalise
from shop.models import Order, OrderItem, OrderStatus, Shipment, Variant

ORDER_NO_PATTERN = re.compile(r"(?<!\d)\d{12,19}(?!\d)")
PHONE_TAIL_PATTERN = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)")


def normalise_order_no(text: str) -> str | None:
    """The order number in `text` (12-19 digits, spaces and dashes ignored), or None."""
    match = ORDER_NO_PATTERN.search(_compact(text))
    return match.group(0) if match else None


def check_phone(text: str) -> str | None:
    """An 11-digit mainland mobile number in `text` (full-width, spaces, dashes, +86 allowed)."""
    match = _MOBILE.search(_compact(text))
    return match.group(1) if match else None


def normalise_phone_tail(text: str) -> str | None:
    """The last four digits of a phone number given in `text`, or None.

    Accepts a bare tail (`5678`), a tail inside words (`尾号5678`) or a whole 11-digit mobile.
    """
    if mobile := check_phone(text):
        return mobile[-4:]
    match = PHONE_TAIL_PATTERN.search(_compact(text))
    return match.group(0) if match else None


def _compact(text: str) -> str:
    return re.sub(r"[\s\-]", "", normalise(text))


def load_order(session: Session, order_no: str) -> Order | None:
    """The order with its items, shipments and after-sales loaded (no ownership check)."""
    return session.scalar(
        select(Order)
        .where(Order.order_no == order_no)
        .options(
            selectinload(Order.items).selectinload(OrderItem.variant).selectinload(Variant.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.after_sales),
        )
    )


def order_status(session: Session, order_no: str) -> OrderStatus | None:
    """Just the order's status, for decisions that need nothing else."""
    return session.scalar(select(Order.status).where(Order.order_no == order_no))


def find_verified_order(session: Session, order_no: str, phone_tail: str) -> Order | None:
    """The order when `phone_tail` matches its receiver's phone; None otherwise.

    A wrong pair and an unknown order number give the same answer, so nothing leaks.
    """
    order = session.scalar(select(Order).where(Order.order_no == order_no))
    if order is None or order.phone_tail != phone_tail:
        return None
    return order
