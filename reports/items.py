"""The reviews, conversations, cases and queue items behind a report's number (drill-down).

Which events make a report's items is said once per report (SOURCES); the filter's drill keys
narrow them to one row's. Each item's text is untrusted and may hold personal data: `excerpt`
masks what the reply checker finds (phones, names, addresses, order numbers …) before cutting.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from conversations.models import Message, Sender
from core.database import UTCDateTime
from core.events import Event, EventName, Subject
from recurring.models import RecurringIssue
from reports.model import ReportFilter
from reports.money import remedy_of
from reports.sql import by_product, drill_week, in_range, same
from reports.volume import COMPLAINT_HANDOFF, LOGISTICS_NEGATIVE, product_names
from reviews.models import Review, ReviewAnalysis
from reviews.reply_check import mask_personal_data
from shop.models import LogisticsCase

N = EventName
EXCERPT_CHARS = 120
MAX_LIMIT = 200

SOURCES: dict[str, ColumnElement[bool]] = {  # the events that make each report's items
    "complaints": or_(
        Event.name.in_((N.REVIEW_FLAGGED_NEGATIVE, N.CASE_OPENED)), COMPLAINT_HANDOFF
    ),
    "causes": Event.name == N.REVIEW_FLAGGED_NEGATIVE,
    "products": Event.name == N.REVIEW_FLAGGED_NEGATIVE,
    "logistics": or_(LOGISTICS_NEGATIVE, Event.name == N.CASE_OPENED),
    "recurring": Event.name == N.QUEUE_ITEM_OPENED,
    "response": Event.name == N.CONVERSATION_HANDED_OFF,
    "bot": Event.name == N.CONVERSATION_STARTED,
    "compensation": Event.name == N.REVIEW_OFFER_DRAFTED,
    "alerts": Event.name.in_((N.ALERT_SENT, N.ALERT_FAILED)),
}
WITHOUT_PRODUCT = {"response", "bot"}  # conversations name no product: the filter is not theirs
COLUMN_DRILLS = {
    "cause": Event.cause,
    "sub_cause": Event.sub_cause,
    "product_id": Event.product_id,
    "sku": Event.sku,
    "carrier": Event.carrier,
    "region": Event.region,
    "channel": Event.cause,
}


@dataclass(frozen=True)
class Item:
    """One thing behind a number, with the facts its title is made of."""

    kind: Subject
    id: str
    at: datetime
    link: str | None
    text: str  # untrusted: shown only through `excerpt`
    product: str | None = None
    rating: int | None = None
    cause: str | None = None  # a review's first (sub-)cause, a handoff's reason, a case kind
    carrier: str | None = None

    @property
    def excerpt(self) -> str:
        return excerpt(self.text)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The text with personal data masked, cut to `limit` characters."""
    text = " ".join(mask_personal_data(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def conditions(name: str, f: ReportFilter) -> list[ColumnElement[bool]]:
    """The events behind report `name`'s numbers, narrowed to the filter and its drill."""
    found: list[ColumnElement[bool]] = [SOURCES[name]]
    if not (name == "recurring" and "queue_item" in f.drill):  # an item opened before it too
        found.append(in_range(f))
    if name not in WITHOUT_PRODUCT:
        found += by_product(f)
    found += drill_week(f)
    for key, value in f.drill.items():
        if key in COLUMN_DRILLS:
            found.append(same(COLUMN_DRILLS[key], value))
        elif key == "remedy":
            found.append(same(remedy_of(), value))
        elif key == "queue_item":
            found.append(Event.subject_id == value)
    return found


def items(
    session: Session, name: str, f: ReportFilter, limit: int = 50, offset: int = 0
) -> tuple[list[Item], int]:
    """The items behind report `name`'s number (newest first), and how many there are."""
    at = type_coerce(func.min(Event.occurred_at), UTCDateTime).label("at")
    grouped = (
        select(
            Event.subject_type,
            Event.subject_id,
            at,
            func.max(Event.conversation_id).label("conversation_id"),
            func.max(Event.cause).label("cause"),
            func.max(Event.sub_cause).label("sub_cause"),
            func.max(Event.product_id).label("product_id"),
        )
        .where(and_(*conditions(name, f)))
        .group_by(Event.subject_type, Event.subject_id)
    )
    total = session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    page = session.execute(
        grouped.order_by(at.desc(), Event.subject_id.desc())
        .limit(min(limit, MAX_LIMIT))
        .offset(offset)
    ).all()
    return _described(session, page), int(total)


def _described(session: Session, page: Sequence[Any]) -> list[Item]:
    by_kind: dict[str, list[str]] = {}
    for row in page:
        by_kind.setdefault(row.subject_type, []).append(row.subject_id)
    reviews = _reviews(session, by_kind.get(Subject.REVIEW, []))
    conversations = _first_messages(
        session,
        [
            r.subject_id if r.subject_type == Subject.CONVERSATION else r.conversation_id
            for r in page
        ],
    )
    cases = _by_id(session, LogisticsCase, by_kind.get(Subject.CASE, []))
    queue_items = _by_id(session, RecurringIssue, by_kind.get(Subject.QUEUE_ITEM, []))
    names = product_names(session, (r.product_id for r in page))
    found = []
    for row in page:
        kind, subject, moment = Subject(row.subject_type), row.subject_id, _aware(row.at)
        if kind == Subject.REVIEW:
            review, product, cause = reviews.get(subject, (None, None, None))
            product = product or names.get(row.product_id or "", row.product_id)
            cause = cause or row.sub_cause or row.cause
            found.append(
                Item(
                    kind,
                    subject,
                    moment,
                    f"/desk/reviews/{quote(subject)}",
                    _review_text(review),
                    product=product,
                    rating=review.rating if review else None,
                    cause=cause,
                )
            )
        elif kind == Subject.CONVERSATION:
            found.append(
                Item(
                    kind,
                    subject,
                    moment,
                    f"/desk/conversations/{quote(subject, safe='')}",
                    conversations.get(subject, ""),
                    cause=row.cause,
                )
            )
        elif kind == Subject.CASE:
            case = cases.get(subject)
            cid = row.conversation_id
            found.append(
                Item(
                    kind,
                    subject,
                    moment,
                    f"/desk/conversations/{quote(cid, safe='')}" if cid else None,
                    (case.detail if case else None) or conversations.get(cid or "", ""),
                    cause=row.cause,
                    carrier=case.carrier if case else None,
                )
            )
        else:
            issue = queue_items.get(subject)
            found.append(
                Item(
                    kind,
                    subject,
                    moment,
                    "/desk/queues",
                    "",
                    product=names.get(row.product_id or "", row.product_id),
                    cause=issue.cause if issue else None,
                    carrier=issue.carrier if issue else None,
                )
            )
    return found


def _review_text(review: Review | None) -> str:
    if review is None:
        return ""
    if review.follow_up_text:
        return f"{review.text}（追评）{review.follow_up_text}"
    return review.text


def _reviews(session: Session, ids: list[str]) -> dict[str, tuple[Review, str | None, str | None]]:
    """review id → (the review, its product's name, its first sub-cause or cause)."""
    numbers = [int(i) for i in ids if i.isdigit()]
    if not numbers:
        return {}
    reviews = list(session.scalars(select(Review).where(Review.id.in_(numbers))))
    latest = (
        select(ReviewAnalysis.review_id, func.max(ReviewAnalysis.id))
        .where(ReviewAnalysis.review_id.in_(numbers))
        .group_by(ReviewAnalysis.review_id)
    )
    analysis_ids = [a for _, a in session.execute(latest)]
    analyses = {
        a.review_id: a
        for a in session.scalars(select(ReviewAnalysis).where(ReviewAnalysis.id.in_(analysis_ids)))
    }
    names = product_names(session, (r.product_id for r in reviews))
    found = {}
    for review in reviews:
        analysis = analyses.get(review.id)
        cause = None
        if analysis is not None:
            cause = next(iter(analysis.sub_causes or analysis.causes or []), None)
        product = names.get(review.product_id or "") or review.product_name
        found[str(review.id)] = (review, product, cause)
    return found


def _first_messages(session: Session, conversation_ids: list[str | None]) -> dict[str, str]:
    """conversation id → the shopper's first message."""
    wanted = {c for c in conversation_ids if c}
    if not wanted:
        return {}
    first = (
        select(func.min(Message.id))
        .where(Message.conversation_id.in_(wanted), Message.sender == Sender.SHOPPER)
        .group_by(Message.conversation_id)
    )
    rows = session.execute(
        select(Message.conversation_id, Message.text).where(Message.id.in_(first.scalar_subquery()))
    )
    return dict(rows.all())


def _by_id(session: Session, model: Any, ids: list[str]) -> dict[str, Any]:
    numbers = [int(i) for i in ids if i.isdigit()]
    if not numbers:
        return {}
    return {str(row.id): row for row in session.scalars(select(model).where(model.id.in_(numbers)))}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
