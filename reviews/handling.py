"""What is done about a negative review: its offer and reply drafts, and every agent's step.

Drafts are written in the transaction that stores the review (reviews.service), one offer (the
ladder's first step for its severity) and one reply. Agents then edit, approve or reject them,
record contacts, the customer's answer to an offer (a decline drafts the next step) and whether
the review was revised. Every step is a typed event. Nothing here knows HTTP; a refused step
raises a `HandlingError` that says why.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import SHOP_TZ, utcnow
from core.database import one_at_a_time
from core.events import Actor, EventName, record_event
from reviews.causes import ReviewCause
from reviews.drafting import (
    CheckedText,
    checked_message,
    checked_reply,
    draft_reply,
    violation_json,
)
from reviews.models import (
    MESSAGE_MAX,
    REPLY_MAX,
    OfferState,
    ReplyState,
    Review,
    ReviewAnalysis,
    ReviewContact,
    ReviewOffer,
    ReviewReply,
)
from reviews.offers import Offer, OfferContext, OfferRemedy, draft_offer, load_compensation_policy
from reviews.replies import reply_facts, reply_label
from reviews.severity import SeverityLevel
from shop.models import Order, Product
from shop.price_protection import price_protection_check
from words.offers import offer_message

COUNTED = (OfferState.APPROVED, OfferState.ACCEPTED)  # offers whose money is committed


class ContactChannel(StrEnum):
    CHAT = "chat"
    PHONE = "phone"
    SMS = "sms"
    PLATFORM = "platform"  # the platform's own messages to the buyer


class Refusal(StrEnum):
    """Why a step was refused (words/agent.yaml `refusals` says it to the agent)."""

    NO_REVIEW = "no_review"
    NOT_NEGATIVE = "not_negative"
    NO_REPLY = "no_reply"
    NO_OFFER = "no_offer"
    OFFER_STATE = "offer_state"  # detail: the offer's state
    REPLY_DECIDED = "reply_decided"  # approved or rejected already
    NEEDS_SUPERVISOR = "needs_supervisor"
    REPLY_VIOLATIONS = "reply_violations"  # the checker found something: fix it first
    MESSAGE_VIOLATIONS = "message_violations"
    BAD_TEXT = "bad_text"  # empty or over the limit; detail: the limit
    REFUND_UNKNOWN = "refund_unknown"  # a refund of unknown size cannot be approved
    BUDGET_CHANGED = "budget_changed"  # the caps cut the offer since it was drafted: redrafted


class HandlingError(ValueError):
    """A refused step. `keep`: what the step changed is still to be committed (a redraft)."""

    def __init__(self, refusal: Refusal, detail: str | int | None = None, keep: bool = False):
        super().__init__(f"{refusal.value}: {detail}" if detail is not None else refusal.value)
        self.refusal, self.detail, self.keep = refusal, detail, keep


@dataclass(frozen=True)
class OrderFacts:
    order: Order
    repeat_buyer: bool  # the customer has other orders

    @property
    def order_no(self) -> str:
        return self.order.order_no

    @property
    def customer_id(self) -> int:
        return self.order.customer_id

    @property
    def product_name(self) -> str | None:
        items = self.order.items
        return items[0].variant.product.name if items else None


def order_facts(session: Session, order_no: str | None) -> OrderFacts | None:
    if not order_no:
        return None
    order = session.scalars(select(Order).where(Order.order_no == order_no)).first()
    if order is None:
        return None
    orders = session.scalar(
        select(func.count()).select_from(Order).where(Order.customer_id == order.customer_id)
    )
    return OrderFacts(order, (orders or 0) > 1)


def catalogue_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """The catalogue's names of the products with these codes (the ones it has)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    found = session.execute(select(Product.code, Product.name).where(Product.code.in_(wanted)))
    return dict(found.all())


def product_name(
    session: Session,
    review: Review,
    order: OrderFacts | None,
    catalogue: dict[str, str] | None = None,
) -> str | None:
    """The product as the next buyer knows it: the catalogue's name, else the platform's
    (`catalogue`: the names of the batch's products, when the caller read them already)."""
    if catalogue is None:
        catalogue = catalogue_names(session, [review.product_id])
    named = catalogue.get(review.product_id or "")
    return named or review.product_name or (order.product_name if order else None)


def _spent(session: Session, *conditions: Any) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(ReviewOffer.compensation), 0)).where(
            ReviewOffer.state.in_(COUNTED), *conditions
        )
    )
    return Decimal(total or 0)


def _start_of_shop_day(now: datetime) -> datetime:
    local = now.astimezone(SHOP_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def shop_day_spent(session: Session) -> Decimal:
    """Compensation approved or accepted since midnight, shop time."""
    return _spent(session, ReviewOffer.decided_at >= _start_of_shop_day(utcnow()))


def offer_context(
    session: Session,
    review: Review,
    analysis: ReviewAnalysis,
    declined: int = 0,
    shop_day: Decimal | None = None,
) -> tuple[OfferContext, OrderFacts | None]:
    """What the offer depends on: the analysis, the order, the customer's history, the budget
    (`shop_day`: the day's spending, when the caller knows it)."""
    policy = load_compensation_policy()
    now = utcnow()
    order = order_facts(session, review.order_id)
    shop_day = shop_day_spent(session) if shop_day is None else shop_day
    customer_month = recent = order_spent = None
    difference = None
    if order is not None:
        month_start = _start_of_shop_day(now).replace(day=1)
        by_customer = ReviewOffer.customer_id == order.customer_id
        customer_month = _spent(session, by_customer, ReviewOffer.decided_at >= month_start)
        since = now - timedelta(days=policy.recent_compensation_days)
        recent = _spent(session, by_customer, ReviewOffer.decided_at >= since)
        order_spent = _spent(session, ReviewOffer.order_no == order.order_no)
        if "price.price_drop" in analysis.sub_causes:
            difference = price_protection_check(session, order.order, now).refund
    context = OfferContext(
        causes=tuple(analysis.causes),
        sub_causes=tuple(analysis.sub_causes),
        severity=SeverityLevel(analysis.severity),
        order_value=order.order.total_amount if order else None,
        repeat_buyer=bool(order and order.repeat_buyer)
        or any(r.startswith("repeat_buyer") for r in analysis.severity_reasons),
        declined=declined,
        recently_compensated=recent or Decimal(0),
        order_spent=order_spent or Decimal(0),
        customer_month_spent=customer_month,
        shop_day_spent=shop_day,
        price_difference=difference,
    )
    return context, order


def _why_json(offer: Offer) -> list[dict[str, Any]]:
    return [why.as_json() for why in offer.why]


def _cause(analysis: ReviewAnalysis) -> ReviewCause:
    return ReviewCause(analysis.causes[0]) if analysis.causes else ReviewCause.PRODUCT


def _offer_row(
    review: Review, offer: Offer, order: OrderFacts | None, message: CheckedText
) -> ReviewOffer:
    return ReviewOffer(
        review_id=review.id,
        order_no=order.order_no if order else None,
        customer_id=order.customer_id if order else None,
        rule=offer.rule,
        step=offer.step,
        last_step=offer.last_step,
        remedy=offer.remedy,
        coupon=offer.coupon,
        refund=offer.refund,
        compensation=offer.compensation,
        needs_approval=offer.needs_approval,
        why=_why_json(offer),
        message=message.text[:MESSAGE_MAX],
        message_violations=[violation_json(v) for v in message.violations],
        state=OfferState.DRAFTED,
    )


def _draft_offer_row(
    session: Session,
    review: Review,
    analysis: ReviewAnalysis,
    declined: int,
    shop_day: Decimal | None = None,
    catalogue: dict[str, str] | None = None,
) -> tuple[ReviewOffer | None, str | None]:
    """The offer at this step of the ladder (None: every step declined), and the product's
    name."""
    context, order = offer_context(session, review, analysis, declined, shop_day)
    product = product_name(session, review, order, catalogue)
    offer = draft_offer(context)
    if offer is None:
        return None, product
    message = checked_message(offer_message(offer, product))
    row = _offer_row(review, offer, order, message)
    session.add(row)
    record_event(
        session,
        EventName.REVIEW_OFFER_DRAFTED,
        review.id,
        order_no=row.order_no,
        product_id=review.product_id,
        cause=_cause(analysis),
        actor=Actor.SYSTEM,
        value=offer.amount,
        payload={"rule": offer.rule, "step": offer.step, "remedy": offer.remedy.value},
    )
    return row, product


def draft_for(session: Session, stored: Iterable[tuple[Review, ReviewAnalysis]]) -> None:
    """The first offer and the reply for each negative review just stored (drafts spend
    nothing, so the day's spending is read once)."""
    negative = [(r, a) for r, a in stored if a.negative]
    if not negative:
        return
    shop_day = shop_day_spent(session)
    catalogue = catalogue_names(session, (r.product_id for r, _ in negative))
    counted = select(ReviewReply.problem, func.count()).group_by(ReviewReply.problem)
    similar = Counter(dict(session.execute(counted).all()))  # replies to one problem are
    # numbered, so that they vary
    with session.no_autoflush:  # the rows go in together at the end, not one flush a review
        for review, analysis in negative:
            problem = reply_label(analysis.causes, analysis.sub_causes)
            similar[problem] += 1
            _draft_both(session, review, analysis, shop_day, catalogue, similar[problem])


def _draft_both(
    session: Session,
    review: Review,
    analysis: ReviewAnalysis,
    shop_day: Decimal,
    catalogue: dict[str, str],
    number: int,
) -> None:
    """The offer and the reply of one negative review (the `number`th reply to its problem)."""
    offer, product = _draft_offer_row(session, review, analysis, 0, shop_day, catalogue)
    facts = reply_facts(
        analysis.causes,
        analysis.sub_causes,
        analysis.evidence,
        product,
        offer is not None,
        number,
    )
    reply = draft_reply(facts, review.platform)
    session.add(
        ReviewReply(
            review_id=review.id,
            problem=facts.label,
            text=reply.text[:REPLY_MAX],
            violations=[violation_json(v) for v in reply.violations],
            state=ReplyState.DRAFTED,
        )
    )
    record_event(
        session,
        EventName.REVIEW_REPLY_DRAFTED,
        review.id,
        product_id=review.product_id,
        cause=_cause(analysis),
        actor=Actor.SYSTEM,
        payload={"violations": len(reply.violations)},
    )


# --- the agents' steps -------------------------------------------------------------------


@dataclass(frozen=True)
class Handled:
    """A negative review with what is being done about it."""

    review: Review
    analysis: ReviewAnalysis
    offers: list[ReviewOffer]  # every step so far, first first
    reply: ReviewReply | None
    contacts: list[ReviewContact]

    @property
    def offer(self) -> ReviewOffer | None:
        """The current step."""
        return self.offers[-1] if self.offers else None


def handled(session: Session, review_id: int) -> Handled:
    review = session.get(Review, review_id)
    if review is None:
        raise HandlingError(Refusal.NO_REVIEW)
    analysis = review.analyses[-1] if review.analyses else None
    if analysis is None or not analysis.negative:
        raise HandlingError(Refusal.NOT_NEGATIVE)
    offers = list(
        session.scalars(
            select(ReviewOffer).where(ReviewOffer.review_id == review_id).order_by(ReviewOffer.step)
        )
    )
    reply = session.scalars(select(ReviewReply).where(ReviewReply.review_id == review_id)).first()
    if reply is None and not offers:  # stored before drafting existed: drafted when first opened
        draft_for(session, [(review, analysis)])
        session.flush()
        return handled(session, review_id)
    contacts = list(
        session.scalars(
            select(ReviewContact)
            .where(ReviewContact.review_id == review_id)
            .order_by(ReviewContact.id)
        )
    )
    return Handled(review, analysis, offers, reply, contacts)


def _agent_event(
    session: Session, name: EventName, case: Handled, agent: str, **extra: Any
) -> None:
    record_event(
        session,
        name,
        case.review.id,
        order_no=case.offer.order_no if case.offer else None,
        product_id=case.review.product_id,
        cause=_cause(case.analysis),
        actor=Actor.AGENT,
        agent=agent,
        **extra,
    )


def _reply(case: Handled) -> ReviewReply:
    if case.reply is None:
        raise HandlingError(Refusal.NO_REPLY)
    return case.reply


def _offer(case: Handled, *states: OfferState) -> ReviewOffer:
    offer = case.offer
    if offer is None:
        raise HandlingError(Refusal.NO_OFFER)
    if states and offer.state not in states:
        raise HandlingError(Refusal.OFFER_STATE, offer.state.value)
    return offer


def _text(text: str, limit: int) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise HandlingError(Refusal.BAD_TEXT, limit)
    return text


def edit_reply(session: Session, review_id: int, text: str, agent: str) -> CheckedText:
    """Replace the reply's text; the checker runs again and the reply waits for approval."""
    case = handled(session, review_id)
    reply = _reply(case)
    if reply.state != ReplyState.DRAFTED:
        raise HandlingError(Refusal.REPLY_DECIDED)
    text = _text(text, REPLY_MAX)
    checked = checked_reply(text, case.review.platform)
    reply.text = text
    reply.violations = [violation_json(v) for v in checked.violations]
    reply.edited_by, reply.updated_at = agent, utcnow()
    _agent_event(
        session,
        EventName.REVIEW_REPLY_EDITED,
        case,
        agent,
        payload={"violations": len(checked.violations)},
    )
    return checked


def decide_reply(session: Session, review_id: int, approve: bool, agent: str) -> ReviewReply:
    """Approve (only a reply the checker passes) or reject the reply."""
    case = handled(session, review_id)
    reply = _reply(case)
    if reply.state != ReplyState.DRAFTED:
        raise HandlingError(Refusal.REPLY_DECIDED)
    if approve and reply.violations:
        raise HandlingError(Refusal.REPLY_VIOLATIONS)
    reply.state = ReplyState.APPROVED if approve else ReplyState.REJECTED
    reply.decided_by, reply.decided_at = agent, utcnow()
    name = EventName.REVIEW_REPLY_APPROVED if approve else EventName.REVIEW_REPLY_REJECTED
    _agent_event(session, name, case, agent)
    return reply


def edit_offer_message(session: Session, review_id: int, text: str, agent: str) -> CheckedText:
    """Replace the message that puts the offer to the customer (checked like any agent text);
    an approved offer goes back to be approved again."""
    case = handled(session, review_id)
    offer = _offer(case, OfferState.DRAFTED, OfferState.APPROVED)
    text = _text(text, MESSAGE_MAX)
    checked = checked_message(text)
    offer.message = text
    offer.message_violations = [violation_json(v) for v in checked.violations]
    offer.state, offer.decided_by, offer.decided_at = OfferState.DRAFTED, None, None
    _agent_event(
        session,
        EventName.REVIEW_OFFER_EDITED,
        case,
        agent,
        payload={"violations": len(checked.violations)},
    )
    return checked


def _same(row: ReviewOffer, offer: Offer) -> bool:
    return (row.remedy, row.coupon, row.refund, row.needs_approval) == (
        offer.remedy,
        offer.coupon,
        offer.refund,
        offer.needs_approval,
    )


def decide_offer(
    session: Session, review_id: int, approve: bool, agent: str, supervisor: bool
) -> ReviewOffer:
    """Approve or reject the drafted offer; one that needs approval needs a supervisor.

    Approving commits the shop's money, so it is done one at a time and the offer is drafted
    again against what was approved since (drafts spend nothing, so two drafts may each have
    seen the whole budget): when the caps now cut it, the new draft is kept and the approval
    refused, so the approver sees what they approve."""
    case = handled(session, review_id)
    row = _offer(case, OfferState.DRAFTED)
    if approve:
        one_at_a_time(session, "review_compensation")
        fresh, product = _redraft(session, case)
        if fresh is None or not _same(row, fresh):
            _apply(row, fresh, product)
            raise HandlingError(Refusal.BUDGET_CHANGED, keep=True)
        if row.needs_approval and not supervisor:
            raise HandlingError(Refusal.NEEDS_SUPERVISOR)
        if row.message_violations:
            raise HandlingError(Refusal.MESSAGE_VIOLATIONS)
        if row.remedy in (OfferRemedy.REFUND, OfferRemedy.PARTIAL_REFUND) and row.refund is None:
            raise HandlingError(Refusal.REFUND_UNKNOWN)
    row.state = OfferState.APPROVED if approve else OfferState.REJECTED
    row.decided_by, row.decided_at = agent, utcnow()
    name = EventName.REVIEW_OFFER_APPROVED if approve else EventName.REVIEW_OFFER_REJECTED
    _agent_event(session, name, case, agent, value=row.amount, payload={"remedy": row.remedy.value})
    return row


def _redraft(session: Session, case: Handled) -> tuple[Offer | None, str | None]:
    """The current step drafted again against today's history and budget."""
    declined = sum(o.state == OfferState.DECLINED for o in case.offers)
    context, order = offer_context(session, case.review, case.analysis, declined)
    return draft_offer(context), product_name(session, case.review, order)


def _apply(row: ReviewOffer, offer: Offer | None, product: str | None) -> None:
    """The stored draft replaced by a new one (no step left: rejected, a person decides)."""
    if offer is None:
        row.state = OfferState.REJECTED
        return
    message = checked_message(offer_message(offer, product))
    row.remedy, row.coupon, row.refund = offer.remedy, offer.coupon, offer.refund
    row.compensation, row.needs_approval = offer.compensation, offer.needs_approval
    row.why = _why_json(offer)
    row.message = message.text[:MESSAGE_MAX]
    row.message_violations = [violation_json(v) for v in message.violations]


def record_contact(
    session: Session, review_id: int, agent: str, channel: ContactChannel, note: str | None
) -> ReviewContact:
    """An agent contacted the customer; the first contact's delay is the event's value."""
    case = handled(session, review_id)
    channel = ContactChannel(channel)  # a word that is not a channel: ValueError
    contact = ReviewContact(review_id=review_id, agent=agent, channel=channel, note=note)
    session.add(contact)
    arrived = case.review.imported_at
    value = None if case.contacts else (utcnow() - arrived).total_seconds()
    _agent_event(
        session,
        EventName.REVIEW_CUSTOMER_CONTACTED,
        case,
        agent,
        value=value,
        payload={"channel": channel},
    )
    return contact


def answer_offer(
    session: Session, review_id: int, accepted: bool, agent: str
) -> ReviewOffer | None:
    """The customer's answer to the approved offer. A decline drafts the ladder's next step
    (returned; None when every step was declined: a supervisor takes it from there)."""
    case = handled(session, review_id)
    offer = _offer(case, OfferState.APPROVED)
    offer.state = OfferState.ACCEPTED if accepted else OfferState.DECLINED
    name = EventName.REVIEW_OFFER_ACCEPTED if accepted else EventName.REVIEW_OFFER_DECLINED
    _agent_event(
        session, name, case, agent, value=offer.amount, payload={"remedy": offer.remedy.value}
    )
    if accepted:
        return offer
    session.flush()
    declined = sum(o.state == OfferState.DECLINED for o in case.offers)
    return _draft_offer_row(session, case.review, case.analysis, declined)[0]


def record_revision(session: Session, review_id: int, agent: str, rating: int | None) -> None:
    """The customer revised the review of their own accord (never asked: see the checker)."""
    case = handled(session, review_id)
    _agent_event(
        session,
        EventName.REVIEW_REVISED,
        case,
        agent,
        payload={"rating": rating, "was": case.review.rating},
    )
