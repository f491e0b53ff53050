"""Compensation offers for negative reviews: the policy (compensation_policy.yaml) and the draft.

`draft_offer` takes what is known of a review and its customer (`OfferContext`) and returns the
`Offer` the policy gives at the ladder's current step, with every reason that shaped it (`Why`):
the rule, the step, a raised coupon, a cap that cut it, the approval it needs. Plain facts: the
words are rendered by words.render, the history and the budget are read by reviews.handling.

Two sums matter. Compensation (coupons, partial refunds, price differences: what the customer
gets beyond being made whole) never exceeds the caps. Money out (compensation plus full refunds
of goods that were lost or are not sent back) decides whether a supervisor must approve.
A return-refund gives back what was paid for goods that come back: neither.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.policy_file import load_policy_file
from reviews.causes import ReviewCause, ReviewSubCause
from reviews.severity import SeverityLevel

POLICY_FILE = Path(__file__).with_name("compensation_policy.yaml")
CENT = Decimal("0.01")
ZERO = Decimal(0)


class OfferRemedy(StrEnum):
    """What the shop does about the problem."""

    COUPON = "coupon"  # a coupon alone
    APOLOGY = "apology"  # an apology (with the step's coupon, if any)
    RESHIP = "reship"  # 补发: the item sent again
    EXCHANGE = "exchange"  # 换货
    RETURN_REFUND = "return_refund"  # 退货退款: the goods come back, the price goes back
    REFUND = "refund"  # 仅退款: the full price back without a return (lost, or worthless)
    PARTIAL_REFUND = "partial_refund"  # part of the price back, the customer keeps the goods
    PRICE_DIFFERENCE = "price_difference"  # 价保: the drop of the price back


class PolicyError(ValueError):
    """compensation_policy.yaml is invalid."""


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    remedy: OfferRemedy
    coupon: Decimal = Field(default=ZERO, ge=0, le=10_000)
    refund_share: float | None = Field(default=None, gt=0, le=1)

    @model_validator(mode="after")
    def _share_only_for_refunds(self) -> "Step":
        refunds = (OfferRemedy.REFUND, OfferRemedy.PARTIAL_REFUND)
        if (self.refund_share is not None) != (self.remedy in refunds):
            raise ValueError("refund_share goes with refund and partial_refund, and only them")
        return self


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    causes: list[ReviewSubCause | ReviewCause] = Field(min_length=1)
    ladder: list[Step] = Field(min_length=1, max_length=10)


class Caps(BaseModel):
    model_config = ConfigDict(extra="forbid")
    per_order: Decimal = Field(ge=0)
    per_order_share: float = Field(gt=0, le=1)
    per_customer_month: Decimal = Field(ge=0)
    shop_day: Decimal = Field(ge=0)


class CompensationPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approval_above: Decimal = Field(ge=0)
    caps: Caps
    repeat_buyer_coupon_bonus: Decimal = Field(default=ZERO, ge=0)
    recent_compensation_days: int = Field(ge=0, le=365)
    severity_start_step: dict[SeverityLevel, int] = Field(default_factory=dict)
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_cause_has_a_rule(self) -> "CompensationPolicy":
        covered = {cause for rule in self.rules for cause in rule.causes}
        missing = [c.value for c in ReviewCause if c not in covered]
        if missing:
            raise ValueError(f"no rule for the causes {', '.join(missing)}")
        return self

    def rule_for(self, causes: list[str], sub_causes: list[str]) -> Rule:
        """The first rule naming one of the sub-causes or causes (every cause has a rule)."""
        found = set(causes) | set(sub_causes) or {ReviewCause.PRODUCT.value}
        for rule in self.rules:
            if found & {c.value for c in rule.causes}:
                return rule
        return next(r for r in self.rules if ReviewCause.PRODUCT in r.causes)


def gravest_problem(
    causes: Sequence[str], sub_causes: Sequence[str], policy: "CompensationPolicy | None" = None
) -> str:
    """The review's problem that its offer is for: the sub-cause, else the cause, that the
    policy's first matching rule names (so the reply acknowledges what the offer remedies)."""
    policy = policy or load_compensation_policy()
    named = {c.value for c in policy.rule_for(list(causes), list(sub_causes)).causes}
    sub = next((s for s in sub_causes if s in named), None)
    if sub is not None:
        return sub
    first = causes[0] if causes else ReviewCause.PRODUCT.value
    cause = next((c for c in causes if c in named), first)
    return next((s for s in sub_causes if s.startswith(f"{cause}.")), cause)


@lru_cache
def load_compensation_policy(path: Path = POLICY_FILE) -> CompensationPolicy:
    return load_policy_file(path, CompensationPolicy, PolicyError, "compensation policy")


class WhyKind(StrEnum):
    """One reason that shaped an offer."""

    RULE = "rule"  # detail: the rule's name; step: the ladder step (1-based)
    SEVERITY_START = "severity_start"  # detail: the severity that started further up
    DECLINED_BEFORE = "declined_before"  # amount: how many earlier offers were declined
    REPEAT_BUYER = "repeat_buyer"  # amount: the coupon's raise
    RECENT_COMPENSATION = "recent_compensation"  # amount: compensated within the window
    UNKNOWN_ORDER_VALUE = "unknown_order_value"  # a refund's amount waits for the order
    NO_PRICE_DROP = "no_price_drop"  # 价保 found nothing to refund (or no order to check)
    CAPPED = "capped"  # detail: the cap; amount: the compensation before it was cut
    APPROVAL = "approval"  # amount: the threshold the money out is above


@dataclass(frozen=True)
class Why:
    kind: WhyKind
    detail: str | None = None
    amount: Decimal | None = None
    step: int | None = None

    def as_json(self) -> dict[str, Any]:
        amount = None if self.amount is None else str(self.amount)
        return {"kind": self.kind.value, "detail": self.detail, "amount": amount, "step": self.step}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Why":
        amount = data.get("amount")
        return cls(
            WhyKind(data["kind"]),
            data.get("detail"),
            None if amount is None else Decimal(amount),
            data.get("step"),
        )


@dataclass(frozen=True)
class OfferContext:
    """What the draft depends on: the review's analysis, the order and the customer's history."""

    causes: tuple[str, ...]
    sub_causes: tuple[str, ...]
    severity: SeverityLevel | None
    order_value: Decimal | None = None
    repeat_buyer: bool = False
    declined: int = 0  # offers the customer declined for this review
    recently_compensated: Decimal = ZERO  # within recent_compensation_days
    order_spent: Decimal = ZERO  # compensation already given on the order
    customer_month_spent: Decimal | None = None  # None: the customer is unknown
    shop_day_spent: Decimal = ZERO
    price_difference: Decimal | None = None  # 价保 refundable now (None: no order to check)


@dataclass(frozen=True)
class Offer:
    """A drafted offer: the remedy, the money (None where it waits for the order), why."""

    rule: str
    step: int  # 1-based position on the rule's ladder
    last_step: bool
    remedy: OfferRemedy
    coupon: Decimal
    refund: Decimal | None  # refund, partial refund or price difference; None: not known yet
    needs_approval: bool
    why: tuple[Why, ...] = field(default=())

    @property
    def amount(self) -> Decimal | None:
        """Money out: the coupon and any refund, None when a refund's size is not known."""
        return None if self.refund is None else self.coupon + self.refund

    @property
    def compensation(self) -> Decimal | None:
        """What counts against the caps (a full refund makes whole and does not)."""
        if self.remedy == OfferRemedy.REFUND:
            return self.coupon
        return self.amount


def _cap_left(policy: CompensationPolicy, ctx: OfferContext) -> tuple[Decimal, str]:
    """The compensation still allowed, and the cap that allows least."""
    caps = policy.caps
    left = {
        "per_order": caps.per_order - ctx.order_spent,
        "shop_day": caps.shop_day - ctx.shop_day_spent,
    }
    if ctx.order_value is not None:
        share = (ctx.order_value * Decimal(str(caps.per_order_share))).quantize(CENT)
        left["per_order_share"] = share - ctx.order_spent
    if ctx.customer_month_spent is not None:
        left["per_customer_month"] = caps.per_customer_month - ctx.customer_month_spent
    name = min(left, key=lambda k: left[k])
    return max(left[name], ZERO), name


def _refund(step: Step, ctx: OfferContext) -> Decimal | None:
    if step.remedy == OfferRemedy.PRICE_DIFFERENCE:
        return ctx.price_difference
    if step.refund_share is None:
        return ZERO
    if ctx.order_value is None:
        return None
    return (ctx.order_value * Decimal(str(step.refund_share))).quantize(CENT)


def draft_offer(ctx: OfferContext, policy: CompensationPolicy | None = None) -> Offer | None:
    """The offer at the review's place on its ladder; None when the ladder is exhausted (every
    step declined: a supervisor takes it from there)."""
    policy = policy or load_compensation_policy()
    rule = policy.rule_for(list(ctx.causes), list(ctx.sub_causes))
    start = policy.severity_start_step.get(ctx.severity, 0) if ctx.severity else 0
    start = min(start, len(rule.ladder) - 1)
    index = start + ctx.declined
    if index >= len(rule.ladder):
        return None
    step = rule.ladder[index]
    why = [Why(WhyKind.RULE, rule.name, step=index + 1)]
    if start and ctx.severity:
        why.append(Why(WhyKind.SEVERITY_START, ctx.severity.value))
    if ctx.declined:
        why.append(Why(WhyKind.DECLINED_BEFORE, amount=Decimal(ctx.declined)))
    coupon = step.coupon
    recent = ctx.recently_compensated > 0
    if ctx.repeat_buyer and coupon > 0 and not recent and policy.repeat_buyer_coupon_bonus:
        coupon += policy.repeat_buyer_coupon_bonus
        why.append(Why(WhyKind.REPEAT_BUYER, amount=policy.repeat_buyer_coupon_bonus))
    refund = _refund(step, ctx)
    if step.remedy == OfferRemedy.PRICE_DIFFERENCE and not ctx.price_difference:
        why.append(Why(WhyKind.NO_PRICE_DROP))
        refund = ZERO if ctx.price_difference is not None else None
    elif refund is None:
        why.append(Why(WhyKind.UNKNOWN_ORDER_VALUE))
    offer = Offer(
        rule.name, index + 1, index + 1 == len(rule.ladder), step.remedy, coupon, refund, False
    )
    offer = _within_caps(offer, policy, ctx, why)
    if offer.remedy == OfferRemedy.COUPON and not offer.coupon:  # the caps left no coupon
        offer = replace(offer, remedy=OfferRemedy.APOLOGY)
    needs_approval = recent
    if recent:
        why.append(Why(WhyKind.RECENT_COMPENSATION, amount=ctx.recently_compensated))
    money = offer.amount
    if money is None and offer.remedy in (OfferRemedy.REFUND, OfferRemedy.PARTIAL_REFUND):
        needs_approval = True  # a refund of unknown size cannot be known to be small
        why.append(Why(WhyKind.APPROVAL))
    if money is not None and money > policy.approval_above:
        needs_approval = True
        why.append(Why(WhyKind.APPROVAL, amount=policy.approval_above))
    return replace(offer, needs_approval=needs_approval, why=tuple(why))


def _within_caps(
    offer: Offer, policy: CompensationPolicy, ctx: OfferContext, why: list[Why]
) -> Offer:
    """The offer cut to the tightest cap: the coupon first, then the partial refund."""
    left, cap = _cap_left(policy, ctx)
    counted_refund = ZERO if offer.remedy == OfferRemedy.REFUND else offer.refund
    before = offer.coupon + (counted_refund or ZERO)
    if before <= left:
        return offer
    why.append(Why(WhyKind.CAPPED, cap, amount=before))
    refund_left = min(counted_refund or ZERO, left)
    coupon = min(offer.coupon, left - refund_left)
    if offer.remedy == OfferRemedy.REFUND:
        return replace(offer, coupon=coupon)
    return replace(offer, coupon=coupon, refund=None if offer.refund is None else refund_left)
