"""Where an order stands, as facts read from its real shipment, scans, promises and after-sales."""

from datetime import timedelta
from decimal import Decimal

import pytest

from shop.appointments import DeliveryAppointment
from shop.models import (
    AfterSale,
    AfterSaleKind,
    AfterSaleStatus,
    DeliveryPlace,
    OrderStatus,
    ShipmentStatus,
)
from shop.modifications import ChangeField, apply_change
from shop.policy import load_policy
from shop.tracking import AfterSaleState, Parcel, Scan, order_progress
from tests.shop.conftest import demo_order

S = OrderStatus
P = ShipmentStatus
A = AfterSaleStatus


@pytest.mark.parametrize(
    ("situation", "status", "parcel", "late_to_ship", "stalled", "past_promise", "after_sale"),
    [
        ("awaiting_shipment", S.AWAITING_SHIPMENT, None, False, False, False, None),
        ("ship_overdue", S.AWAITING_SHIPMENT, None, True, False, False, None),
        ("in_transit", S.SHIPPED, P.IN_TRANSIT, False, False, False, None),
        ("out_for_delivery", S.SHIPPED, P.OUT_FOR_DELIVERY, False, False, False, None),
        ("stalled", S.SHIPPED, P.IN_TRANSIT, False, True, True, None),
        ("late", S.SHIPPED, P.IN_TRANSIT, False, False, True, None),
        ("delivered_not_received", S.DELIVERED, P.DELIVERED, False, False, False, None),
        ("return_awaiting", S.DELIVERED, P.DELIVERED, False, False, False, A.AWAITING_RETURN),
        ("refund_in_progress", S.DELIVERED, P.DELIVERED, False, False, False, A.REFUNDING),
        ("refunded", S.DELIVERED, P.DELIVERED, False, False, False, A.REFUNDED),
        ("cancelled", S.CANCELLED, None, False, False, False, None),
    ],
)  # fmt: skip
def test_the_progress_matches_the_orders_situation(
    db, seeded_at, situation, status, parcel, late_to_ship, stalled, past_promise, after_sale
):
    order = demo_order(db, situation)
    progress = order_progress(order, seeded_at)
    assert (progress.order_no, progress.status) == (order.order_no, status)
    assert (progress.parcel.status if progress.parcel else None) == parcel
    assert progress.late_to_ship is late_to_ship
    assert (progress.stalled, progress.past_promised_date) == (stalled, past_promise)
    assert progress.delayed is (stalled or past_promise)
    assert (progress.after_sale.status if progress.after_sale else None) == after_sale


def test_every_product_of_the_order_is_named(db, seeded_at):
    order = demo_order(db, "in_transit", which=2)
    assert len(order.items) == 2
    progress = order_progress(order, seeded_at)
    assert progress.product_names == tuple(i.variant.product.name for i in order.items)


def test_the_parcel_and_its_latest_scans_come_from_the_shipment_newest_first(db, seeded_at):
    order = demo_order(db, "in_transit")
    shipment = order.latest_shipment
    progress = order_progress(order, seeded_at)
    assert progress.parcel == Parcel(
        shipment.carrier,
        shipment.tracking_no,
        ShipmentStatus.IN_TRANSIT,
        None,
        None,
        shipment.last_scan_at,
    )
    newest_three = [Scan.of(e) for e in reversed(shipment.events)][:3]
    assert list(progress.latest_scans) == newest_three
    assert len(order_progress(order, seeded_at, scans_shown=1).latest_scans) == 1


def test_a_delivered_parcel_says_who_signed_and_is_never_late_or_stalled(db, seeded_at):
    order = demo_order(db, "delivered_not_received")
    progress = order_progress(order, seeded_at + timedelta(days=30))
    assert progress.parcel.delivered
    assert progress.parcel.delivered_at == order.latest_shipment.delivered_at
    assert progress.parcel.signed_by == "菜鸟驿站代收"
    assert (progress.stalled, progress.past_promised_date, progress.quiet_days) == (False, False, 0)


def test_a_parcel_stalls_after_the_policys_quiet_days(db, seeded_at):
    order = demo_order(db, "in_transit")
    quiet = timedelta(days=load_policy().stall_after_days)
    last_scan = order.latest_shipment.last_scan_at
    before = order_progress(order, last_scan + quiet - timedelta(minutes=1))
    assert not before.stalled
    assert before.quiet_days == quiet.days - 1
    after = order_progress(order, last_scan + quiet)
    assert after.stalled
    assert after.quiet_days == quiet.days


def test_a_parcel_is_late_only_once_the_promised_date_has_passed(db, seeded_at):
    order = demo_order(db, "in_transit")
    promise = order.promised_delivery_by
    assert not order_progress(order, promise).past_promised_date
    late = order_progress(order, promise + timedelta(minutes=1))
    assert late.past_promised_date
    assert late.delayed


def test_an_unshipped_order_is_late_to_ship_only_after_its_promised_ship_date(db, seeded_at):
    order = demo_order(db, "awaiting_shipment")
    assert not order_progress(order, order.promised_ship_by).late_to_ship
    assert order_progress(order, order.promised_ship_by + timedelta(minutes=1)).late_to_ship


def test_the_refund_reported_carries_its_amount_channel_and_date(db, seeded_at):
    order = demo_order(db, "refunded")
    refund = order.after_sales[-1]
    assert order_progress(order, seeded_at).after_sale == AfterSaleState(
        AfterSaleStatus.REFUNDED, refund.amount, refund.refund_channel, refund.refunded_at
    )


@pytest.mark.parametrize("status", [AfterSaleStatus.REJECTED, AfterSaleStatus.CLOSED])
def test_an_after_sale_that_went_nowhere_is_not_reported(db, seeded_at, status):
    order = demo_order(db, "returnable")
    order.after_sales.append(
        AfterSale(
            kind=AfterSaleKind.RETURN_REFUND,
            status=status,
            reason="不想要了",
            amount=Decimal("10"),
            created_at=seeded_at,
            updated_at=seeded_at,
        )
    )
    db.flush()
    assert order_progress(order, seeded_at).after_sale is None


def test_the_shoppers_delivery_appointment_is_part_of_the_progress_while_ahead(db, seeded_at):
    order = demo_order(db, "in_transit")
    assert order_progress(order, seeded_at).appointment is None
    wanted = DeliveryAppointment(
        seeded_at.date() + timedelta(days=2), 18, None, DeliveryPlace.LOCKER
    )
    outcome = apply_change(db, order, ChangeField.DELIVERY_TIME, wanted.code(), seeded_at)
    assert outcome.appointment == wanted
    assert order_progress(order, seeded_at).appointment == wanted
    assert order_progress(order, seeded_at + timedelta(days=5)).appointment is None  # gone by
