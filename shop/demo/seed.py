"""Load the demo shop (catalogue.yaml, orders.yaml) into the database, dated relative to now."""

import random
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import to_shop_time, utcnow
from core.database import unit_of_work
from core.events import Actor, EventName, record_event
from shop.demo.prices_invoices import add_invoice, add_price_history, price_paid
from shop.demo.situations import HOUR, SITUATIONS, Timeline, scans_for
from shop.demo.timelines import tracking_number
from shop.models import (
    AfterSale,
    Category,
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    Shipment,
    ShipmentStatus,
    SizeChart,
    TrackingEvent,
    Variant,
)
from shop.policy import load_policy
from shop.regions import province

DEMO_DIR = Path(__file__).resolve().parent
CATALOGUE_FILE = DEMO_DIR / "catalogue.yaml"
ORDERS_FILE = DEMO_DIR / "orders.yaml"


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def add_catalogue(session: Session, catalogue: dict[str, Any], today: date) -> None:
    """Categories, size charts, products with variants, and customers; restock dates are
    counted from `today`."""
    categories = {
        c["code"]: Category(
            code=c["code"],
            name=c["name"],
            return_days=c["return_days"],
            warranty_months=c.get("warranty_months", 0),
            note=c.get("note"),
        )
        for c in catalogue["categories"]
    }
    charts = {
        c["code"]: SizeChart(code=c["code"], name=c["name"], kind=c["kind"], rows=c["rows"])
        for c in catalogue["size_charts"]
    }
    session.add_all([*categories.values(), *charts.values()])
    for p in catalogue["products"]:
        product = Product(
            code=p["code"],
            name=p["name"],
            category=categories[p["category"]],
            brand=str(p["brand"]),
            price=_money(p["price"]),
            original_price=_money(p["original_price"]) if p.get("original_price") else None,
            promotion=p.get("promotion"),
            keywords=[str(k) for k in p.get("keywords", [])],
            description=p["description"],
            attributes={str(k): v for k, v in (p.get("attributes") or {}).items()},
            warranty_months=p.get("warranty_months"),
            shelf_life_days=p.get("shelf_life_days"),
            storage=p.get("storage"),
            size_chart=charts[p["size_chart"]] if p.get("size_chart") else None,
        )
        product.variants = [
            Variant(
                sku=v["sku"],
                color=v.get("color"),
                size=str(v["size"]) if v.get("size") is not None else None,
                spec=v.get("spec"),
                stock=v["stock"],
                restock_date=(
                    today + timedelta(days=v["restock_in_days"])
                    if v.get("restock_in_days") is not None
                    else None
                ),
            )
            for v in p["variants"]
        ]
        session.add(product)
    session.add_all(
        Customer(
            code=c["code"],
            name=c["name"],
            phone=str(c["phone"]),
            city=c["city"],
            address=c["address"],
            member_level=c["member_level"],
        )
        for c in catalogue["customers"]
    )
    session.flush()


def _district(address: str, city: str) -> str:
    match = re.search(r"市(.{1,4}?[区县])", address)
    return match.group(1) if match else city


def add_order(session: Session, spec: dict[str, Any], now: datetime, rng: random.Random) -> Order:
    """One demo order in its situation, with shipment, scans, after-sale and events."""
    timeline: Timeline = SITUATIONS[spec["situation"]].build()
    customer = session.scalar(select(Customer).where(Customer.code == spec["customer"]))
    if customer is None:
        raise ValueError(f"order {spec['order_no']}: unknown customer {spec['customer']}")
    placed_at = now - timeline.placed_ago
    order = Order(
        order_no=str(spec["order_no"]),
        customer=customer,
        status=timeline.status,
        placed_at=placed_at,
        paid_at=placed_at + timedelta(minutes=2),
        promised_ship_by=placed_at + 48 * HOUR,
        payment_method=spec.get("payment", "支付宝"),
        receiver_name=customer.name,
        receiver_phone=customer.phone,
        shipping_address=customer.address,
        total_amount=Decimal(0),
        note=spec.get("note"),
    )
    session.add(order)
    for sku, quantity in spec["items"].items():
        variant = session.scalar(select(Variant).where(Variant.sku == sku))
        if variant is None:
            raise ValueError(f"order {spec['order_no']}: unknown SKU {sku}")
        order.items.append(
            OrderItem(
                variant=variant,
                quantity=quantity,
                unit_price=price_paid(session, variant.product, placed_at),
            )
        )
    goods = sum((i.unit_price * i.quantity for i in order.items), Decimal(0))
    order.shipping_fee = load_policy().shipping.fee(goods, province(order.shipping_address))
    order.total_amount = goods + order.shipping_fee
    session.flush()
    record_event(
        session,
        EventName.ORDER_PLACED,
        order.order_no,
        occurred_at=placed_at,
        order_no=order.order_no,
        value=order.total_amount,
    )

    if timeline.shipped_ago is not None:
        _add_shipment(session, order, timeline, spec, now, rng)
    if timeline.status == OrderStatus.CANCELLED:
        record_event(
            session,
            EventName.ORDER_CANCELLED,
            order.order_no,
            occurred_at=placed_at + HOUR,
            order_no=order.order_no,
            actor=Actor.SHOPPER,
            value=order.total_amount,  # refunded in full: it had not shipped
        )
    if timeline.after_sale is not None:
        plan = timeline.after_sale
        after_sale = AfterSale(
            kind=plan.kind,
            status=plan.status,
            reason=plan.reason,
            amount=order.total_amount,
            refund_channel=order.payment_method,
            created_at=now - plan.opened_ago,
            updated_at=now - (plan.refunded_ago or plan.opened_ago / 2),
            refunded_at=now - plan.refunded_ago if plan.refunded_ago else None,
        )
        order.after_sales.append(after_sale)
        session.flush()
        record_event(
            session,
            EventName.AFTER_SALE_OPENED,
            order.order_no,
            occurred_at=after_sale.created_at,
            order_no=order.order_no,
            cause=plan.kind,
            value=after_sale.amount,
            payload={"reason": plan.reason},
        )
        if after_sale.refunded_at:
            record_event(
                session,
                EventName.AFTER_SALE_REFUNDED,
                order.order_no,
                occurred_at=after_sale.refunded_at,
                order_no=order.order_no,
                value=after_sale.amount,
            )
    add_invoice(session, order, spec, now)
    return order


def _add_shipment(
    session: Session,
    order: Order,
    timeline: Timeline,
    spec: dict[str, Any],
    now: datetime,
    rng: random.Random,
) -> None:
    assert timeline.shipped_ago is not None
    carrier = spec["carrier"]
    city = order.customer.city
    scans = scans_for(timeline, carrier, city, _district(order.shipping_address, city), now, rng)
    shipped_at = now - timeline.shipped_ago
    delivered_at = now - timeline.delivered_ago if timeline.delivered_ago is not None else None
    if delivered_at is not None:
        status = ShipmentStatus.DELIVERED
    elif timeline.last_scan_ago is None:
        status = ShipmentStatus.OUT_FOR_DELIVERY
    else:
        status = ShipmentStatus.IN_TRANSIT
    if timeline.promised_delivery_in is not None:
        order.promised_delivery_by = now + timeline.promised_delivery_in
    else:
        order.promised_delivery_by = shipped_at + timedelta(days=3)
    shipment = Shipment(
        carrier=carrier,
        tracking_no=tracking_number(carrier, rng),
        status=status,
        shipped_at=shipped_at,
        delivered_at=delivered_at,
        signed_by=timeline.signer if delivered_at else None,
        events=[
            TrackingEvent(occurred_at=s.occurred_at, location=s.location, description=s.description)
            for s in scans
        ],
    )
    order.shipments.append(shipment)
    session.flush()
    record_event(
        session,
        EventName.ORDER_SHIPPED,
        order.order_no,
        occurred_at=shipped_at,
        order_no=order.order_no,
        carrier=carrier,
        value=(shipped_at - order.placed_at).total_seconds(),
        payload={"tracking_no": shipment.tracking_no},
    )
    if delivered_at:
        record_event(
            session,
            EventName.ORDER_DELIVERED,
            order.order_no,
            occurred_at=delivered_at,
            order_no=order.order_no,
            carrier=carrier,
            value=(delivered_at - shipped_at).total_seconds(),
            payload={"signed_by": shipment.signed_by},
        )


def seed(session: Session, now: datetime | None = None, seed_value: int = 20261122) -> int:
    """Add the whole demo shop to an empty database; returns the number of orders."""
    now = now or utcnow()
    rng = random.Random(seed_value)
    add_catalogue(session, load_yaml(CATALOGUE_FILE), to_shop_time(now).date())
    add_price_history(session, load_yaml(CATALOGUE_FILE), now)
    orders = load_yaml(ORDERS_FILE)["orders"]
    for spec in orders:
        add_order(session, spec, now, rng)
    return len(orders)


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Product))


def seed_if_empty() -> bool:
    """Seed the configured database unless it already holds a catalogue. True if it seeded."""
    with unit_of_work() as session:
        if not is_empty(session):
            return False
        seed(session)
        return True
