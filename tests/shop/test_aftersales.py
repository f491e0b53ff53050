"""After-sales rules decided from the order's real dates, categories and warranty."""

from shop import aftersales
from shop.models import AfterSaleStatus, OrderStatus
from tests.shop.conftest import demo_order


def test_an_unshipped_order_is_cancelled_and_refunded_in_full(db, seeded_at):
    order = demo_order(db, "awaiting_shipment")
    verdict = aftersales.cancel(db, order, seeded_at)
    assert verdict.allowed
    assert order.status == OrderStatus.CANCELLED
    assert order.after_sales[-1].status == AfterSaleStatus.REFUNDING
    assert f"¥{order.total_amount}" in verdict.message


def test_a_shipped_order_cannot_be_cancelled_and_the_shopper_hears_the_alternatives(db, seeded_at):
    order = demo_order(db, "in_transit")
    verdict = aftersales.cancel(db, order, seeded_at)
    assert not verdict.allowed
    assert "拒收" in verdict.message
    assert order.status == OrderStatus.SHIPPED


def test_the_seven_day_window_counts_from_the_signed_for_date(db, seeded_at):
    assert aftersales.return_window(demo_order(db, "returnable"), seeded_at).allowed
    late = aftersales.return_window(demo_order(db, "not_returnable"), seeded_at)
    assert not late.allowed
    assert "期限已经过了" in late.message
    not_yet = aftersales.return_window(demo_order(db, "in_transit"), seeded_at)
    assert not not_yet.allowed


def test_fresh_food_is_not_returnable_without_a_reason(db, seeded_at):
    verdict = aftersales.return_window(demo_order(db, "fresh_delivered"), seeded_at)
    assert not verdict.allowed
    assert "不支持七天无理由" in verdict.message


def test_a_return_request_is_opened_once(db, seeded_at):
    order = demo_order(db, "returnable")
    first = aftersales.open_return(db, order, seeded_at, "尺码偏小")
    again = aftersales.open_return(db, order, seeded_at, "尺码偏小")
    assert first is again


def test_refund_status_reports_progress_and_completed_refunds(db):
    assert "正在处理中" in aftersales.refund_status(demo_order(db, "refund_in_progress"))
    assert "原路退回" in aftersales.refund_status(demo_order(db, "refunded"))
    assert "没有退款申请" in aftersales.refund_status(demo_order(db, "in_transit"))


def test_warranty_follows_the_products_own_period(db, seeded_at):
    assert aftersales.warranty(demo_order(db, "in_warranty"), seeded_at).allowed
    expired = aftersales.warranty(demo_order(db, "out_of_warranty"), seeded_at)
    assert not expired.allowed
    assert "过保" in expired.message
