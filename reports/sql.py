"""Portable SQL pieces the reports share: the range and product conditions, week and day
buckets, durations, and percentiles (grouped in the database on SQLite and PostgreSQL alike).

Buckets are computed from the epoch: the shop's zone (Asia/Shanghai) has kept UTC+8 without
daylight saving since 1991, so every shop-local week and day is exactly 604,800 and 86,400 s
long, counted from the range's first Monday (or day) at 00:00 shop time.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Float, Integer, Select, and_, case, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.clock import SHOP_TZ
from core.events import Event
from reports.model import UNKNOWN, ReportFilter
from shop.models import Product

WEEK_S = 7 * 86_400
DAY_S = 86_400


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def epoch(session: Session, column: Any) -> ColumnElement[float]:
    """Seconds since 1970 of a stored (naive UTC) timestamp."""
    if dialect(session) == "postgresql":
        return cast(func.extract("epoch", column), Float)
    whole = cast(func.strftime("%s", column), Float)  # exact (julianday's float is not)
    milliseconds = cast(func.strftime("%f", column), Float) - cast(
        func.strftime("%S", column), Float
    )
    return whole + milliseconds


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(f: ReportFilter) -> list[date]:
    """The Mondays of the weeks the range touches (the first may start before it)."""
    first = week_start(f.start)
    return [first + timedelta(days=7 * n) for n in range((f.end - first).days // 7 + 1)]


def _midnight(day: date) -> float:
    return datetime.combine(day, time(), SHOP_TZ).timestamp()


def bucket(session: Session, column: Any, origin: date, width_s: int) -> ColumnElement[int]:
    """The number of the week (or day) a moment falls in, counted from `origin`'s midnight
    (moments before it are never asked about: the range starts on or after it)."""
    offset = (epoch(session, column) - _midnight(origin)) / width_s
    if dialect(session) == "postgresql":
        return cast(func.floor(offset), Integer)
    return cast(offset, Integer)  # truncation is the floor of a non-negative number


def week_bucket(session: Session, column: Any, f: ReportFilter) -> ColumnElement[int]:
    return bucket(session, column, week_start(f.start), WEEK_S)


def in_range(f: ReportFilter, column: Any = None) -> ColumnElement[bool]:
    column = Event.occurred_at if column is None else column
    return and_(column >= f.since.astimezone(UTC), column < f.until.astimezone(UTC))


def by_product(f: ReportFilter, column: Any = None) -> list[ColumnElement[bool]]:
    """The product or category condition, if the filter has one."""
    column = Event.product_id if column is None else column
    if f.product_id is not None:
        return [same(column, f.product_id)]
    if f.category is not None:
        codes = select(Product.code).where(Product.category_id == f.category)
        return [column.in_(codes.scalar_subquery())]
    return []


def count_if(*conditions: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN … THEN 1 ELSE 0 END): a conditional count, portable."""
    return func.sum(case((and_(*conditions), 1), else_=0))


def same(column: Any, value: str) -> ColumnElement[bool]:
    """`column` = value, or IS NULL for the unknown value."""
    found: ColumnElement[bool] = column.is_(None) if value == UNKNOWN else column == value
    return found


def drill_week(f: ReportFilter, column: Any = None) -> list[Any]:
    """Conditions narrowing to the drill's week or day, within the range."""
    column = Event.occurred_at if column is None else column
    for key, width in (("week", WEEK_S), ("day", DAY_S)):
        if key in f.drill:
            first = date.fromisoformat(f.drill[key])
            lo = datetime.combine(first, time(), SHOP_TZ).astimezone(UTC)
            hi = lo + timedelta(seconds=width)
            return [column >= lo, column < hi]
    return []


@dataclass(frozen=True)
class Spread:
    """One bucket's rows, how many have a value, and the percentiles of those values."""

    rows: int
    valued: int
    percentiles: tuple[float | None, ...]


def spreads(
    session: Session, query: Select[Any, Any], points: Sequence[float]
) -> dict[int, Spread]:
    """Per `bucket` of `query` (its labelled `bucket` and `seconds` columns; seconds may be
    NULL): the rows, those with seconds, and the seconds' percentiles. Grouped in the database on
    PostgreSQL; on SQLite (a small shop) over the values read."""
    inner = query.subquery()
    if dialect(session) == "postgresql":
        picked = [func.percentile_cont(p).within_group(inner.c.seconds) for p in points]
        grouped = select(
            inner.c.bucket, func.count(), func.count(inner.c.seconds), *picked
        ).group_by(inner.c.bucket)
        return {
            row[0]: Spread(
                int(row[1]),
                int(row[2]),
                tuple(None if v is None else float(v) for v in row[3:]),
            )
            for row in session.execute(grouped)
        }
    rows: dict[int, int] = defaultdict(int)
    values: dict[int, list[float]] = defaultdict(list)
    for number, seconds in session.execute(select(inner.c.bucket, inner.c.seconds)):
        rows[number] += 1
        if seconds is not None:
            values[number].append(float(seconds))
    return {
        n: Spread(count, len(values[n]), tuple(percentile(sorted(values[n]), p) for p in points))
        for n, count in rows.items()
    }


def percentile(ordered: Sequence[float], p: float) -> float | None:
    """The p-th percentile of sorted values, interpolated as PostgreSQL's percentile_cont."""
    if not ordered:
        return None
    at = p * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def spreads_of(
    values: Iterable[tuple[int, float | None]], points: Sequence[float]
) -> dict[int, Spread]:
    """The same over (bucket, seconds) pairs computed in Python (business hours)."""
    rows: dict[int, int] = defaultdict(int)
    grouped: dict[int, list[float]] = defaultdict(list)
    for number, seconds in values:
        rows[number] += 1
        if seconds is not None:
            grouped[number].append(seconds)
    return {
        n: Spread(count, len(grouped[n]), tuple(percentile(sorted(grouped[n]), p) for p in points))
        for n, count in rows.items()
    }
