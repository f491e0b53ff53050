"""Complaints, read from the typed events: which events are complaints, about what, of which key.

- `review.flagged_negative`: one complaint per (cause, sub-cause) the analysis found: each
  sub-cause, and each cause found without a sub-cause as the coarse cause (a review with no
  recognisable cause counts as the event's cause, `product`). Product complaints need the
  review's product; logistics ones take the carrier and province of the review's order when the
  shop knows the order. `price` and `other` have no queue.
- `case.opened` (a parcel case opened in the chat): its kind as a logistics sub-cause, the
  event's carrier, the province of the order's address.
- `fresh_claim.opened`: `product.not_fresh` for the order's fresh products.
- `after_sale.opened` of a quality return (`problem: quality_defect`, shop.aftersales: a defect
  that showed in use, the chat's quality complaint): `product.poor_quality`.
- `conversation.handed_off` because the shopper complained: the coarse `service` cause.

An order's complaint about "the product" is counted for the product its words name when the
order holds several (else for each of them). Chat complaints name a product by its catalogue
code; a review names it as the platform export does.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from conversations.models import Escalation, EscalationReason
from core.events import Event, EventName
from recurring.models import EXCERPT_LENGTH, ComplaintSource, Queue
from reviews.causes import ReviewCause, ReviewSubCause
from reviews.models import Review, ReviewAnalysis
from shop.aftersales import order_products
from shop.models import AfterSale, CaseKind, LogisticsCase, Order, Product
from shop.problems import ProblemKind, is_fresh
from shop.product_names import named_among
from shop.regions import province

log = logging.getLogger(__name__)

# The events a complaint can come from (the consumer reads only these).
COMPLAINT_EVENTS = frozenset(
    {
        EventName.REVIEW_FLAGGED_NEGATIVE,
        EventName.CASE_OPENED,
        EventName.FRESH_CLAIM_OPENED,
        EventName.AFTER_SALE_OPENED,
        EventName.CONVERSATION_HANDED_OFF,
    }
)
CASE_SUB_CAUSE = {
    CaseKind.DELAYED: ReviewSubCause.LOGISTICS_SLOW,
    CaseKind.LOST: ReviewSubCause.LOGISTICS_LOST,
    CaseKind.DAMAGED: ReviewSubCause.LOGISTICS_DAMAGED_IN_TRANSIT,
    CaseKind.WRONG_ITEM: ReviewSubCause.LOGISTICS_WRONG_OR_MISSING_ITEM,
    CaseKind.MISSING_ITEM: ReviewSubCause.LOGISTICS_WRONG_OR_MISSING_ITEM,
}
CAUSES = frozenset(c.value for c in ReviewCause)
QUEUE_OF_CAUSE = {
    ReviewCause.PRODUCT: Queue.PRODUCT,
    ReviewCause.LOGISTICS: Queue.LOGISTICS,
    ReviewCause.SERVICE: Queue.SERVICE,
}


@dataclass(frozen=True)
class IssueKey:
    """What makes complaints the same issue: product queue (cause, product), logistics (cause,
    carrier, region), service (cause). `cause` is a sub-cause (`logistics.slow`) or a coarse
    cause (`service`)."""

    queue: Queue
    cause: str
    product_id: str | None = None
    carrier: str | None = None
    region: str | None = None

    @property
    def text(self) -> str:
        """The key as one string (stored, compared and unique among open items)."""
        parts = {
            Queue.PRODUCT: (self.cause, self.product_id),
            Queue.LOGISTICS: (self.cause, self.carrier, self.region),
            Queue.SERVICE: (self.cause,),
        }[self.queue]
        return "|".join([self.queue.value, *(p or "" for p in parts)])


@dataclass(frozen=True)
class Complaint:
    """One complaint of one key, with where it came from and what it said."""

    key: IssueKey
    source: ComplaintSource
    source_id: str
    occurred_at: datetime  # the complaint's own time (a review's date, else the event's)
    excerpt: str  # the evidence: the review's clause, the shopper's words, or the case kind
    event_id: int
    conversation_id: str | None = None
    order_no: str | None = None


def _excerpt(*texts: str | None) -> str:
    text = next((t.strip() for t in texts if t and t.strip()), "")
    return text[:EXCERPT_LENGTH]


class _Facts:
    """What the complaints need from the other packages' tables, read once per batch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._orders: dict[str, Order | None] = {}

    def order(self, order_no: str | None) -> Order | None:
        if not order_no:
            return None
        if order_no not in self._orders:
            self._orders[order_no] = self.session.scalar(
                select(Order).where(Order.order_no == order_no)
            )
        return self._orders[order_no]

    def where(self, order: Order | None) -> tuple[str | None, str | None]:
        """(carrier, province) of an order: its latest parcel's carrier, its address."""
        if order is None:
            return None, None
        shipment = order.latest_shipment
        return (shipment.carrier if shipment else None), province(order.shipping_address)

    def analysis(self, review_id: int) -> ReviewAnalysis | None:
        return self.session.scalar(
            select(ReviewAnalysis)
            .where(ReviewAnalysis.review_id == review_id)
            .order_by(ReviewAnalysis.id.desc())
            .limit(1)
        )


def _review_labels(event: Event) -> list[tuple[ReviewCause, str]]:
    """(cause, key cause) for each complaint of a flagged review: its sub-causes, and its causes
    found without one (the event's cause when it found none)."""
    payload = event.payload or {}
    causes = [str(c) for c in payload.get("causes") or []] or [str(event.cause or "")]
    subs = [str(s) for s in payload.get("sub_causes") or []]
    labels: list[tuple[ReviewCause, str]] = []
    for cause in dict.fromkeys(causes):
        if cause not in CAUSES:
            continue
        mine = [s for s in dict.fromkeys(subs) if s.split(".", 1)[0] == cause]
        labels += [(ReviewCause(cause), s) for s in mine] or [(ReviewCause(cause), cause)]
    return labels


def _from_review(facts: _Facts, event: Event) -> list[Complaint]:
    review = facts.session.get(Review, int(event.subject_id))
    analysis = facts.analysis(review.id) if review else None
    evidence = analysis.evidence if analysis else {}
    product_id = event.product_id or (review.product_id if review else None)
    order = facts.order(review.order_id if review else None)
    carrier, region = facts.where(order)
    at = (review.created_at if review else None) or event.occurred_at
    found = []
    for cause, label in _review_labels(event):
        queue = QUEUE_OF_CAUSE.get(cause)
        if queue is None or (queue == Queue.PRODUCT and not product_id):
            continue  # price and other have no queue; a product complaint needs its product
        key = {
            Queue.PRODUCT: IssueKey(queue, label, product_id=product_id),
            Queue.LOGISTICS: IssueKey(queue, label, carrier=carrier, region=region),
            Queue.SERVICE: IssueKey(queue, label),
        }[queue]
        excerpt = _excerpt(
            evidence.get(label), evidence.get(cause), review.text if review else None
        )
        found.append(
            Complaint(
                key,
                ComplaintSource.REVIEW,
                event.subject_id,
                at,
                excerpt,
                event.id,
                order_no=order.order_no if order else None,
            )
        )
    return found


def _from_case(facts: _Facts, event: Event) -> list[Complaint]:
    try:
        kind = CaseKind(event.cause or "")
    except ValueError:
        return []
    case = facts.session.get(LogisticsCase, int(event.subject_id))
    order = facts.order(event.order_no)
    region = facts.where(order)[1]
    key = IssueKey(Queue.LOGISTICS, CASE_SUB_CAUSE[kind], carrier=event.carrier, region=region)
    excerpt = _excerpt(case.detail if case else None, kind.value)
    return [
        Complaint(
            key,
            ComplaintSource.CASE,
            event.subject_id,
            event.occurred_at,
            excerpt,
            event.id,
            conversation_id=event.conversation_id,
            order_no=event.order_no,
        )
    ]


def products_meant(products: Sequence[Product], words: str) -> list[Product]:
    """The products a complaint about an order is about: the only one, or the one its words
    name (code, name or a keyword; the longest match wins); all of them when none is named."""
    named = named_among(products, words) if len(products) > 1 else None
    return [named] if named is not None else list(products)


def _about_products(
    event: Event, order: Order | None, products: Iterable[Product], cause: str, words: str
) -> list[Complaint]:
    if order is None:
        return []
    return [
        Complaint(
            IssueKey(Queue.PRODUCT, cause, product_id=product.code),
            ComplaintSource.ORDER,
            order.order_no,
            event.occurred_at,
            _excerpt(words, cause),
            event.id,
            conversation_id=event.conversation_id,
            order_no=order.order_no,
        )
        for product in products_meant(list(products), words)
    ]


def _from_fresh_claim(facts: _Facts, event: Event) -> list[Complaint]:
    order = facts.order(event.order_no)
    if order is None:
        return []
    claim_id = (event.payload or {}).get("after_sale_id")
    claim = facts.session.get(AfterSale, int(claim_id)) if claim_id else None
    everything = order_products(order)
    fresh = [p for p in everything if is_fresh(p)] or everything
    cause = ReviewSubCause.PRODUCT_NOT_FRESH
    return _about_products(event, order, fresh, cause, claim.reason if claim else "")


def _from_after_sale(facts: _Facts, event: Event) -> list[Complaint]:
    payload = event.payload or {}
    if payload.get("problem") != ProblemKind.QUALITY_DEFECT:
        return []  # a return for no reason, an exchange: not a complaint
    order = facts.order(event.order_no)
    products = order_products(order) if order else []
    cause = ReviewSubCause.PRODUCT_POOR_QUALITY
    return _about_products(event, order, products, cause, str(payload.get("reason") or ""))


def _from_handoff(facts: _Facts, event: Event) -> list[Complaint]:
    if event.cause != EscalationReason.COMPLAINT:
        return []
    escalation_id = (event.payload or {}).get("escalation_id")
    escalation = facts.session.get(Escalation, int(escalation_id)) if escalation_id else None
    conversation = event.conversation_id or event.subject_id
    return [
        Complaint(
            IssueKey(Queue.SERVICE, ReviewCause.SERVICE),
            ComplaintSource.CONVERSATION,
            conversation,
            event.occurred_at,
            _excerpt(escalation.detail if escalation else None, EscalationReason.COMPLAINT),
            event.id,
            conversation_id=conversation,
            order_no=event.order_no,
        )
    ]


_READERS = {
    EventName.REVIEW_FLAGGED_NEGATIVE: _from_review,
    EventName.CASE_OPENED: _from_case,
    EventName.FRESH_CLAIM_OPENED: _from_fresh_claim,
    EventName.AFTER_SALE_OPENED: _from_after_sale,
    EventName.CONVERSATION_HANDED_OFF: _from_handoff,
}


def complaints_of(session: Session, events: Sequence[Event]) -> list[Complaint]:
    """The complaints in these events, in the events' order (events that are none: nothing)."""
    facts = _Facts(session)
    found: list[Complaint] = []
    for event in events:
        reader = _READERS.get(EventName(event.name))
        if reader is None:
            continue
        try:
            found += reader(facts, event)
        except (ValueError, TypeError) as exc:  # a malformed old event must not stop the queue
            log.warning("event %s (%s) skipped: %s", event.id, event.name, exc)
    return found
