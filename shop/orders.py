"""Finding an order for a shopper who proves it is theirs (order number + phone tail)."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shop.models import Order, OrderItem, Shipment, Variant

ORDER_NO_PATTERN = re.compile(r"(?<!\d)\d{12,19}(?!\d)")
PHONE_TAIL_PATTERN = re.compile(r"(?<!\d)\d{4}(?!\d)")


def normalise_order_no(text: str) -> str | None:
    """The order number in `text` (12-19 digits, spaces and dashes ignored), or None."""
    compact = re.sub(r"[\s\-－]", "", text or "")
    match = ORDER_NO_PATTERN.search(compact)
    return match.group(0) if match else None


def normalise_phone_tail(text: str) -> str | None:
    """The last four digits of a phone number given in `text`, or None.

    Accepts a bare tail (`5678`), a tail inside words (`尾号5678`) or a whole 11-digit mobile.
    """
    digits = re.sub(r"[\s\-－]", "", text or "")
    mobile = re.search(r"(?<!\d)1\d{10}(?!\d)", digits)
    if mobile:
        return mobile.group(0)[-4:]
    match = PHONE_TAIL_PATTERN.search(digits)
    return match.group(0) if match else None


def find_verified_order(session: Session, order_no: str, phone_tail: str) -> Order | None:
    """The order when `phone_tail` matches its receiver's phone; None otherwise.

    A wrong pair and an unknown order number give the same answer, so nothing leaks.
    """
    order = session.scalar(
        select(Order)
        .where(Order.order_no == order_no)
        .options(
            selectinload(Order.items).selectinload(OrderItem.variant).selectinload(Variant.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.after_sales),
        )
    )
    if order is None or order.phone_tail != phone_tail:
        return None
    return order
