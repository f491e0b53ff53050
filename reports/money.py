"""What negative reviews cost and how their alerts went: compensation by remedy against the
budget, and alerts sent and failed by channel."""

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from core.events import Event, EventName
from reports.model import UNKNOWN, Chart, Column, Kind, ReportFilter, Table, rate
from reports.sql import by_product, count_if, in_range
from reviews.offers import load_compensation_policy

N = EventName
OFFER_EVENTS = (N.REVIEW_OFFER_DRAFTED, N.REVIEW_OFFER_APPROVED, N.REVIEW_OFFER_ACCEPTED)


def remedy_of(event: Any = Event) -> ColumnElement[str]:
    """An offer event's remedy: its payload's, else that of the review's latest offer drafted
    up to it (the decisions on an offer name it in their payload only since reports exist)."""
    drafted = aliased(Event)
    latest_draft = (
        select(drafted.payload["remedy"].as_string())
        .where(
            drafted.subject_id == event.subject_id,
            drafted.name == N.REVIEW_OFFER_DRAFTED,
            drafted.id <= event.id,
        )
        .order_by(drafted.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(event.payload["remedy"].as_string(), latest_draft)


def compensation(session: Session, f: ReportFilter) -> Table:
    """Per remedy: offers drafted, approved, accepted, and the money the accepted ones spend;
    the total against the budget (the policy's daily shop budget × the range's days)."""
    remedy = remedy_of().label("remedy")
    accepted = Event.name == N.REVIEW_OFFER_ACCEPTED
    query = (
        select(
            remedy,
            count_if(Event.name == N.REVIEW_OFFER_DRAFTED),
            count_if(Event.name == N.REVIEW_OFFER_APPROVED),
            count_if(accepted),
            func.coalesce(func.sum(_if(accepted, Event.value)), 0),
        )
        .where(Event.name.in_(OFFER_EVENTS), in_range(f), *by_product(f))
        .group_by(remedy)
    )
    rows = []
    for code, offers, approved, taken, spent in session.execute(query):
        rows.append(
            {
                "remedy": code,
                "offers": int(offers or 0),
                "approved": int(approved or 0),
                "accepted": int(taken or 0),
                "acceptance_rate": rate(int(taken or 0), int(offers or 0)),
                "spent": Decimal(spent or 0).quantize(Decimal("0.01")),
                "drill": {"remedy": code or UNKNOWN},
            }
        )
    rows.sort(key=lambda r: (-r["spent"], -r["offers"], r["remedy"] or ""))
    days = (f.end - f.start).days + 1
    budget = load_compensation_policy().caps.shop_day * days
    totals: dict[str, Any] = {
        key: sum(r[key] for r in rows) for key in ("offers", "approved", "accepted")
    }
    totals["spent"] = sum((r["spent"] for r in rows), Decimal("0.00"))
    totals["acceptance_rate"] = rate(totals["accepted"], totals["offers"])
    totals["budget"] = budget.quantize(Decimal("0.01"))
    totals["budget_used"] = rate(float(totals["spent"]), float(budget))
    return Table(
        "compensation",
        f,
        (
            Column("remedy", Kind.TEXT, "OfferRemedy"),
            Column("offers", Kind.COUNT),
            Column("approved", Kind.COUNT),
            Column("accepted", Kind.COUNT),
            Column("acceptance_rate", Kind.RATE),
            Column("spent", Kind.YUAN),
        ),
        rows,
        Chart("pie", "remedy", ("spent",)),
        totals,
    )


def _if(condition: ColumnElement[bool], value: Any) -> Any:
    """CASE WHEN condition THEN value END."""
    return case((condition, value))


def alerts(session: Session, f: ReportFilter) -> Table:
    """Per channel kind: 中差评 alerts sent, and failed (dead-lettered and never delivered: one an
    admin revived that then got through counts as sent only), the failure rate, and the mean
    seconds from the review's arrival to the delivery."""
    sent = Event.name == N.ALERT_SENT
    later = aliased(Event)
    delivered_later = (
        select(later.id)
        .where(
            later.name == N.ALERT_SENT,
            later.subject_id == Event.subject_id,
            later.cause == Event.cause,
        )
        .exists()
    )
    query = (
        select(
            Event.cause,
            count_if(sent),
            count_if(and_(Event.name == N.ALERT_FAILED, ~delivered_later)),
            func.avg(_if(sent, Event.value)),
        )
        .where(Event.name.in_((N.ALERT_SENT, N.ALERT_FAILED)), in_range(f), *by_product(f))
        .group_by(Event.cause)
    )
    rows = []
    for channel, delivered, failed, mean in session.execute(query):
        rows.append(
            {
                "channel": channel,
                "sent": int(delivered or 0),
                "failed": int(failed or 0),
                "failure_rate": rate(int(failed or 0), int(delivered or 0) + int(failed or 0)),
                "mean_delay": None if mean is None else round(float(mean), 1),
                "drill": {"channel": channel or UNKNOWN},
            }
        )
    rows.sort(key=lambda r: r["channel"] or "")
    totals: dict[str, Any] = {key: sum(r[key] for r in rows) for key in ("sent", "failed")}
    totals["failure_rate"] = rate(totals["failed"], totals["sent"] + totals["failed"])
    return Table(
        "alerts",
        f,
        (
            Column("channel", Kind.TEXT, "ChannelKind"),
            Column("sent", Kind.COUNT),
            Column("failed", Kind.COUNT),
            Column("failure_rate", Kind.RATE),
            Column("mean_delay", Kind.SECONDS),
        ),
        rows,
        Chart("bar", "channel", ("sent", "failed")),
        totals,
    )
