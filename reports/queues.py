"""Recurring issues: the queue items open at some time in the range, how long each stayed open
and how many complaints it gathered, from the `queue_item.*` events."""

import statistics
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.orm import Session

from core.clock import to_shop_time, utcnow
from core.database import UTCDateTime
from core.events import Event, EventName
from reports.model import Chart, Column, Kind, ReportFilter, Table
from reports.sql import by_product
from reports.volume import product_names

N = EventName
ITEM_EVENTS = (
    N.QUEUE_ITEM_OPENED,
    N.QUEUE_ITEM_UPDATED,
    N.QUEUE_ITEM_ACKNOWLEDGED,
    N.QUEUE_ITEM_ASSIGNED,
    N.QUEUE_ITEM_CLOSED,
)
MAX_ROWS = 500


def recurring(session: Session, f: ReportFilter, now: datetime | None = None) -> Table:
    """One row per queue item opened before the range ended and not closed before it began:
    its queue, key (sub-cause, product, carrier, region), when it opened and closed, seconds
    open (to its close, else to the range's end or now), and its complaints; the median open
    time in the totals."""
    until = f.until.astimezone(UTC)
    since = f.since.astimezone(UTC)
    opened = type_coerce(
        func.min(case((Event.name == N.QUEUE_ITEM_OPENED, Event.occurred_at))), UTCDateTime
    )
    closed = type_coerce(
        func.max(case((Event.name == N.QUEUE_ITEM_CLOSED, Event.occurred_at))), UTCDateTime
    )
    query = (
        select(
            Event.subject_id,
            func.max(Event.cause),
            func.max(Event.product_id),
            func.max(Event.carrier),
            func.max(Event.payload["sub_cause"].as_string()),
            func.max(Event.payload["region"].as_string()),
            func.max(Event.payload["complaints"].as_integer()),
            opened,
            closed,
        )
        .where(Event.name.in_(ITEM_EVENTS), Event.occurred_at < until, *by_product(f))
        .group_by(Event.subject_id)
        .having(opened.is_not(None), (closed.is_(None)) | (closed >= since))
    )
    end = min(f.until, now or utcnow())
    found = session.execute(query).all()
    names = product_names(session, (r[2] for r in found))
    rows: list[dict[str, Any]] = []
    for item_id, queue, product_id, carrier, sub_cause, region, count, start, stop in found:
        start, stop = _aware(start), _aware(stop)
        rows.append(
            {
                "queue": queue,
                "sub_cause": sub_cause,
                "product": names.get(product_id or "", product_id),
                "carrier": carrier,
                "region": region,
                "opened": to_shop_time(start).date(),
                "closed": to_shop_time(stop).date() if stop else None,
                "open_for": round(((stop or end) - start).total_seconds(), 1),
                "complaints": int(count or 0),
                "drill": {"queue_item": str(item_id)},
            }
        )
    rows.sort(key=lambda r: (r["opened"], r["drill"]["queue_item"]), reverse=True)
    spans = [r["open_for"] for r in rows]
    totals = {
        "items": len(rows),
        "closed": sum(r["closed"] is not None for r in rows),
        "complaints": sum(r["complaints"] for r in rows),
        "open_for": round(statistics.median(spans), 1) if spans else None,  # the median
    }
    return Table(
        "recurring",
        f,
        (
            Column("queue", Kind.TEXT, "ReviewCause"),
            Column("sub_cause", Kind.TEXT, "cause"),
            Column("product", Kind.TEXT),
            Column("carrier", Kind.TEXT),
            Column("region", Kind.TEXT),
            Column("opened", Kind.DAY),
            Column("closed", Kind.DAY),
            Column("open_for", Kind.SECONDS),
            Column("complaints", Kind.COUNT),
        ),
        rows[:MAX_ROWS],
        Chart("bar", "sub_cause", ("complaints",)),
        totals,
    )


def _aware(moment: datetime | None) -> Any:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
