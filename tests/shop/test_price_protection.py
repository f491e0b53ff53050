"""价保: a drop of the regular price within the window is refunded, once; every refusal says why."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from core.clock import add_working_days
from core.events import EventName
from shop.aftersales import refund_arrival
from shop.models import PriceChange, PriceKind, PriceProtectionClaim
from shop.price_protection import (
    PricePolicy,
    PricePolicyError,
    PriceProtectionApplied,
    PriceProtectionCheck,
    PriceRule,
    apply_price_protection,
    load_price_policy,
    price_at,
    price_protection_check,
)
from tests.shop.conftest import demo_order

POLICY = load_price_policy()


def checked_arrival(order) -> int:
    """The latest working day a refund to the order's payment method arrives."""
    return refund_arrival(order.payment_method).working_days[1]


def test_a_regular_price_drop_within_the_window_refunds_the_difference_times_quantity(
    db, seeded_at
):
    order = demo_order(db, "price_dropped")
    checked = price_protection_check(db, order, seeded_at)
    [item] = checked.items
    assert (item.rule, item.quantity, item.paid_price, item.price_now) == (
        PriceRule.ELIGIBLE,
        2,
        Decimal("228.00"),
        Decimal("198.00"),
    )
    assert item.refund == checked.refund == Decimal("60.00")
    assert checked.eligible
    assert checked.deadline == order.paid_at + timedelta(days=POLICY.window_days)
    assert checked.refund_channel == order.payment_method
    assert checked.arrival == refund_arrival(order.payment_method)


def test_a_drop_after_the_window_ended_is_not_refunded(db, seeded_at):
    order = demo_order(db, "price_dropped_late")
    checked = price_protection_check(db, order, seeded_at)
    assert checked.order_rule == PriceRule.OUTSIDE_WINDOW
    assert checked.deadline < seeded_at
    assert not checked.eligible
    assert checked.items[0].paid_price > checked.items[0].price_now  # it did drop, too late


@pytest.mark.parametrize(
    ("situation", "promotion"),
    [("flash_sale_now", PriceKind.FLASH_SALE), ("coupon_only", PriceKind.COUPON)],
)
def test_a_lower_promotion_price_is_not_a_price_drop(db, seeded_at, situation, promotion):
    checked = price_protection_check(db, demo_order(db, situation), seeded_at)
    [item] = checked.items
    assert (item.rule, item.promotion) == (PriceRule.EXCLUDED_PROMOTION, promotion)
    assert item.price_now < item.paid_price
    assert not checked.eligible


def test_a_price_that_did_not_drop_gives_nothing(db, seeded_at):
    checked = price_protection_check(db, demo_order(db, "in_transit"), seeded_at)
    assert {i.rule for i in checked.items} == {PriceRule.PRICE_NOT_LOWER}
    assert checked.refund == 0


@pytest.mark.parametrize(
    ("situation", "rule"),
    [("cancelled", PriceRule.ORDER_CANCELLED), ("refunded", PriceRule.ORDER_REFUNDED)],
)
def test_a_cancelled_or_refunded_order_has_no_price_protection(db, seeded_at, situation, rule):
    checked = price_protection_check(db, demo_order(db, situation), seeded_at)
    assert checked.order_rule == rule
    assert {i.rule for i in checked.items} == {rule}


def test_an_unpaid_order_has_no_price_protection(db, seeded_at):
    order = demo_order(db, "price_dropped")
    order.paid_at = None
    checked = price_protection_check(db, order, seeded_at)
    assert (checked.order_rule, checked.deadline) == (PriceRule.ORDER_NOT_PAID, None)


def test_another_shops_lower_price_is_not_this_shops_price_drop(db, seeded_at):
    order = demo_order(db, "price_dropped")
    checked = price_protection_check(db, order, seeded_at, "别家才卖150 给我补差价")
    assert checked.order_rule == PriceRule.OTHER_SELLER
    assert not checked.eligible


def test_applying_records_the_refund_once_per_item_with_its_event(db, seeded_at, recorded):
    order = demo_order(db, "price_dropped")
    applied = apply_price_protection(db, order, seeded_at, conversation_id="c-pp")
    assert isinstance(applied, PriceProtectionApplied)
    assert applied.refund == Decimal("60.00")
    assert applied.refund_by == add_working_days(seeded_at, checked_arrival(order))
    [claim] = db.scalars(
        select(PriceProtectionClaim).where(PriceProtectionClaim.order_id == order.id)
    ).all()
    assert (claim.amount, claim.price_now, claim.refund_channel, claim.conversation_id) == (
        Decimal("60.00"),
        Decimal("198.00"),
        order.payment_method,
        "c-pp",
    )
    [event] = recorded(EventName.PRICE_PROTECTION_APPLIED)
    assert (event.order_no, event.value) == (order.order_no, Decimal("60.00"))

    again = apply_price_protection(db, order, seeded_at + timedelta(hours=1))
    assert isinstance(again, PriceProtectionCheck)
    assert again.items[0].rule == PriceRule.ALREADY_CLAIMED
    assert again.items[0].claimed_at == seeded_at
    assert len(recorded(EventName.PRICE_PROTECTION_APPLIED)) == 1


def test_a_promotion_the_policy_does_not_exclude_counts_at_its_price(db, seeded_at):
    policy = PricePolicy(window_days=30, excluded_price_kinds=[PriceKind.FLASH_SALE])
    order = demo_order(db, "coupon_only")
    checked = price_protection_check(db, order, seeded_at, policy=policy)
    [item] = checked.items
    assert (item.rule, item.price_now) == (PriceRule.ELIGIBLE, Decimal("26.00"))
    assert item.refund == (item.paid_price - Decimal("26.00")) * item.quantity


def test_an_excluded_category_has_no_price_protection(db, seeded_at):
    order = demo_order(db, "price_dropped")
    category = order.items[0].variant.product.category
    policy = POLICY.model_copy(update={"excluded_categories": [category.code]})
    [item] = price_protection_check(db, order, seeded_at, policy=policy).items
    assert (item.rule, item.category) == (PriceRule.EXCLUDED_CATEGORY, category.name)


def test_the_price_at_a_moment_follows_the_history_and_promotions_end(db, seeded_at):
    product = demo_order(db, "flash_sale_now").items[0].variant.product
    now = price_at(db, product, seeded_at)
    assert (now.regular, now.lowest, now.promotion) == (
        product.price,
        Decimal("999.00"),
        PriceKind.FLASH_SALE,
    )
    sale = db.scalars(
        select(PriceChange).where(
            PriceChange.product_id == product.id, PriceChange.kind == PriceKind.FLASH_SALE
        )
    ).one()
    after = price_at(db, product, sale.ends_at + timedelta(minutes=1))
    assert (after.lowest, after.promotion) == (product.price, None)


def test_demo_orders_before_a_drop_were_paid_the_price_of_their_day(db, seeded_at):
    for situation in ("price_dropped", "price_dropped_late"):
        item = demo_order(db, situation).items[0]
        assert item.unit_price == Decimal("228.00") > item.variant.product.price


def test_the_price_policy_file_is_valid_and_says_what_the_faq_says(db):
    from faq.models import FaqEntry

    answer = db.get(FaqEntry, "price_protection").answer
    assert f"{POLICY.window_days}天" in answer
    assert all(words in answer for words in ("秒杀", "直播间专享价", "优惠券"))


def test_an_invalid_price_policy_stops_with_a_clear_error(tmp_path: Path):
    regular = tmp_path / "regular.yaml"
    regular.write_text(
        "window_days: 30\nexcluded_price_kinds: [regular]\n",
        encoding="utf-8",
    )
    with pytest.raises(PricePolicyError, match="regular price cannot be excluded"):
        load_price_policy(regular)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(
        "window_days: 30\nexcluded_price_kinds: [bargain]\n",
        encoding="utf-8",
    )
    with pytest.raises(PricePolicyError, match=r"unknown\.yaml"):
        load_price_policy(unknown)
