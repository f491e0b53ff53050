"""How many complaints, and where they come from: by week, by cause, by product and SKU, by
carrier and region.

A complaint is a negative review (`review.flagged_negative`), a conversation handed to a person
because the shopper complained (`conversation.handed_off`, cause `complaint`) or a logistics case
opened (`case.opened`). Conversations and cases name no product: under a product or category
filter their columns are None (not applicable), not 0.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from conversations.models import EscalationReason
from core.events import Event, EventName
from reports.model import UNKNOWN, Chart, Column, Kind, ReportFilter, Table, rate
from reports.sql import by_product, count_if, in_range, week_bucket, weeks
from reviews.causes import ReviewCause
from shop.models import CaseKind, Product

N = EventName
MAX_ROWS = 500  # products × SKUs, carriers × regions: the biggest first
PRODUCT_CAUSES = (ReviewCause.PRODUCT.value, ReviewCause.PRICE.value)
COMPLAINT_HANDOFF = and_(
    Event.name == N.CONVERSATION_HANDED_OFF, Event.cause == EscalationReason.COMPLAINT.value
)


def _sum(values: Iterable[int | None]) -> int | None:
    """A total of counts, None when none applies."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def complaints(session: Session, f: ReportFilter) -> Table:
    """Per week: reviews, negative reviews and their rate, complaint conversations, cases."""
    number = week_bucket(session, Event.occurred_at, f).label("bucket")
    counted = [N.REVIEW_RECEIVED, N.REVIEW_FLAGGED_NEGATIVE]
    if not f.by_product:
        counted.append(N.CASE_OPENED)
    # name and moment only: PostgreSQL counts from the (name, occurred_at) index alone
    per_name = (
        select(number, Event.name, func.count())
        .where(Event.name.in_(counted), in_range(f), *by_product(f))
        .group_by(number, Event.name)
    )
    counts: dict[tuple[int, str], int] = {(n, name): c for n, name, c in session.execute(per_name)}
    if not f.by_product:
        handoffs = select(number, func.count()).where(COMPLAINT_HANDOFF, in_range(f))
        for n, c in session.execute(handoffs.group_by(number)):
            counts[n, N.CONVERSATION_HANDED_OFF] = c
    found = {
        n: tuple(
            counts.get((n, name), 0)
            for name in (
                N.REVIEW_RECEIVED,
                N.REVIEW_FLAGGED_NEGATIVE,
                N.CONVERSATION_HANDED_OFF,
                N.CASE_OPENED,
            )
        )
        for n, _ in counts
    }
    rows = []
    for n, monday in enumerate(weeks(f)):
        reviews, negatives, conversations, cases = (int(v or 0) for v in found.get(n, (0,) * 4))
        row: dict[str, Any] = {
            "week": monday,
            "reviews": reviews,
            "negatives": negatives,
            "negative_rate": rate(negatives, reviews),
            "complaint_conversations": None if f.by_product else conversations,
            "cases": None if f.by_product else cases,
        }
        row["complaints"] = _sum([negatives, row["complaint_conversations"], row["cases"]])
        row["drill"] = {"week": monday.isoformat()}
        rows.append(row)
    totals = _totals(rows, ("reviews", "negatives", "complaint_conversations", "cases"))
    totals["complaints"] = _sum(r["complaints"] for r in rows)
    totals["negative_rate"] = rate(totals["negatives"], totals["reviews"])
    return Table(
        "complaints",
        f,
        (
            Column("week", Kind.WEEK),
            Column("complaints", Kind.COUNT),
            Column("reviews", Kind.COUNT),
            Column("negatives", Kind.COUNT),
            Column("negative_rate", Kind.RATE),
            Column("complaint_conversations", Kind.COUNT),
            Column("cases", Kind.COUNT),
        ),
        rows,
        Chart("line", "week", ("complaints", "negatives")),
        totals,
    )


def _totals(rows: list[dict[str, Any]], keys: Iterable[str]) -> dict[str, Any]:
    return {key: _sum(r[key] for r in rows) for key in keys}


def causes(session: Session, f: ReportFilter) -> Table:
    """Negative reviews by cause and sub-cause (the first found), with each one's share."""
    query = (
        select(Event.cause, Event.sub_cause, func.count())
        .where(Event.name == N.REVIEW_FLAGGED_NEGATIVE, in_range(f), *by_product(f))
        .group_by(Event.cause, Event.sub_cause)
    )
    found = sorted(session.execute(query).all(), key=lambda r: (-r[2], r[0] or "", r[1] or ""))
    total = sum(r[2] for r in found)
    rows = [
        {
            "cause": cause,
            "sub_cause": sub_cause,
            "negatives": count,
            "share": rate(count, total),
            "drill": {"cause": cause or UNKNOWN, "sub_cause": sub_cause or UNKNOWN},
        }
        for cause, sub_cause, count in found
    ]
    return Table(
        "causes",
        f,
        (
            Column("cause", Kind.TEXT, "ReviewCause"),
            Column("sub_cause", Kind.TEXT, "ReviewSubCause"),
            Column("negatives", Kind.COUNT),
            Column("share", Kind.RATE),
        ),
        rows,
        Chart("bar", "sub_cause", ("negatives",)),
        {"negatives": total, "share": 1.0 if total else None},
    )


def product_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """The catalogue's names of these product codes (reference data)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    found = session.execute(select(Product.code, Product.name).where(Product.code.in_(wanted)))
    return dict(found.all())


def products(session: Session, f: ReportFilter) -> Table:
    """Per product and SKU: reviews, negative ones, their rate, and those blaming the product
    (cause product or price)."""
    received = count_if(Event.name == N.REVIEW_RECEIVED)
    negative = count_if(Event.name == N.REVIEW_FLAGGED_NEGATIVE)
    blamed = count_if(Event.name == N.REVIEW_FLAGGED_NEGATIVE, Event.cause.in_(PRODUCT_CAUSES))
    query = (
        select(Event.product_id, Event.sku, received, negative, blamed)
        .where(
            Event.name.in_((N.REVIEW_RECEIVED, N.REVIEW_FLAGGED_NEGATIVE)),
            in_range(f),
            *by_product(f),
        )
        .group_by(Event.product_id, Event.sku)
    )
    found = sorted(
        session.execute(query).all(),
        key=lambda r: (-r[3], -r[2], r[0] or "", r[1] or ""),
    )
    names = product_names(session, (r[0] for r in found[:MAX_ROWS]))
    rows = [
        {
            "product": names.get(product_id or "", product_id),
            "product_id": product_id,
            "sku": sku,
            "reviews": reviews,
            "negatives": negatives,
            "negative_rate": rate(negatives, reviews),
            "product_complaints": complaints,
            "drill": {"product_id": product_id or UNKNOWN, "sku": sku or UNKNOWN},
        }
        for product_id, sku, reviews, negatives, complaints in found[:MAX_ROWS]
    ]
    totals: dict[str, Any] = {
        "reviews": sum(r[2] for r in found),
        "negatives": sum(r[3] for r in found),
        "product_complaints": sum(r[4] for r in found),
    }
    totals["negative_rate"] = rate(totals["negatives"], totals["reviews"])
    return Table(
        "products",
        f,
        (
            Column("product", Kind.TEXT),
            Column("product_id", Kind.TEXT),
            Column("sku", Kind.TEXT),
            Column("reviews", Kind.COUNT),
            Column("negatives", Kind.COUNT),
            Column("negative_rate", Kind.RATE),
            Column("product_complaints", Kind.COUNT),
        ),
        rows,
        Chart("bar", "product", ("negatives",)),
        totals,
    )


CASE_COLUMNS = {
    "delayed": (CaseKind.DELAYED.value,),
    "lost": (CaseKind.LOST.value,),
    "damaged": (CaseKind.DAMAGED.value,),
    "wrong_or_missing": (CaseKind.WRONG_ITEM.value, CaseKind.MISSING_ITEM.value),
}
LOGISTICS_NEGATIVE = and_(
    Event.name == N.REVIEW_FLAGGED_NEGATIVE, Event.cause == ReviewCause.LOGISTICS.value
)


def logistics(session: Session, f: ReportFilter) -> Table:
    """Per carrier and region: logistics cases by kind, negative reviews blaming the delivery,
    and the complaints of both."""
    opened = Event.name == N.CASE_OPENED
    kinds: list[ColumnElement[bool]] = [LOGISTICS_NEGATIVE]
    if not f.by_product:
        kinds.append(opened)
    query = (
        select(
            Event.carrier,
            Event.region,
            *(count_if(opened, Event.cause.in_(codes)) for codes in CASE_COLUMNS.values()),
            count_if(opened),
            count_if(LOGISTICS_NEGATIVE),
        )
        .where(or_(*kinds), in_range(f), *by_product(f))
        .group_by(Event.carrier, Event.region)
    )
    rows = []
    for carrier, region, *counts in session.execute(query):
        *by_kind, cases, negatives = (int(c or 0) for c in counts)
        row: dict[str, Any] = {"carrier": carrier, "region": region}
        for key, value in zip(CASE_COLUMNS, by_kind, strict=True):
            row[key] = None if f.by_product else value
        row["cases"] = None if f.by_product else cases
        row["negatives"] = negatives
        row["complaints"] = negatives + (0 if f.by_product else cases)
        row["drill"] = {"carrier": carrier or UNKNOWN, "region": region or UNKNOWN}
        rows.append(row)
    rows.sort(key=lambda r: (-r["complaints"], r["carrier"] or "", r["region"] or ""))
    keys = (*CASE_COLUMNS, "cases", "negatives", "complaints")
    return Table(
        "logistics",
        f,
        (
            Column("carrier", Kind.TEXT),
            Column("region", Kind.TEXT),
            Column("complaints", Kind.COUNT),
            *(Column(key, Kind.COUNT) for key in (*CASE_COLUMNS, "cases", "negatives")),
        ),
        rows[:MAX_ROWS],
        Chart("bar", "region", ("complaints",)),
        _totals(rows, keys),
    )
