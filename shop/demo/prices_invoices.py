"""The demo's price history (catalogue.yaml `price_history`) and invoices (orders.yaml `invoice`),
dated relative to the moment of seeding, so 价保 and invoice questions can be tried.

A product's `price_history` lists its prices, oldest first: `{price, days_ago}` for a regular
price, plus `kind`, `label` and `days_left` (until it ends) for a promotion. Its last regular
price is the catalogue's `price`. An order's `invoice` is `{state: requested | issued, title,
tax_no, kind, email, reissued}`: asked for when the order was paid, issued the day after delivery.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import to_shop_time
from shop.invoice_reading import check_tax_no
from shop.models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    InvoiceTitleType,
    Order,
    PriceChange,
    PriceKind,
    Product,
)
from shop.price_protection import price_at

DAY = timedelta(days=1)
INVOICE_STATES = {"requested": "发票已申请、待开具", "issued": "电子发票已开具"}


def add_price_history(session: Session, catalogue: dict[str, Any], now: datetime) -> None:
    """Each product's price changes; its last regular price must be its listed price."""
    for spec in catalogue["products"]:
        history = spec.get("price_history") or []
        if not history:
            continue
        product = session.scalars(select(Product).where(Product.code == spec["code"])).one()
        for change in history:
            kind = PriceKind(change.get("kind", PriceKind.REGULAR))
            days_left = change.get("days_left")
            session.add(
                PriceChange(
                    product=product,
                    price=Decimal(str(change["price"])).quantize(Decimal("0.01")),
                    kind=kind,
                    label=change.get("label"),
                    effective_at=now - change["days_ago"] * DAY,
                    ends_at=now + days_left * DAY if days_left is not None else None,
                )
            )
        session.flush()
        if price_at(session, product, now).regular != product.price:
            raise ValueError(
                f"{product.code}: the last regular price of its history is not its price"
            )


def price_paid(session: Session, product: Product, placed_at: datetime) -> Decimal:
    """What the product cost when the order was placed."""
    return price_at(session, product, placed_at).lowest


def add_invoice(session: Session, order: Order, spec: dict[str, Any], now: datetime) -> None:
    """The invoice an order spec asks for: requested when paid, issued after delivery."""
    invoice = spec.get("invoice")
    if not invoice:
        return
    rng = random.Random(order.order_no)
    tax_no = invoice.get("tax_no")
    if tax_no is not None and check_tax_no(str(tax_no)) != str(tax_no):
        raise ValueError(f"order {order.order_no}: invalid tax number {tax_no}")
    requested_at = order.paid_at or order.placed_at
    shipment = order.latest_shipment
    delivered = shipment.delivered_at if shipment else None
    issued = invoice["state"] == "issued"
    if issued and delivered is None:
        raise ValueError(f"order {order.order_no}: an invoice is issued after delivery")
    row = Invoice(
        order_id=order.id,
        kind=InvoiceKind(invoice.get("kind", InvoiceKind.NORMAL)),
        title_type=InvoiceTitleType.COMPANY if tax_no else InvoiceTitleType.PERSONAL,
        title=invoice["title"],
        tax_no=tax_no,
        email=invoice.get("email"),
        amount=order.total_amount,
        status=InvoiceStatus.REQUESTED,
        requested_at=requested_at,
    )
    if issued:
        assert delivered is not None
        row.status = InvoiceStatus.ISSUED
        row.issued_at = min(delivered + DAY, now - DAY / 24)
        row.invoice_no = _invoice_number(row.issued_at, rng)
    if invoice.get("reissued"):  # an earlier personal invoice was voided and this one reissued
        assert row.issued_at is not None
        first_issued = row.issued_at - 2 * DAY
        first = Invoice(
            order_id=order.id,
            kind=InvoiceKind.NORMAL,
            title_type=InvoiceTitleType.PERSONAL,
            title="个人",
            email=row.email,
            amount=order.total_amount,
            status=InvoiceStatus.VOIDED,
            requested_at=requested_at,
            issued_at=first_issued,
            invoice_no=_invoice_number(first_issued, rng),
            voided_at=row.issued_at - DAY,
        )
        session.add(first)
        session.flush()
        row.replaces_id = first.id
        row.requested_at = row.issued_at - DAY
    session.add(row)
    session.flush()


def _invoice_number(issued_at: datetime, rng: random.Random) -> str:
    """A 20-digit 数电发票 number: the year, the province (33, 浙江) and a serial."""
    return f"{to_shop_time(issued_at).year % 100:02d}33{rng.randrange(10**16):016d}"


def invoice_note(spec: dict[str, Any]) -> str | None:
    """How the demo table describes an order's invoice."""
    invoice = spec.get("invoice")
    if not invoice:
        return None
    title = "个人" if not invoice.get("tax_no") else "公司"
    kind = "专票" if invoice.get("kind") == InvoiceKind.SPECIAL else "普票"
    again = "，已换开过一次" if invoice.get("reissued") else ""
    return f"{INVOICE_STATES[invoice['state']]}（{title}{kind}{again}）"
