"""The demo shop's past, planned: a deterministic (seeded) simulation of orders, parcels,
reviews, chats, parcel cases, compensation offers and alerts, as plain facts with their times.

Nothing here touches the database: `shop.demo.history` writes a plan through the domain's
tables and `record_event` (the demo), `bench/reports.py` writes a much larger one with COPY.

The shape is a small shop's: more orders at weekends and in the evening, a Double-11 peak (and
618, 双12), one product whose complaints rise then stop when a bad batch is fixed, one carrier slow
in one province for a few weeks, parcels late when the carriers are busy. A day of the plan is a
function of the seed and the day alone, so a range is planned the same whatever else is.
"""

import itertools
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.clock import SHOP_TZ
from reviews.offers import Offer, OfferContext, draft_offer
from reviews.severity import SeverityLevel
from shop.demo import history_texts as texts
from shop.policy import load_policy

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
BASE_ORDERS_PER_DAY = 45  # at scale 1, an ordinary weekday
REVIEW_RATE = 0.45  # delivered orders that get a review
IMPORT_DELAY = timedelta(minutes=2)  # from a review's writing to its import by the shop
FIRST_HANDLING = timedelta(seconds=60)  # its alerts and drafts come within this of the import
CHAT_RATE = 0.22  # orders whose shopper chats about them
PRESALE_CHATS = 0.3  # chats about no order, per order of the day
HOUR_WEIGHTS = (  # orders by hour of the day, shop time
    3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 10, 11, 10, 9, 9, 9, 9, 9, 10, 12, 14, 15, 13, 7,
)  # fmt: skip
HOURS = range(24)
HOURS_CUMULATIVE = list(itertools.accumulate(HOUR_WEIGHTS))
WEEKDAY_FACTOR = (0.95, 0.95, 1.0, 1.0, 1.05, 1.15, 1.2)
CARRIERS = {  # carrier: (share of parcels, usual days in transit)
    "中通": (30, 2.4),
    "圆通": (20, 2.5),
    "韵达": (15, 2.7),
    "顺丰": (15, 1.5),
    "京东物流": (15, 1.4),
    "EMS": (5, 3.4),
}
FAR = {"新疆", "云南", "黑龙江", "广西", "辽宁"}  # a day more from the warehouse (杭州)
AGENTS = ("客服小美", "客服阿杰", "客服小鹿", "客服青青")
SUPERVISOR = "店长老陈"
ADMIN = "运营小王"
PLATFORMS = ("taobao", "taobao", "jd", "pdd")
CHANNELS = ("wecom", "email")
OPENS, CLOSES = 9, 23  # the agents' hours, shop time (conversations/agent_hours.yaml)

# Problems a product's category is prone to (sub-cause, chance per review).
CATEGORY_PROBLEMS = {
    "apparel": [("product.size_fit", 0.02), ("product.poor_quality", 0.012)],
    "shoes": [("product.size_fit", 0.025), ("product.poor_quality", 0.01)],
    "electronics": [("product.defect", 0.018), ("product.not_as_described", 0.005)],
    "computers": [("product.defect", 0.012)],
    "appliances": [("product.defect", 0.015), ("product.smell", 0.006)],
    "food": [("product.packaging", 0.008), ("product.not_fresh", 0.006)],
    "fresh": [("product.not_fresh", 0.05)],
    "books": [("product.packaging", 0.01)],
    "beauty": [("product.smell", 0.008), ("product.not_as_described", 0.006)],
    "home": [("product.poor_quality", 0.012), ("product.smell", 0.008)],
}


@dataclass(frozen=True)
class Item:
    """A product of the catalogue as the plan needs it."""

    code: str
    name: str
    category: str
    price: Decimal
    skus: tuple[str, ...]
    weight: float  # how often it sells


@lru_cache(maxsize=1)
def catalogue() -> tuple[Item, ...]:
    """The demo catalogue (catalogue.yaml); cheap things and clothes sell most."""
    with CATALOGUE_FILE.open(encoding="utf-8") as handle:
        products = yaml.safe_load(handle)["products"]
    return tuple(
        Item(
            p["code"],
            p["name"],
            p["category"],
            Decimal(str(p["price"])).quantize(Decimal("0.01")),
            tuple(v["sku"] for v in p["variants"]),
            6.0 / math.sqrt(float(p["price"])) + (1.0 if p["category"] == "apparel" else 0.3),
        )
        for p in products
    )


@dataclass(frozen=True)
class QualityEpisode:
    """A bad batch of one product: its defect complaints rise, peak, then stop when fixed."""

    product: str
    sub_cause: str
    start: datetime
    peak: datetime
    fixed: datetime
    chance: float = 0.5  # of a review at the peak

    def intensity(self, at: datetime) -> float:
        if at < self.start or at >= self.fixed:
            return 0.0
        if at < self.peak:
            return self.chance * (at - self.start) / (self.peak - self.start)
        return self.chance


@dataclass(frozen=True)
class SlowEpisode:
    """A carrier slow in one province (a sorting centre overloaded) for a few weeks."""

    carrier: str
    province: str
    start: datetime
    end: datetime
    extra_days: float = 3.0


@dataclass(frozen=True)
class AlertOutage:
    """An alert channel that failed (a robot's key rotated) until someone fixed it."""

    channel: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Shape:
    """The incidents of the simulated range."""

    quality: tuple[QualityEpisode, ...]
    slow: tuple[SlowEpisode, ...]
    outages: tuple[AlertOutage, ...]


def shape_for(start: datetime, end: datetime) -> Shape:
    """One bad batch, one slow carrier and one alert outage per 12 weeks, the latest ones in the
    last 12 weeks (so the demo's charts show each)."""
    period = timedelta(weeks=12)
    defects = [("P1008", "product.poor_quality"), ("P3002", "product.defect")]
    defects += [("P5002", "product.defect"), ("P2003", "product.size_fit")]
    lanes = [("中通", "广东"), ("韵达", "浙江"), ("圆通", "江苏"), ("中通", "四川")]
    channels = ["wecom", "email"]
    quality, slow, outages = [], [], []
    n = 0
    cycle_start = end - period
    while cycle_start + period > start:

        def at(weeks: float, base: datetime = cycle_start) -> datetime:
            return base + timedelta(weeks=weeks)

        product, sub = defects[n % len(defects)]
        quality.append(QualityEpisode(product, sub, at(2), at(5.5), at(8)))
        carrier, province = lanes[n % len(lanes)]
        slow.append(SlowEpisode(carrier, province, at(4.5), at(7.5)))
        outage = at(6) + timedelta(hours=10)
        outages.append(AlertOutage(channels[n % 2], outage, outage + timedelta(hours=30)))
        cycle_start -= period
        n += 1
    return Shape(tuple(quality), tuple(slow), tuple(outages))


def peak_factor(day: date) -> float:
    """Orders on `day` against an ordinary day: the shopping festivals."""
    md = (day.month, day.day)
    if md == (11, 11):
        return 4.0
    if (10, 31) <= md <= (11, 10):
        return 1.35
    if (11, 12) <= md <= (11, 13):
        return 1.6
    if md == (6, 18):
        return 2.6
    if (6, 1) <= md <= (6, 17):
        return 1.2
    if md == (12, 12):
        return 1.8
    return 1.0


def busy_carriers(at: datetime) -> float:
    """Days the carriers' backlog adds to a parcel shipped at `at` (after the festivals)."""
    local = at.astimezone(SHOP_TZ).date()
    md = (local.month, local.day)
    if (11, 11) <= md <= (11, 17):
        return 1.5
    if (6, 18) <= md <= (6, 21):
        return 0.8
    return 0.0


# --- the facts of the plan -------------------------------------------------------------------


@dataclass(slots=True)
class PlannedOrder:
    order_no: str
    customer: int  # index into the customer pool
    item: Item
    sku: str
    quantity: int
    unit_price: Decimal
    total: Decimal
    shipping_fee: Decimal
    payment: str
    province: str
    city: str
    district: str
    carrier: str
    placed_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    promised_by: datetime  # shipped + 3 days

    @property
    def late_days(self) -> float:
        if self.delivered_at is None:
            return 0.0
        return max(0.0, (self.delivered_at - self.promised_by).total_seconds() / 86400)


@dataclass(slots=True)
class Decision:
    state: str  # approved, rejected, accepted, declined
    by: str | None  # the agent, or None for the customer
    at: datetime


@dataclass(slots=True)
class PlannedOffer:
    offer: Offer
    drafted_at: datetime
    decisions: list[Decision] = field(default_factory=list)


@dataclass(slots=True)
class PlannedReview:
    key: str  # the platform's review id
    platform: str
    order: PlannedOrder
    at: datetime  # written on the platform
    rating: int
    text: str
    negative: bool
    score: float
    causes: list[str] = field(default_factory=list)
    sub_causes: list[str] = field(default_factory=list)
    severity: str = "low"
    severity_reasons: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    offer: PlannedOffer | None = None
    reply: Decision | None = None  # approved or rejected (None: still a draft)
    contacted: Decision | None = None
    alerts: list[tuple[str, datetime, bool]] = field(default_factory=list)  # channel, at, sent

    @property
    def received_at(self) -> datetime:
        """When the shop imported it: alerts, drafts and latencies count from here."""
        return self.at + IMPORT_DELAY


@dataclass(slots=True)
class Line:
    at: datetime
    sender: str  # shopper, bot, agent
    text: str
    agent: str | None = None


@dataclass(slots=True)
class PlannedCase:
    kind: str  # shop.models.CaseKind
    opened_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None  # an agent, or None: the carrier's scan resolved it
    detail: str


@dataclass(slots=True)
class PlannedConversation:
    id: str
    order: PlannedOrder | None
    started_at: datetime
    lines: list[Line] = field(default_factory=list)
    handoff: tuple[datetime, str, str] | None = None  # at, EscalationReason, detail
    taken: tuple[datetime, str] | None = None  # at, agent
    handed_back: datetime | None = None
    resolved: tuple[datetime, str, str | None] | None = None  # at, actor, agent
    case: PlannedCase | None = None


@dataclass(slots=True)
class DayPlan:
    day: date
    orders: list[PlannedOrder] = field(default_factory=list)
    reviews: list[PlannedReview] = field(default_factory=list)
    conversations: list[PlannedConversation] = field(default_factory=list)


# --- planning ----------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[Any, float] | dict[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def _cumulative(weights: Iterable[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), SHOP_TZ).astimezone(UTC)


def _agent_time(at: datetime, rng: random.Random, busy: float) -> datetime:
    """When an agent first gets to a shopper who asked at `at`: minutes within the hours, the
    next opening otherwise."""
    local = at.astimezone(SHOP_TZ)
    if local.hour < OPENS or local.hour >= CLOSES:
        opening = local.replace(hour=OPENS, minute=0, second=0, microsecond=0)
        if local.hour >= CLOSES:
            opening += timedelta(days=1)
        return opening.astimezone(UTC) + timedelta(seconds=rng.uniform(60, 1200))
    return at + timedelta(seconds=rng.lognormvariate(math.log(75 * busy), 0.9))


def _in_hours(at: datetime, rng: random.Random, hours: float) -> datetime:
    """`at` plus about `hours`, moved into the agents' hours."""
    later = at + timedelta(hours=rng.uniform(0.2, hours))
    local = later.astimezone(SHOP_TZ)
    if local.hour < OPENS or local.hour >= CLOSES:
        return _agent_time(later, rng, 1.0)
    return later


class Planner:
    """Plans day after day of the shop's past at `scale` (1.0: the demo)."""

    def __init__(self, start: datetime, end: datetime, scale: float = 1.0, seed: int = 2026):
        self.start, self.end, self.scale, self.seed = start, end, scale, seed
        self.shape = shape_for(start, end)
        self.items = catalogue()
        self._items_cumulative = _cumulative(i.weight for i in self.items)
        self._carriers = list(CARRIERS)
        self._carriers_cumulative = _cumulative(w for w, _days in CARRIERS.values())
        places = {p[:3]: float(p[3]) for p in texts.PLACES}
        pool = random.Random(f"{seed}:customers")
        self.customers = [  # where each customer lives (their orders go there)
            _weighted(pool, places) for _ in range(max(50, int(600 * scale)))
        ]

    def days(self) -> Iterator[DayPlan]:
        first = self.start.astimezone(SHOP_TZ).date()
        last = self.end.astimezone(SHOP_TZ).date()
        for n in range((last - first).days + 1):
            yield self.day(first + timedelta(days=n))

    def day(self, day: date) -> DayPlan:
        rng = random.Random(f"{self.seed}:{day.isoformat()}")
        plan = DayPlan(day)
        weekday = WEEKDAY_FACTOR[day.weekday()]
        mean = BASE_ORDERS_PER_DAY * self.scale * weekday * peak_factor(day)
        count = max(0, round(rng.gauss(mean, math.sqrt(mean) + mean * 0.05)))
        stamp = (day - date(2020, 1, 1)).days
        for n in range(count):
            order = self._order(rng, day, f"7{stamp:05d}{n:06d}{rng.randrange(10_000):04d}")
            if order is None:
                continue
            plan.orders.append(order)
            self._after_order(rng, plan, order, f"h{stamp:05d}o{n:05d}")
        for n in range(round(count * PRESALE_CHATS)):
            at = _local(day, *self._hour_minute(rng))
            if self.start <= at <= self.end:
                plan.conversations.append(self._presale_chat(rng, f"h{stamp:05d}p{n:05d}", at))
        return plan

    def _hour_minute(self, rng: random.Random) -> tuple[int, int]:
        return rng.choices(HOURS, cum_weights=HOURS_CUMULATIVE)[0], rng.randrange(60)

    def _order(self, rng: random.Random, day: date, order_no: str) -> PlannedOrder | None:
        placed = _local(day, *self._hour_minute(rng)) + timedelta(seconds=rng.randrange(60))
        if not self.start <= placed <= self.end:
            return None
        item = rng.choices(self.items, cum_weights=self._items_cumulative)[0]
        quantity = 1 if rng.random() < 0.85 else rng.choice((2, 2, 3))
        unit = item.price
        if peak_factor(day) > 1.3 and rng.random() < 0.7:  # festival prices
            unit = (item.price * Decimal("0.85")).quantize(Decimal("0.01"))
        goods = unit * quantity
        customer = rng.randrange(len(self.customers))
        province, city, district = self.customers[customer]
        fee = load_policy().shipping.fee(goods, province)
        carrier = rng.choices(self._carriers, cum_weights=self._carriers_cumulative)[0]
        ship_hours = rng.uniform(3, 30) * (2.2 if peak_factor(day) > 2 else 1.0)
        shipped = placed + timedelta(hours=ship_hours)
        transit = CARRIERS[carrier][1] + (1.0 if province in FAR else 0.0) + busy_carriers(shipped)
        for slow in self.shape.slow:
            if (
                slow.carrier == carrier
                and slow.province == province
                and (slow.start <= shipped < slow.end)
            ):
                transit += slow.extra_days * rng.uniform(0.6, 1.4)
        transit *= rng.lognormvariate(0, 0.25)
        delivered = shipped + timedelta(days=transit)
        return PlannedOrder(
            order_no=order_no,
            customer=customer,
            item=item,
            sku=rng.choice(item.skus),
            quantity=quantity,
            unit_price=unit,
            total=goods + fee,
            shipping_fee=fee,
            payment=rng.choice(("支付宝", "支付宝", "微信支付", "微信支付", "银行卡")),
            province=province,
            city=city,
            district=district,
            carrier=carrier,
            placed_at=placed,
            shipped_at=shipped if shipped <= self.end else None,
            delivered_at=delivered if delivered <= self.end else None,
            promised_by=shipped + timedelta(days=3),
        )

    # --- what follows an order --------------------------------------------------------------

    def _after_order(
        self, rng: random.Random, plan: DayPlan, order: PlannedOrder, chat_id: str
    ) -> None:
        problem = self._parcel_problem(rng, order)
        if problem is not None or rng.random() < CHAT_RATE:
            conversation = self._order_chat(rng, chat_id, order, problem)
            if conversation is not None:
                plan.conversations.append(conversation)
        if order.delivered_at is not None and rng.random() < REVIEW_RATE:
            review = self._review(rng, order, problem, f"H{order.order_no}")
            if review is not None:
                plan.reviews.append(review)

    def _parcel_problem(self, rng: random.Random, order: PlannedOrder) -> str | None:
        """The parcel case this order gets, if any (a shopper who reported it in the chat)."""
        if order.delivered_at is None:
            return None
        if order.late_days > 1 and rng.random() < min(0.6, 0.2 + 0.1 * order.late_days):
            return "delayed"
        draw = rng.random()
        busy = 1.0 + busy_carriers(order.shipped_at or order.placed_at)
        for kind, chance in (("damaged", 0.006), ("lost", 0.002), ("wrong_item", 0.003)):
            if draw < chance * busy:
                return kind
            draw -= chance * busy
        return "missing_item" if draw < 0.002 else None

    def _review(
        self, rng: random.Random, order: PlannedOrder, problem: str | None, key: str
    ) -> PlannedReview | None:
        assert order.delivered_at is not None
        at = order.delivered_at + timedelta(hours=rng.uniform(3, 24 * 9))
        if at + IMPORT_DELAY + FIRST_HANDLING > self.end:  # not yet imported and handled
            return None
        subs = self._complaints(rng, order, problem, at)
        category = order.item.category
        platform = rng.choice(PLATFORMS)
        if not subs:
            if rng.random() < 0.05:
                text, rating = texts.neutral_review(rng, category), 3
            else:
                text, rating = texts.good_review(rng, category), 5 if rng.random() < 0.85 else 4
            score = rng.uniform(0.01, 0.3)
            return PlannedReview(key, platform, order, at, rating, text, False, score)
        angry = rng.random() < 0.12
        clauses = [texts.negative_clause(rng, s, category) for s in subs]
        causes = list(dict.fromkeys(s.split(".")[0] for s in subs))
        severity, reasons = "medium", []
        if angry:
            severity, reasons = "high", ["complaint_threat"]
        elif len(subs) > 1:
            severity = "high"
        elif rng.random() < 0.35:
            severity = "low"
        review = PlannedReview(
            key,
            platform,
            order,
            at,
            1 if rng.random() < 0.7 else 2,
            texts.negative_review(clauses, angry, rng),
            True,
            rng.uniform(0.7, 0.99),
            causes,
            subs,
            severity,
            reasons,
            {**{c: clauses[subs.index(next(s for s in subs if s.startswith(c)))] for c in causes}},
        )
        self._handle(rng, review)
        return review

    def _complaints(
        self, rng: random.Random, order: PlannedOrder, problem: str | None, at: datetime
    ) -> list[str]:
        """The sub-causes a review of this order complains of (none: a good review)."""
        found: list[str] = []
        if problem == "delayed" or (order.late_days > 1 and rng.random() < 0.2):
            if rng.random() < 0.5:
                found.append("logistics.slow")
        elif problem is not None and rng.random() < 0.7:
            found.append(
                {
                    "damaged": "logistics.damaged_in_transit",
                    "lost": "logistics.lost",
                    "wrong_item": "logistics.wrong_or_missing_item",
                    "missing_item": "logistics.wrong_or_missing_item",
                }[problem]
            )
        for episode in self.shape.quality:
            if episode.product == order.item.code and rng.random() < episode.intensity(at):
                found.append(episode.sub_cause)
        for sub, chance in CATEGORY_PROBLEMS.get(order.item.category, []):
            if rng.random() < chance:
                found.append(sub)
        draw = rng.random()
        for sub, chance in (
            ("logistics.courier", 0.004),
            ("service.attitude", 0.004),
            ("service.slow_reply", 0.003),
            ("service.after_sales", 0.003),
            ("price.not_worth", 0.003),
            ("price.price_drop", 0.012 if peak_factor(at.date()) > 1.2 else 0.002),
        ):
            if draw < chance:
                found.append(sub)
                break
            draw -= chance
        return list(dict.fromkeys(found))[:2]

    def _handle(self, rng: random.Random, review: PlannedReview) -> None:
        """What the shop did about a negative review: alerts, offer, reply, contact."""
        for channel in CHANNELS:
            delay = review.received_at + timedelta(seconds=rng.uniform(2, 25))
            down = any(
                o.channel == channel and o.start <= delay < o.end for o in self.shape.outages
            )
            review.alerts.append((channel, delay, not down and rng.random() > 0.01))
        order = review.order
        context = OfferContext(
            causes=tuple(review.causes),
            sub_causes=tuple(review.sub_causes),
            severity=SeverityLevel(review.severity),
            order_value=order.total,
            repeat_buyer=rng.random() < 0.2,
            customer_month_spent=Decimal(0),
            price_difference=Decimal("15.00") if "price.price_drop" in review.sub_causes else None,
        )
        offer = draft_offer(context)
        drafted = review.received_at + timedelta(seconds=rng.uniform(5, 60))
        if offer is not None:
            planned = PlannedOffer(offer, drafted)
            decider = SUPERVISOR if offer.needs_approval else rng.choice(AGENTS)
            decided = _in_hours(drafted, rng, 8 if offer.needs_approval else 4)
            if rng.random() < (0.12 if offer.needs_approval else 0.06):
                planned.decisions.append(Decision("rejected", decider, decided))
            else:
                planned.decisions.append(Decision("approved", decider, decided))
                answer = decided + timedelta(hours=rng.uniform(1, 40))
                draw = rng.random()
                if draw < 0.72:
                    planned.decisions.append(Decision("accepted", None, answer))
                elif draw < 0.88:
                    planned.decisions.append(Decision("declined", None, answer))
            planned.decisions = [d for d in planned.decisions if d.at <= self.end]
            review.offer = planned
        if rng.random() < 0.92:
            state = "approved" if rng.random() < 0.93 else "rejected"
            at = _in_hours(drafted, rng, 20)
            if at <= self.end:
                review.reply = Decision(state, rng.choice(AGENTS), at)
        if rng.random() < 0.6:
            at = _in_hours(drafted, rng, 10)
            if at <= self.end:
                review.contacted = Decision("contacted", rng.choice(AGENTS), at)

    # --- chats ------------------------------------------------------------------------------

    def _presale_chat(self, rng: random.Random, cid: str, at: datetime) -> PlannedConversation:
        topic = rng.choice(("faq", "faq", "ask_product_info", "ask_size_advice", "ask_stock"))
        conversation = PlannedConversation(cid, None, at)
        self._bot_exchange(rng, conversation, topic, at)
        return self._maybe_handoff(rng, conversation, 0.1)

    def _bot_exchange(
        self, rng: random.Random, conversation: PlannedConversation, topic: str, at: datetime
    ) -> datetime:
        ask, answer = rng.choice(texts.BOT_TOPICS[topic])
        lines = [Line(at, "shopper", ask)]
        at += timedelta(seconds=rng.uniform(1, 3))
        lines.append(Line(at, "bot", answer))
        if rng.random() < 0.6:
            at += timedelta(seconds=rng.uniform(10, 90))
            lines.append(Line(at, "shopper", rng.choice(texts.SHOPPER_THANKS)))
            at += timedelta(seconds=rng.uniform(1, 3))
            lines.append(Line(at, "bot", texts.BOT_GOODBYE))
        conversation.lines += [line for line in lines if line.at <= self.end]
        return at

    def _order_chat(
        self, rng: random.Random, cid: str, order: PlannedOrder, problem: str | None
    ) -> PlannedConversation | None:
        if problem is not None:
            assert order.delivered_at is not None
            late = order.promised_by if problem == "delayed" else order.delivered_at
            at = late + timedelta(hours=rng.uniform(1, 20))
        else:
            at = order.placed_at + timedelta(hours=rng.uniform(0.5, 60))
        if at > self.end:
            return None
        conversation = PlannedConversation(cid, order, at)
        if problem is None:
            topic = rng.choice(("track_order", "track_order", "faq"))
            self._bot_exchange(rng, conversation, topic, at)
            return self._maybe_handoff(rng, conversation, 0.12)
        detail = texts.CASE_DETAIL[problem]
        conversation.lines.append(Line(at, "shopper", detail))
        opened = at + timedelta(seconds=rng.uniform(30, 120))
        if opened > self.end:  # the shopper has just written; the case is not open yet
            return conversation
        answer = "已为您登记，我们会在承诺时间内给您答复。"
        conversation.lines.append(Line(opened, "bot", answer))
        resolved_at = opened + timedelta(hours=rng.uniform(4, 96))
        by = None if problem == "delayed" else rng.choice(AGENTS)
        conversation.case = PlannedCase(
            problem, opened, resolved_at if resolved_at <= self.end else None, by, detail
        )
        reason = "remedy_approval" if problem in ("damaged", "lost") else "case_overdue"
        chance = 0.35 if problem in ("damaged", "lost") else 0.1
        return self._maybe_handoff(rng, conversation, chance, reason)

    def _maybe_handoff(
        self,
        rng: random.Random,
        conversation: PlannedConversation,
        chance: float,
        reason: str | None = None,
    ) -> PlannedConversation:
        last = conversation.lines[-1].at
        if rng.random() >= chance:
            self._resolve(conversation, last + timedelta(minutes=30), "bot", None)
            return conversation
        if reason is None:
            reason = _weighted(
                rng,
                {"shopper_asked": 50, "complaint": 18, "bot_did_not_understand": 20,
                 "needs_agent": 12},
            )  # fmt: skip
        at = last + timedelta(seconds=rng.uniform(20, 120))
        ask = rng.choice(texts.HANDOFF_LINES[reason])
        if at + timedelta(seconds=1) > self.end:  # not yet asked, or not yet answered
            return conversation
        conversation.lines.append(Line(at, "shopper", ask))
        conversation.lines.append(Line(at + timedelta(seconds=1), "bot", texts.BOT_HANDOFF))
        conversation.handoff = (at, reason, ask)
        busy = 1.0 + 2 * busy_carriers(at) + (1.5 if peak_factor(at.date()) > 2 else 0)
        taken = _agent_time(at, rng, busy)
        if taken > self.end:
            return conversation
        agent = rng.choice(AGENTS)
        conversation.taken = (taken, agent)
        reply = taken + timedelta(seconds=rng.uniform(15, 90))
        lines = [
            Line(reply, "agent", rng.choice(texts.AGENT_OPENING).format(agent=agent), agent),
        ]
        reply += timedelta(seconds=rng.uniform(30, 240))
        lines.append(Line(reply, "shopper", rng.choice(texts.SHOPPER_AFTER)))
        reply += timedelta(seconds=rng.uniform(60, 900))
        lines.append(Line(reply, "agent", rng.choice(texts.AGENT_ANSWERS), agent))
        reply += timedelta(seconds=rng.uniform(20, 120))
        lines.append(Line(reply, "agent", texts.AGENT_CLOSING, agent))
        conversation.lines += [line for line in lines if line.at <= self.end]
        if reply > self.end:
            return conversation
        draw = rng.random()
        if draw < 0.78:
            self._resolve(conversation, reply + timedelta(seconds=rng.uniform(30, 300)), "agent",
                          agent)  # fmt: skip
        elif draw < 0.93:
            back = reply + timedelta(seconds=rng.uniform(30, 300))
            if back <= self.end:
                conversation.handed_back = back
                self._resolve(conversation, back + timedelta(minutes=30), "system", None)
        else:
            self._resolve(conversation, reply + timedelta(hours=2), "system", None)
        return conversation

    def _resolve(
        self, conversation: PlannedConversation, at: datetime, actor: str, agent: str | None
    ) -> None:
        if at <= self.end:
            conversation.resolved = (at, actor, agent)
