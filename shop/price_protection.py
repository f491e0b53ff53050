"""价保 on a verified order: whether a price drop is refunded, how much, and applying it once.

`price_protection_check` compares what each item was paid with its price now and says, item by
item, whether the difference is refunded (and how much: the difference × quantity) or exactly
why not; `apply_price_protection` records the refund once the shopper confirmed, at most once per
item, with a `price_protection.applied` event. The rules are in
shop/price_protection_policy.yaml; the refund goes back the way the order was paid, as fast as
shop/refund_policy.yaml says for that payment method.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import add_working_days
from core.events import Actor, EventName, record_event
from core.policy_file import load_policy_file
from core.text import normalise
from shop.aftersales import MoneyBack, RefundArrival, refund_arrival
from shop.models import (
    AfterSaleKind,
    AfterSaleStatus,
    Order,
    OrderItem,
    OrderStatus,
    PriceChange,
    PriceClaimStatus,
    PriceKind,
    PriceProtectionClaim,
    Product,
)
from shop.price_claims import pieces_said
from shop.regions import province

PRICE_POLICY_FILE = Path(__file__).with_name("price_protection_policy.yaml")
# A lower price somewhere else is not a drop of this shop's price.
OTHER_SELLER_WORDS = re.compile(
    r"别家|别的店|别人家|其他店|其他家|其它店|隔壁|拼多多|淘宝上|天猫上|京东上|抖音上|官网|线下|实体店"
)
LIVE_REFUNDS = (AfterSaleStatus.REJECTED, AfterSaleStatus.CLOSED)  # these refund nothing


class PricePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    window_days: int = Field(gt=0, le=365)
    excluded_price_kinds: list[PriceKind]
    excluded_categories: list[str] = []

    @model_validator(mode="after")
    def _regular_counts(self) -> "PricePolicy":
        if PriceKind.REGULAR in self.excluded_price_kinds:
            raise ValueError("the regular price cannot be excluded: it is what 价保 compares")
        return self


class PricePolicyError(ValueError):
    """The 价保 policy file is invalid; the message says what and where."""


@lru_cache
def load_price_policy(path: Path = PRICE_POLICY_FILE) -> PricePolicy:
    return load_policy_file(path, PricePolicy, PricePolicyError, "价保 policy")


class PriceRule(StrEnum):
    """What decided an item's 价保, in the order it is checked."""

    ELIGIBLE = "eligible"
    ORDER_NOT_PAID = "order_not_paid"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_REFUNDED = "order_refunded"  # a return or refund on the order
    OUTSIDE_WINDOW = "outside_window"
    OTHER_SELLER = "other_seller"  # cheaper in another shop: not this shop's price
    EXCLUDED_CATEGORY = "excluded_category"
    ALREADY_CLAIMED = "already_claimed"
    EXCLUDED_PROMOTION = "excluded_promotion"  # only a flash sale, live price or coupon is lower
    PRICE_NOT_LOWER = "price_not_lower"


@dataclass(frozen=True)
class ItemPrice:
    """One ordered item: what it was paid, what it costs now, and what 价保 gives back."""

    product_name: str
    quantity: int
    paid_price: Decimal  # per item
    price_now: Decimal  # the lowest price now (a promotion's, when one is on)
    rule: PriceRule
    refund: Decimal = Decimal("0")  # (paid - regular price now) × quantity, when eligible
    promotion: PriceKind | None = None  # the promotion that is lower, for EXCLUDED_PROMOTION
    category: str | None = None  # the excluded category's name
    claimed_at: datetime | None = None  # for ALREADY_CLAIMED


@dataclass(frozen=True)
class PriceProtectionCheck:
    """价保 on an order, item by item (nothing changes); `order_rule` when one rule decides for
    the whole order."""

    order_no: str
    items: tuple[ItemPrice, ...]
    order_rule: PriceRule | None
    paid_at: datetime | None
    deadline: datetime | None  # the end of the 价保 window
    refund: Decimal
    refund_channel: str
    arrival: RefundArrival  # how soon a refund to that channel arrives (refund_policy.yaml)
    window_days: int

    @property
    def eligible(self) -> bool:
        return self.refund > 0


class PriceAsk(StrEnum):
    """A question about a 价保 just said back, answered from its check."""

    PER_ITEM = "per_item"  # 差了30呢 退不退: the shopper's figure is one piece's difference
    PIECES = "pieces"  # 我买的两瓶哦: how many pieces the refund counts, per piece × quantity
    LATER_DROP = "later_drop"  # 以后再降还能再保吗: each item is protected once


# A later drop asked about (以后再降, 过几天又便宜了呢, 还能再保吗); never a drop seen now
# (我买的又降价了 is the 价保 asked for).
LATER_DROP_WORDS = re.compile(
    r"(?:以后|之后|后面|下次|过几天|万一|要是)[^,。 ]{0,3}(?:降|便宜|掉价)|再(?:降|便宜|掉价)|"
    r"(?:还能|能不能|可以|还可以)再(?:保|申请|补|价保)"
)
FIGURES = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class PriceProtectionExplained:
    """The 价保 just said back, explained for the question asked about it: the difference per
    piece × the quantity is the refund (`PER_ITEM`), or each item is protected once while its
    window lasts (`LATER_DROP`)."""

    order_no: str
    ask: PriceAsk
    items: tuple[ItemPrice, ...]  # the eligible ones
    refund: Decimal
    refund_channel: str
    deadline: datetime | None
    window_over: bool = False  # its 价保 window has ended: no later drop is refunded either
    pieces_said: int | None = None  # how many pieces the shopper said they bought (`PIECES`)


def price_question(checked: PriceProtectionCheck, words: str) -> PriceProtectionExplained | None:
    """What a follow-up on the 价保 `checked` asks or says (a later drop; a figure that is one
    piece's difference; how many pieces were bought), explained; None when the words do none of
    these (the check is said again)."""
    clean = normalise(words)
    eligible = tuple(i for i in checked.items if i.rule == PriceRule.ELIGIBLE)
    pieces = pieces_said(clean)
    if LATER_DROP_WORDS.search(clean):
        ask = PriceAsk.LATER_DROP
    elif eligible and pieces is not None:
        ask = PriceAsk.PIECES
    elif eligible and {i.paid_price - i.price_now for i in eligible} & {
        Decimal(f) for f in FIGURES.findall(clean)
    }:
        ask = PriceAsk.PER_ITEM
    else:
        return None
    return PriceProtectionExplained(
        checked.order_no,
        ask,
        eligible,
        checked.refund,
        checked.refund_channel,
        checked.deadline,
        checked.order_rule == PriceRule.OUTSIDE_WINDOW,
        pieces if ask == PriceAsk.PIECES else None,
    )


@dataclass(frozen=True)
class DifferenceBack:
    """Where a 价保's difference goes once applied and how soon, asked before the yes (退到哪里
    多久到)."""

    money: MoneyBack


def difference_back(checked: PriceProtectionCheck) -> DifferenceBack | None:
    """Where the difference of a 价保 checked (not yet applied) would go; None when nothing is
    refunded."""
    if not checked.eligible:
        return None
    return DifferenceBack(MoneyBack(checked.refund, checked.refund_channel, checked.arrival))


@dataclass(frozen=True)
class PriceProtectionApplied:
    order_no: str
    items: tuple[ItemPrice, ...]  # the refunded ones
    refund: Decimal
    refund_channel: str
    refund_by: datetime  # at the latest, by the refund policy of the channel


@dataclass(frozen=True)
class PriceNow:
    """A product's price at a moment: the regular one and the lowest promotion, if lower."""

    regular: Decimal
    lowest: Decimal
    promotion: PriceKind | None  # the kind of the lowest price when it is not the regular one


def price_at(session: Session, product: Product, moment: datetime) -> PriceNow:
    """The product's prices at `moment` from its price history (the listed price without one)."""
    changes = session.scalars(
        select(PriceChange)
        .where(PriceChange.product_id == product.id, PriceChange.effective_at <= moment)
        .order_by(PriceChange.effective_at, PriceChange.id)
    ).all()
    regulars = [c for c in changes if c.kind == PriceKind.REGULAR]
    regular = regulars[-1].price if regulars else product.price
    running = [
        c
        for c in changes
        if c.kind != PriceKind.REGULAR and (c.ends_at is None or c.ends_at > moment)
    ]
    best = min(running, key=lambda c: c.price, default=None)
    if best is None or best.price >= regular:
        return PriceNow(regular, regular, None)
    return PriceNow(regular, best.price, best.kind)


@dataclass(frozen=True)
class ProductPriceProtection:
    """价保 for a product being discussed before it is bought: whether the price it sells at
    now is one 价保 compares (a 秒杀 or 直播间专享价 is not), said before the general rule."""

    product_name: str
    regular_price: Decimal
    promotion: PriceKind | None  # the promotion running now, when it is lower than the regular
    promotion_price: Decimal | None
    promotion_excluded: bool  # the running promotion is a price kind 价保 never counts
    excluded_kinds: tuple[PriceKind, ...]  # the policy's price kinds that never count
    category: str | None  # the category's name, when its products have no 价保
    window_days: int


def product_price_protection(
    session: Session, product: Product, now: datetime, policy: PricePolicy | None = None
) -> ProductPriceProtection:
    """What 价保 a purchase of `product` at `now` would have: by its running promotion, its
    category and the window (shop/price_protection_policy.yaml)."""
    policy = policy or load_price_policy()
    price = price_at(session, product, now)
    excluded = policy.excluded_price_kinds
    return ProductPriceProtection(
        product.name,
        price.regular,
        price.promotion,
        price.lowest if price.promotion is not None else None,
        price.promotion is not None and price.promotion in excluded,
        tuple(excluded),
        product.category.name if product.category.code in policy.excluded_categories else None,
        policy.window_days,
    )


def price_protection_check(
    session: Session,
    order: Order,
    now: datetime,
    words: str = "",
    policy: PricePolicy | None = None,
) -> PriceProtectionCheck:
    """Whether each item's price drop is refunded, or exactly why not."""
    policy = policy or load_price_policy()
    deadline = order.paid_at + timedelta(days=policy.window_days) if order.paid_at else None
    order_rule = _order_rule(order, now, deadline, words)
    claims = _claims(session, order)
    items = tuple(
        _item_price(session, item, now, order_rule, claims.get(item.id), policy)
        for item in order.items
    )
    return PriceProtectionCheck(
        order.order_no,
        items,
        order_rule,
        order.paid_at,
        deadline,
        sum((i.refund for i in items), Decimal("0")),
        order.payment_method,
        refund_arrival(order.payment_method),
        policy.window_days,
    )


def _order_rule(
    order: Order, now: datetime, deadline: datetime | None, words: str
) -> PriceRule | None:
    if order.status == OrderStatus.CANCELLED:
        return PriceRule.ORDER_CANCELLED
    if order.paid_at is None or deadline is None:
        return PriceRule.ORDER_NOT_PAID
    refunds = [
        a
        for a in order.after_sales
        if a.kind in (AfterSaleKind.REFUND_ONLY, AfterSaleKind.RETURN_REFUND)
        and a.status not in LIVE_REFUNDS
    ]
    if refunds:
        return PriceRule.ORDER_REFUNDED
    if now > deadline:
        return PriceRule.OUTSIDE_WINDOW
    if OTHER_SELLER_WORDS.search(normalise(words)):
        return PriceRule.OTHER_SELLER
    return None


def _claims(session: Session, order: Order) -> dict[int, PriceProtectionClaim]:
    query = select(PriceProtectionClaim).where(PriceProtectionClaim.order_id == order.id)
    return {claim.order_item_id: claim for claim in session.scalars(query)}


def _item_price(
    session: Session,
    item: OrderItem,
    now: datetime,
    order_rule: PriceRule | None,
    claim: PriceProtectionClaim | None,
    policy: PricePolicy,
) -> ItemPrice:
    product = item.variant.product
    price = price_at(session, product, now)
    facts = (product.name, item.quantity, item.unit_price, price.lowest)
    if order_rule is not None:
        return ItemPrice(*facts, order_rule)
    if product.category.code in policy.excluded_categories:
        return ItemPrice(*facts, PriceRule.EXCLUDED_CATEGORY, category=product.category.name)
    if claim is not None:
        return ItemPrice(*facts, PriceRule.ALREADY_CLAIMED, claimed_at=claim.claimed_at)
    if price.regular < item.unit_price:
        refund = (item.unit_price - price.regular) * item.quantity
        return ItemPrice(
            product.name, item.quantity, item.unit_price, price.regular, PriceRule.ELIGIBLE, refund
        )
    if price.promotion is not None and price.lowest < item.unit_price:
        if price.promotion in policy.excluded_price_kinds:
            return ItemPrice(*facts, PriceRule.EXCLUDED_PROMOTION, promotion=price.promotion)
        refund = (item.unit_price - price.lowest) * item.quantity
        return ItemPrice(*facts, PriceRule.ELIGIBLE, refund, promotion=price.promotion)
    return ItemPrice(*facts, PriceRule.PRICE_NOT_LOWER)


def apply_price_protection(
    session: Session,
    order: Order,
    now: datetime,
    words: str = "",
    conversation_id: str | None = None,
    policy: PricePolicy | None = None,
) -> PriceProtectionApplied | PriceProtectionCheck:
    """Refund the eligible items' differences the shopper confirmed (checked again: an item
    already refunded is never refunded twice); the check when nothing is eligible any more."""
    policy = policy or load_price_policy()
    checked = price_protection_check(session, order, now, words, policy)
    if not checked.eligible:
        return checked
    refund_by = add_working_days(now, checked.arrival.working_days[1])
    refunded = []
    for item, price in zip(order.items, checked.items, strict=True):
        if price.rule != PriceRule.ELIGIBLE:
            continue
        session.add(
            PriceProtectionClaim(
                order_id=order.id,
                order_item_id=item.id,
                quantity=item.quantity,
                paid_price=item.unit_price,
                price_now=price.price_now,
                amount=price.refund,
                status=PriceClaimStatus.REFUNDING,
                refund_channel=order.payment_method,
                claimed_at=now,
                refund_by=refund_by,
                conversation_id=conversation_id,
            )
        )
        refunded.append(price)
    session.flush()
    record_event(
        session,
        EventName.PRICE_PROTECTION_APPLIED,
        order.order_no,
        order_no=order.order_no,
        actor=Actor.SHOPPER,
        conversation_id=conversation_id,
        region=province(order.shipping_address),
        value=checked.refund,
        payload={"items": [p.product_name for p in refunded]},
        occurred_at=now,
    )
    return PriceProtectionApplied(
        order.order_no, tuple(refunded), checked.refund, order.payment_method, refund_by
    )


# --- the 价保 refund on record ------------------------------------------------------------------


@dataclass(frozen=True)
class PriceProtectionRefund:
    """The 价保 differences already refunded on the order: how much, back to where, by when at
    the latest (`overdue`: that day has passed, so it should be there)."""

    order_no: str
    refund: Decimal
    refund_channel: str
    claimed_at: datetime
    refund_by: datetime
    overdue: bool


def price_protection_refund(
    session: Session, order: Order, now: datetime
) -> PriceProtectionRefund | None:
    """Where the order's 价保 refund is ("退到哪 多久到" once a 价保 was applied), or None when
    no 价保 was ever applied to it."""
    claims = sorted(_claims(session, order).values(), key=lambda c: c.claimed_at)
    if not claims:
        return None
    refund_by = max(c.refund_by for c in claims)
    return PriceProtectionRefund(
        order.order_no,
        sum((c.amount for c in claims), Decimal("0")),
        claims[-1].refund_channel,
        claims[-1].claimed_at,
        refund_by,
        now > refund_by,
    )
