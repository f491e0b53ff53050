"""The status message says concretely where the order is, in the shopper's terms."""

import pytest
from sqlalchemy import select

from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.models import Order
from shop.tracking import describe_progress, order_progress


def _first_order(db, situation: str) -> Order:
    order_no = next(
        s["order_no"] for s in load_yaml(ORDERS_FILE)["orders"] if s["situation"] == situation
    )
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


@pytest.mark.parametrize(
    ("situation", "must_say", "must_not_say"),
    [
        ("awaiting_shipment", ["正在仓库打包", "取消"], ["抱歉"]),
        ("ship_overdue", ["还没有发货", "抱歉"], ["正在仓库打包"]),
        ("in_transit", ["正在运输中", "运单号", "最新物流", "预计"], ["抱歉"]),
        ("out_for_delivery", ["正在派送中", "正在为您派件"], ["抱歉"]),
        ("stalled", ["天没有更新", "抱歉"], []),
        ("late", ["超过承诺", "抱歉"], ["没有更新"]),
        ("delivered_not_received", ["签收", "菜鸟驿站代收"], ["运输中"]),
        ("refund_in_progress", ["退款正在处理中", "¥"], []),
        ("refunded", ["原路退回", "¥"], []),
        ("cancelled", ["已经取消"], ["运单号"]),
    ],
)
def test_status_message_matches_the_orders_situation(
    db, seeded_at, situation, must_say, must_not_say
):
    order = _first_order(db, situation)
    text = describe_progress(order_progress(order, seeded_at), seeded_at)
    assert order.order_no in text
    for phrase in must_say:
        assert phrase in text, f"{situation}: {phrase!r} missing in {text!r}"
    for phrase in must_not_say:
        assert phrase not in text, f"{situation}: {phrase!r} unexpected in {text!r}"


def test_an_old_date_shows_its_year(db, seeded_at):
    order = _first_order(db, "out_of_warranty")
    text = describe_progress(order_progress(order, seeded_at), seeded_at)
    assert f"{order.shipments[-1].delivered_at.year}年" in text
