"""Compensation offers: the policy's rule and ladder, the caps, the approval threshold, and why."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from reviews.offers import (
    CompensationPolicy,
    Offer,
    OfferContext,
    OfferRemedy,
    PolicyError,
    WhyKind,
    draft_offer,
    load_compensation_policy,
)
from reviews.reply_check import check_private_text
from reviews.severity import SeverityLevel
from words.offers import offer_message

D = Decimal


def context(sub: str, severity: SeverityLevel = SeverityLevel.LOW, **kw: object) -> OfferContext:
    cause = sub.partition(".")[0]
    subs = (sub,) if "." in sub else ()
    return OfferContext((cause,), subs, severity, **kw)  # type: ignore[arg-type]


def kinds(offer) -> list[WhyKind]:
    return [w.kind for w in offer.why]


@pytest.mark.parametrize(
    ("sub", "remedy"),
    [
        ("logistics.slow", OfferRemedy.COUPON),
        ("logistics.damaged_in_transit", OfferRemedy.RESHIP),
        ("logistics.lost", OfferRemedy.RESHIP),
        ("logistics.wrong_or_missing_item", OfferRemedy.RESHIP),
        ("product.poor_quality", OfferRemedy.RETURN_REFUND),
        ("product.defect", OfferRemedy.EXCHANGE),
        ("product.not_fresh", OfferRemedy.PARTIAL_REFUND),
        ("service.attitude", OfferRemedy.APOLOGY),
        ("price.price_drop", OfferRemedy.PRICE_DIFFERENCE),
        ("other", OfferRemedy.APOLOGY),
    ],
)
def test_each_problem_gets_the_remedy_the_policy_names(sub, remedy):
    offer = draft_offer(context(sub, order_value=D(100)))
    assert offer is not None
    assert offer.remedy is remedy
    assert offer.step == 1


def test_late_delivery_is_a_coupon_that_needs_no_approval():
    offer = draft_offer(context("logistics.slow"))
    assert (offer.coupon, offer.amount, offer.needs_approval) == (D(5), D(5), False)
    assert kinds(offer) == [WhyKind.RULE]


def test_a_declined_offer_moves_up_the_ladder_and_the_last_step_ends_it():
    second = draft_offer(context("logistics.slow", declined=1))
    assert (second.step, second.coupon, second.last_step) == (2, D(10), True)
    assert WhyKind.DECLINED_BEFORE in kinds(second)
    assert draft_offer(context("logistics.slow", declined=2)) is None


def test_a_critical_review_starts_further_up_its_ladder():
    offer = draft_offer(context("product.defect", SeverityLevel.CRITICAL, order_value=D(300)))
    assert (offer.step, offer.remedy) == (2, OfferRemedy.RETURN_REFUND)
    assert WhyKind.SEVERITY_START in kinds(offer)


def test_a_repeat_buyer_gets_a_larger_coupon():
    plain = draft_offer(context("service.attitude"))
    repeat = draft_offer(context("service.attitude", repeat_buyer=True))
    assert repeat.coupon == plain.coupon + D(5)
    assert WhyKind.REPEAT_BUYER in kinds(repeat)


def test_a_customer_compensated_recently_needs_a_supervisor_and_gets_no_bonus():
    offer = draft_offer(context("service.attitude", repeat_buyer=True, recently_compensated=D(20)))
    assert offer.needs_approval
    assert offer.coupon == D(5)
    assert WhyKind.RECENT_COMPENSATION in kinds(offer)


def test_rotten_fruit_gets_a_proportional_refund_of_at_most_half_the_order():
    offer = draft_offer(context("product.not_fresh", order_value=D(88)))
    assert (offer.remedy, offer.refund, offer.needs_approval) == (
        OfferRemedy.PARTIAL_REFUND,
        D("44.00"),
        False,
    )


def test_a_refund_of_unknown_size_needs_a_supervisor():
    offer = draft_offer(context("product.not_fresh"))
    assert offer.refund is None
    assert offer.amount is None
    assert offer.needs_approval
    assert WhyKind.UNKNOWN_ORDER_VALUE in kinds(offer)


def test_money_out_above_the_threshold_needs_a_supervisor():
    offer = draft_offer(context("logistics.lost", declined=1, order_value=D(2999)))
    assert (offer.remedy, offer.refund) == (OfferRemedy.REFUND, D("2999.00"))
    assert offer.needs_approval
    assert WhyKind.APPROVAL in kinds(offer)


def test_a_full_refund_of_a_lost_parcel_is_not_cut_by_the_compensation_caps():
    offer = draft_offer(context("logistics.lost", declined=1, order_value=D(2999)))
    assert offer.compensation == offer.coupon == D(10)
    assert WhyKind.CAPPED not in kinds(offer)


def test_the_shop_day_budget_cuts_the_coupon():
    offer = draft_offer(context("logistics.slow", shop_day_spent=D(2998)))
    assert offer.coupon == D(2)
    capped = next(w for w in offer.why if w.kind is WhyKind.CAPPED)
    assert (capped.detail, capped.amount) == ("shop_day", D(5))


def test_an_exhausted_customer_month_leaves_the_remedy_without_money():
    offer = draft_offer(
        context("logistics.damaged_in_transit", order_value=D(100), customer_month_spent=D(300))
    )
    assert (offer.remedy, offer.coupon) == (OfferRemedy.RESHIP, D(0))


def test_a_price_difference_is_cut_to_the_order_share_cap():
    offer = draft_offer(context("price.price_drop", order_value=D(100), price_difference=D(80)))
    assert offer.refund == D("50.00")
    assert next(w.detail for w in offer.why if w.kind is WhyKind.CAPPED) == "per_order_share"


def test_no_price_drop_found_refunds_nothing_and_says_so():
    offer = draft_offer(context("price.price_drop", order_value=D(100), price_difference=D(0)))
    assert offer.amount == D(0)
    assert WhyKind.NO_PRICE_DROP in kinds(offer)


@pytest.mark.parametrize(
    "sub",
    ["logistics.slow", "product.defect", "product.not_fresh", "service.attitude", "price"],
)
@pytest.mark.parametrize("spent", [D(0), D(150), D(199), D(200)])
def test_no_offer_ever_exceeds_a_cap(sub, spent):
    policy = load_compensation_policy()
    for declined in range(3):
        offer = draft_offer(
            context(sub, order_value=D(60), order_spent=spent, declined=declined), policy
        )
        if offer is None:
            break
        assert offer.compensation is not None
        assert spent + offer.compensation <= max(policy.caps.per_order, spent)
        assert offer.compensation <= D(30)  # half of the ¥60 order


def test_the_graver_problem_decides_when_a_review_has_two():
    offer = draft_offer(
        OfferContext(
            ("logistics", "product"),
            ("logistics.slow", "product.fake"),
            SeverityLevel.LOW,
        )
    )
    assert offer.rule == "safety_or_fake"


def test_a_policy_without_a_rule_for_a_cause_is_refused(tmp_path: Path):
    bad = tmp_path / "policy.yaml"
    text = Path("reviews/compensation_policy.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("causes: [price, other]", "causes: [price]"), encoding="utf-8")
    with pytest.raises(PolicyError, match="no rule for the causes other"):
        load_compensation_policy.__wrapped__(bad)


def test_a_refund_share_on_a_coupon_step_is_refused():
    with pytest.raises(ValueError, match="refund_share"):
        CompensationPolicy.model_validate(
            {
                "approval_above": 50,
                "caps": {
                    "per_order": 200,
                    "per_order_share": 0.5,
                    "per_customer_month": 300,
                    "shop_day": 3000,
                },
                "recent_compensation_days": 30,
                "rules": [
                    {
                        "name": "x",
                        "causes": ["product", "logistics", "service", "price", "other"],
                        "ladder": [{"remedy": "coupon", "coupon": 5, "refund_share": 0.5}],
                    }
                ],
            }
        )


@pytest.mark.parametrize("remedy", list(OfferRemedy))
@pytest.mark.parametrize("product", [None, "保温杯"])
def test_every_offer_message_reads_whole_with_or_without_a_product(remedy, product):
    for refund in (None, D(0), D("12.5")):
        offer = Offer("r", 1, False, remedy, D(5), refund, False)
        text = offer_message(offer, product)
        assert check_private_text(text) == [], text
        assert not re.search(r"抱歉的|（）|，，|。，|\s|None", text), text
        assert product is None or product in text or remedy in NO_PRODUCT, text


NO_PRODUCT = {OfferRemedy.REFUND, OfferRemedy.PRICE_DIFFERENCE}
