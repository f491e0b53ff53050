"""The demo shop holds every situation the bot must handle, in a realistic catalogue."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.settings import PROJECT_ROOT
from shop.demo.__main__ import demo_table
from shop.demo.seed import ORDERS_FILE, is_empty, load_yaml, seed_if_empty
from shop.demo.situations import SITUATIONS
from shop.models import Customer, Order, OrderStatus, Product, ShipmentStatus
from shop.orders import find_verified_order
from shop.tracking import order_progress

CARRIERS = {"顺丰", "中通", "圆通", "韵达", "京东物流", "EMS"}


def _orders_by_situation() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for spec in load_yaml(ORDERS_FILE)["orders"]:
        grouped.setdefault(spec["situation"], []).append(spec["order_no"])
    return grouped


def _order(db, order_no: str) -> Order:
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


def test_catalogue_spans_categories_with_size_charts_specs_and_shelf_life(db):
    products = db.scalars(select(Product)).all()
    assert len(products) >= 30
    by_category = Counter(p.category.code for p in products)
    assert {"apparel", "electronics", "food"} <= set(by_category)
    assert all(p.size_chart is not None for p in products if p.category.code == "apparel")
    assert all(
        p.effective_warranty_months > 0 for p in products if p.category.code == "electronics"
    )
    assert all(p.shelf_life_days for p in products if p.category.code == "food")
    assert any(v.stock == 0 for p in products for v in p.variants), (
        "no sold-out variant to ask about"
    )


def test_at_least_forty_orders_cover_every_situation_and_carrier(db):
    assert db.scalar(select(func.count()).select_from(Order)) >= 40
    assert set(_orders_by_situation()) == set(SITUATIONS)
    carriers = {s.carrier for o in db.scalars(select(Order)) for s in o.shipments}
    assert carriers == CARRIERS


def test_every_demo_order_is_verified_by_its_customers_phone_tail(db):
    for order in db.scalars(select(Order)):
        assert find_verified_order(db, order.order_no, order.customer.phone[-4:]) is order


def test_phone_tails_are_unique_so_the_demo_table_is_unambiguous(db):
    tails = [c.phone[-4:] for c in db.scalars(select(Customer))]
    assert len(tails) == len(set(tails))


@pytest.mark.parametrize(
    ("situation", "stalled", "late"),
    [
        ("in_transit", False, False),
        ("out_for_delivery", False, False),
        ("stalled", True, True),
        ("late", False, True),
    ],
)
def test_parcels_on_the_road_are_late_only_where_the_situation_says(
    db, seeded_at, situation, stalled, late
):
    for order_no in _orders_by_situation()[situation]:
        progress = order_progress(_order(db, order_no), seeded_at)
        assert progress.stalled is stalled, order_no
        assert progress.delayed is late, order_no


def test_returnable_orders_are_inside_the_no_reason_window_and_old_ones_outside(db, seeded_at):
    situations = _orders_by_situation()
    for order_no in situations["returnable"]:
        shipment = _order(db, order_no).shipments[-1]
        assert seeded_at - shipment.delivered_at < timedelta(days=7)
    for order_no in situations["not_returnable"]:
        shipment = _order(db, order_no).shipments[-1]
        assert seeded_at - shipment.delivered_at > timedelta(days=7)


def test_warranty_situations_match_each_products_warranty(db, seeded_at):
    situations = _orders_by_situation()
    for situation, inside in (("in_warranty", True), ("out_of_warranty", False)):
        for order_no in situations[situation]:
            order = _order(db, order_no)
            age = seeded_at - order.shipments[-1].delivered_at
            product = order.items[0].variant.product
            assert (age < timedelta(days=30 * product.effective_warranty_months)) is inside


def test_fresh_food_orders_are_not_returnable_without_reason(db):
    for order_no in _orders_by_situation()["fresh_delivered"]:
        assert _order(db, order_no).items[0].variant.product.category.return_days == 0


def test_unshipped_orders_have_no_shipment_and_delivered_ones_a_signed_scan(db):
    for order in db.scalars(select(Order)):
        if order.status in (OrderStatus.AWAITING_SHIPMENT, OrderStatus.CANCELLED):
            assert order.shipments == []
        elif order.status == OrderStatus.DELIVERED:
            shipment = order.shipments[-1]
            assert shipment.status == ShipmentStatus.DELIVERED
            assert "签收" in shipment.events[-1].description


def test_seeding_again_adds_nothing(db):
    products = db.scalar(select(func.count()).select_from(Product))
    assert not is_empty(db)
    assert seed_if_empty() is False
    assert db.scalar(select(func.count()).select_from(Product)) == products


def test_readme_lists_every_demo_order_with_its_phone_tail():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert demo_table() in readme, "README demo table is stale: paste `make demo-table`"
