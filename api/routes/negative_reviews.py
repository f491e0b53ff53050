"""The agents' work on negative reviews: the worklist, one review with everything known about
it, and each step (edit, approve or reject the drafts; contact; the customer's answer; a
revision). A thin adapter over reviews.handling; every route needs a desk role (agent or
supervisor), and approving an offer above the policy's threshold a supervisor."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Path, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from accounts.models import Area
from api.deps import DbSession, DeskStaff, RecordsStaff
from api.fields import Id, PlainText
from api.routes.outbox import OutboxItemOut, item_out
from api.routing import ApiRoute, errors
from core.clock import utcnow
from core.outbox import OutboxItem, Topic, with_log
from reviews import handling
from reviews.drafting import CheckedText, violation_json
from reviews.handling import ContactChannel, Handled, HandlingError, Refusal
from reviews.models import (
    MESSAGE_MAX,
    REPLY_MAX,
    Review,
    ReviewAnalysis,
    ReviewContact,
    ReviewOffer,
    ReviewReply,
)
from reviews.offers import Why
from reviews.reply_check import mask_personal_data
from reviews.severity import LEVELS
from words.offers import offer_summary, why_text
from words.render import refusal_text, severity_reason

router = APIRouter(
    prefix="/api/negative-reviews",
    tags=["negative reviews"],
    route_class=ApiRoute,
    responses=errors(403, 404, 409),
)

Number = Annotated[Id, Path(description="the review's #number")]
NOT_FOUND = (Refusal.NO_REVIEW, Refusal.NOT_NEGATIVE, Refusal.NO_REPLY, Refusal.NO_OFFER)


def _status(refusal: Refusal) -> int:
    if refusal in NOT_FOUND:
        return status.HTTP_404_NOT_FOUND
    if refusal is Refusal.NEEDS_SUPERVISOR:
        return status.HTTP_403_FORBIDDEN
    if refusal is Refusal.BAD_TEXT:
        return status.HTTP_422_UNPROCESSABLE_CONTENT
    return status.HTTP_409_CONFLICT  # the state, the checker's findings, the budget


@contextmanager
def _refusals(session: Session) -> Iterator[None]:
    """The step, flushed: a refusal becomes its HTTP status with the reason in words; a step
    that lost a race with another agent (a stale version, a step drafted twice) is a 409."""
    try:
        yield
        session.flush()
    except HandlingError as exc:
        if exc.keep:  # a redraft the agent must see: kept although the step is refused
            session.commit()
        raise HTTPException(_status(exc.refusal), refusal_text(exc.refusal, exc.detail)) from exc
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, refusal_text("changed_meanwhile")) from exc


class OfferOut(BaseModel):
    step: int
    last_step: bool
    rule: str
    remedy: str
    summary: str
    coupon: float
    refund: float | None
    needs_approval: bool
    why: list[str]
    message: str
    message_violations: list[dict[str, Any]]
    state: str
    decided_by: str | None
    decided_at: datetime | None


class ReplyOut(BaseModel):
    text: str
    violations: list[dict[str, Any]]
    state: str
    edited_by: str | None
    decided_by: str | None
    decided_at: datetime | None


class ContactOut(BaseModel):
    agent: str
    channel: str
    note: str | None
    contacted_at: datetime


class WorkItemOut(BaseModel):
    number: int
    platform: str
    product_id: str | None
    product_name: str | None
    rating: int | None
    text: str
    severity: str
    causes: list[str]
    sub_causes: list[str]
    received_at: datetime
    waiting_s: float = Field(description="since the review arrived, until the first contact")
    contacted: bool
    offer: str | None = Field(description="the current offer, one line")
    offer_state: str | None
    reply_state: str | None


class NegativeReviewOut(WorkItemOut):
    follow_up_text: str | None
    order_id: str | None
    severity_reasons: list[str]
    severity_reasons_text: list[str] = Field(description="the reasons as agents read them")
    evidence: dict[str, str] = Field(description="each cause's clause of the review's text")
    offers: list[OfferOut] = Field(description="every step of the ladder so far, first first")
    reply: ReplyOut | None
    contacts: list[ContactOut]
    alerts: list[OutboxItemOut]


def _summary(row: ReviewOffer) -> str:
    return offer_summary(row.remedy, row.coupon, row.refund, row.needs_approval)


def _offer_out(row: ReviewOffer) -> OfferOut:
    return OfferOut(
        step=row.step,
        last_step=row.last_step,
        rule=row.rule,
        remedy=row.remedy.value,
        summary=_summary(row),
        coupon=float(row.coupon),
        refund=None if row.refund is None else float(row.refund),
        needs_approval=row.needs_approval,
        why=[why_text(Why.from_json(w)) for w in row.why],
        message=row.message,
        message_violations=row.message_violations,
        state=row.state.value,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def _work_item(
    review: Review,
    analysis: ReviewAnalysis,
    offer: ReviewOffer | None,
    reply: ReviewReply | None,
    first_contact: datetime | None,
) -> dict[str, Any]:
    until = first_contact or utcnow()
    return {
        "number": review.id,
        "platform": review.platform,
        "product_id": review.product_id,
        "product_name": review.product_name,
        "rating": review.rating,
        "text": review.text,
        "severity": analysis.severity,
        "causes": analysis.causes,
        "sub_causes": analysis.sub_causes,
        "received_at": review.imported_at,
        "waiting_s": max((until - review.imported_at).total_seconds(), 0.0),
        "contacted": first_contact is not None,
        "offer": _summary(offer) if offer else None,
        "offer_state": offer.state.value if offer else None,
        "reply_state": reply.state.value if reply else None,
    }


def _worklist_query(waiting_only: bool, severity: str | None) -> Select[Review, ReviewAnalysis]:
    latest = (
        select(func.max(ReviewAnalysis.id))
        .where(ReviewAnalysis.review_id == Review.id)
        .correlate(Review)
        .scalar_subquery()
    )
    query = (
        select(Review, ReviewAnalysis)
        .join(ReviewAnalysis, ReviewAnalysis.id == latest)
        .where(ReviewAnalysis.negative.is_(True))
    )
    if severity:
        query = query.where(ReviewAnalysis.severity == severity)
    if waiting_only:
        contacted = exists().where(ReviewContact.review_id == Review.id)
        query = query.where(~contacted)
    most_severe_first = case(
        {level: -rank for rank, level in enumerate(LEVELS)},
        value=ReviewAnalysis.severity,
        else_=1,
    )
    return query.order_by(most_severe_first, Review.imported_at, Review.id)


@router.get("", response_model=list[WorkItemOut])
def worklist(
    session: DbSession,
    _staff: DeskStaff,
    waiting: Annotated[bool, Query(description="only those no one has contacted yet")] = True,
    severity: Annotated[Literal["low", "medium", "high", "critical"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Negative reviews, most severe first, then longest waiting."""
    rows = session.execute(_worklist_query(waiting, severity).limit(limit)).all()
    ids = [review.id for review, _ in rows]
    offers = _current_offers(session, ids)
    replies = {
        r.review_id: r
        for r in session.scalars(select(ReviewReply).where(ReviewReply.review_id.in_(ids)))
    }
    contacts = dict(
        session.execute(
            select(ReviewContact.review_id, func.min(ReviewContact.contacted_at))
            .where(ReviewContact.review_id.in_(ids))
            .group_by(ReviewContact.review_id)
        ).all()
    )
    return [
        _work_item(
            review, analysis, offers.get(review.id), replies.get(review.id), contacts.get(review.id)
        )
        for review, analysis in rows
    ]


def _current_offers(session: Session, ids: list[int]) -> dict[int, ReviewOffer]:
    current: dict[int, ReviewOffer] = {}
    for offer in session.scalars(
        select(ReviewOffer).where(ReviewOffer.review_id.in_(ids)).order_by(ReviewOffer.step)
    ):
        current[offer.review_id] = offer
    return current


def _detail(session: Session, case: Handled) -> NegativeReviewOut:
    alerts = session.scalars(
        select(OutboxItem)
        .options(with_log())
        .where(OutboxItem.topic == Topic.REVIEW_ALERT, OutboxItem.subject_id == str(case.review.id))
        .order_by(OutboxItem.id)
    )
    first_contact = case.contacts[0].contacted_at if case.contacts else None
    item = _work_item(case.review, case.analysis, case.offer, case.reply, first_contact)
    return NegativeReviewOut(
        **item,
        follow_up_text=case.review.follow_up_text,
        order_id=case.review.order_id,
        severity_reasons=case.analysis.severity_reasons,
        severity_reasons_text=[severity_reason(r) for r in case.analysis.severity_reasons],
        evidence=case.analysis.evidence,
        offers=[_offer_out(o) for o in case.offers],
        reply=ReplyOut.model_validate(case.reply, from_attributes=True) if case.reply else None,
        contacts=[ContactOut.model_validate(c, from_attributes=True) for c in case.contacts],
        alerts=[item_out(a) for a in alerts],
    )


@router.get("/{number}", response_model=NegativeReviewOut)
def negative_review(session: DbSession, staff: RecordsStaff, number: Number) -> NegativeReviewOut:
    """One negative review: the analysis, where its alerts went, the drafts, the contacts (for a
    reader outside the desk, a manager's drill-down, personal data in the texts masked)."""
    with _refusals(session):
        found = _detail(session, handling.handled(session, number))
    if staff.can(Area.DESK):
        return found
    mask = mask_personal_data
    return found.model_copy(
        update={
            "text": mask(found.text),
            "follow_up_text": found.follow_up_text and mask(found.follow_up_text),
            "evidence": {cause: mask(clause) for cause, clause in found.evidence.items()},
            "offers": [o.model_copy(update={"message": mask(o.message)}) for o in found.offers],
            "contacts": [
                c.model_copy(update={"note": c.note and mask(c.note)}) for c in found.contacts
            ],
        }
    )


class TextIn(BaseModel):
    text: PlainText = Field(min_length=1, max_length=REPLY_MAX)


class CheckedOut(BaseModel):
    text: str
    violations: list[dict[str, Any]] = Field(description="empty: the checker found nothing")


def _checked(checked: CheckedText) -> CheckedOut:
    return CheckedOut(text=checked.text, violations=[violation_json(v) for v in checked.violations])


@router.put("/{number}/reply", response_model=CheckedOut)
def edit_reply(session: DbSession, staff: DeskStaff, number: Number, body: TextIn) -> CheckedOut:
    """Replace the public reply's text; the checker's findings come back (and are stored)."""
    with _refusals(session):
        return _checked(handling.edit_reply(session, number, body.text, staff.name))


@router.post("/{number}/reply/{decision}", response_model=ReplyOut)
def decide_reply(
    session: DbSession,
    staff: DeskStaff,
    number: Number,
    decision: Literal["approve", "reject"],
) -> ReviewReply:
    """Approve (only a reply the checker passes: it may then be published) or reject."""
    with _refusals(session):
        return handling.decide_reply(session, number, decision == "approve", staff.name)


class MessageIn(BaseModel):
    text: PlainText = Field(min_length=1, max_length=MESSAGE_MAX)


@router.put("/{number}/offer/message", response_model=CheckedOut)
def edit_offer_message(
    session: DbSession, staff: DeskStaff, number: Number, body: MessageIn
) -> CheckedOut:
    """Replace the private message that puts the offer to the customer (checked)."""
    with _refusals(session):
        return _checked(handling.edit_offer_message(session, number, body.text, staff.name))


class AnswerIn(BaseModel):
    accepted: bool = Field(description="the customer took the offer (false: declined)")


class AnswerOut(BaseModel):
    answered: OfferOut
    next_offer: OfferOut | None = Field(description="after a decline, the ladder's next step")


@router.post("/{number}/offer/answer", response_model=AnswerOut)
def answer_offer(session: DbSession, staff: DeskStaff, number: Number, body: AnswerIn) -> AnswerOut:
    """The customer's answer to the approved offer; a decline drafts the next step."""
    with _refusals(session):
        answered = handling.handled(session, number).offer
        following = handling.answer_offer(session, number, body.accepted, staff.name)
    assert answered is not None  # answer_offer refused a review without one
    next_offer = None if body.accepted or following is None else _offer_out(following)
    return AnswerOut(answered=_offer_out(answered), next_offer=next_offer)


# after /offer/answer: a path parameter would take "answer" for a decision
@router.post("/{number}/offer/{decision}", response_model=OfferOut)
def decide_offer(
    session: DbSession,
    staff: DeskStaff,
    number: Number,
    decision: Literal["approve", "reject"],
) -> OfferOut:
    """Approve or reject the drafted offer (above the threshold: a supervisor only)."""
    supervisor = staff.can(Area.SUPERVISE)
    with _refusals(session):
        offer = handling.decide_offer(
            session, number, decision == "approve", staff.name, supervisor
        )
    return _offer_out(offer)


class ContactIn(BaseModel):
    channel: ContactChannel = ContactChannel.CHAT
    note: PlainText | None = Field(None, max_length=500)


@router.post("/{number}/contacts", response_model=ContactOut, status_code=201)
def record_contact(
    session: DbSession, staff: DeskStaff, number: Number, body: ContactIn
) -> ReviewContact:
    """The agent contacted the customer (the first contact stops the waiting clock)."""
    with _refusals(session):
        contact = handling.record_contact(session, number, staff.name, body.channel, body.note)
    session.flush()
    return contact


class RevisionIn(BaseModel):
    rating: int | None = Field(None, ge=1, le=5, description="the new rating, if known")


@router.post("/{number}/revision", status_code=204)
def record_revision(
    session: DbSession,
    staff: DeskStaff,
    number: Number,
    body: Annotated[RevisionIn, Body()],
) -> None:
    """The customer revised the review of their own accord (never asked to)."""
    with _refusals(session):
        handling.record_revision(session, number, staff.name, body.rating)
