"""Field types shared by the routes' requests: every number, datetime and text a request brings
is bounded here, so bad input is a 422 at the boundary and never a 500 further in."""

from datetime import UTC, datetime
from typing import Annotated

from annotated_types import Interval
from pydantic import AfterValidator, AwareDatetime

from core.text import PlainText

__all__ = ["After", "Id", "Offset", "PlainText", "UtcDatetime"]

INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1

Id = Annotated[int, Interval(ge=1, le=INT32_MAX)]
"""A row id: the tables' INTEGER keys are 32-bit on PostgreSQL."""

After = Annotated[int, Interval(ge=0, le=INT32_MAX)]
"""A row id to continue after (a message's): 0 for the beginning; ids are 32-bit on PostgreSQL,
which refuses to compare a larger number with one."""

Offset = Annotated[int, Interval(ge=0, le=INT64_MAX)]
"""Rows to skip: SQLite takes at most a 64-bit integer."""

EARLIEST_YEAR = 1970
LATEST_YEAR = 2100


def _in_our_calendar(moment: datetime) -> datetime:
    """In UTC, and within years a shop's data can hold: year 1 or 9999 with an offset overflows
    the conversion to UTC that every UTCDateTime column makes."""
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST_YEAR <= utc.year <= LATEST_YEAR:
        raise ValueError(
            f"时间须在 {EARLIEST_YEAR}–{LATEST_YEAR} 年之间 / "
            f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    return utc


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_in_our_calendar)]
"""A moment with its timezone, between 1970 and 2100; given back in UTC."""
