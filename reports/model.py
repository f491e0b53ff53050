"""What a report is made of: the filter it was asked for, and the table it gives (plain facts).

Labels are not here: a column names its key and kind, a text cell holds the code it groups by
(a cause, a channel), and words.reports renders titles, column labels and codes for people.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from core.clock import SHOP_TZ

MAX_DAYS = 731  # a range of at most two years
DEFAULT_DAYS = 84  # the last 12 weeks, ending today
UNKNOWN = ""  # a drill value for "not known" (the dimension is NULL)
DRILL_KEYS = (
    "week",
    "day",
    "cause",
    "sub_cause",
    "product_id",
    "sku",
    "carrier",
    "region",
    "remedy",
    "channel",
    "queue_item",
)
DRILL_LENGTH = 64  # no dimension is longer
EARLIEST_YEAR, LATEST_YEAR = 1970, 2100  # what a shop's data can hold


class Kind(StrEnum):
    """How a column's values are to be read (and formatted)."""

    TEXT = "text"
    WEEK = "week"  # the Monday (a date) that starts the week, shop time
    DAY = "day"
    COUNT = "count"
    RATE = "rate"  # 0..1; None where the denominator is 0
    YUAN = "yuan"
    SECONDS = "seconds"


class FilterProblem(StrEnum):
    BAD_DATE = "bad_date"
    TO_BEFORE_FROM = "to_before_from"
    TOO_LONG = "too_long"
    BAD_WEEK = "bad_week"  # a drill week that is not a Monday
    BAD_DRILL = "bad_drill"  # a drill value too long, or not a number where one is needed


class FilterError(ValueError):
    """The filter cannot be used as given."""

    def __init__(self, problem: FilterProblem, field_name: str) -> None:
        super().__init__(f"{field_name}: {problem.value}")
        self.problem = problem
        self.field = field_name


@dataclass(frozen=True)
class ReportFilter:
    """Shop-local days `start` to `end` (inclusive), optionally one category or one product;
    `drill` narrows the items behind a number (keys of DRILL_KEYS)."""

    start: date
    end: date
    category: int | None = None
    product_id: str | None = None
    business_hours: bool = False
    drill: dict[str, str] = field(default_factory=dict)

    @property
    def since(self) -> datetime:
        """The range's first moment (UTC-comparable, aware)."""
        return datetime.combine(self.start, time(), SHOP_TZ)

    @property
    def until(self) -> datetime:
        """The moment after the range (exclusive)."""
        return datetime.combine(self.end + timedelta(days=1), time(), SHOP_TZ)

    @property
    def by_product(self) -> bool:
        return self.category is not None or self.product_id is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "category": self.category,
            "product_id": self.product_id,
        }


def make_filter(
    today: date,
    start: date | None = None,
    end: date | None = None,
    category: int | None = None,
    product_id: str | None = None,
    business_hours: bool = False,
    drill: dict[str, str] | None = None,
) -> ReportFilter:
    """A checked filter: by default the 12 weeks ending `today`; refused (FilterError) when the
    end is before the start, the range is over two years, or a drill value is unusable."""
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    for name, day in (("from", start), ("to", end)):
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise FilterError(FilterProblem.BAD_DATE, name)
    if end < start:
        raise FilterError(FilterProblem.TO_BEFORE_FROM, "to")
    if (end - start).days + 1 > MAX_DAYS:
        raise FilterError(FilterProblem.TOO_LONG, "from")
    drill = dict(drill or {})
    for key, value in drill.items():
        if key not in DRILL_KEYS or len(value) > DRILL_LENGTH:
            raise FilterError(FilterProblem.BAD_DRILL, key)
    if "week" in drill or "day" in drill:
        key = "week" if "week" in drill else "day"
        try:
            day = date.fromisoformat(drill[key])
        except ValueError:
            raise FilterError(FilterProblem.BAD_DATE, key) from None
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise FilterError(FilterProblem.BAD_DATE, key)
        if key == "week" and day.weekday() != 0:
            raise FilterError(FilterProblem.BAD_WEEK, key)
    if "queue_item" in drill and not drill["queue_item"].isdigit():
        raise FilterError(FilterProblem.BAD_DRILL, "queue_item")
    return ReportFilter(start, end, category, product_id, business_hours, drill)


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind
    vocabulary: str | None = None  # a text column's codes are members of this enum (labels)


@dataclass(frozen=True)
class Chart:
    type: str  # line, bar or pie
    x: str
    series: tuple[str, ...]


@dataclass
class Table:
    """One report's result: rows of raw values by column key, each with its `drill`."""

    name: str
    filters: ReportFilter
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    chart: Chart | None
    totals: dict[str, Any]
    generated_in_ms: int = 0
    applied: dict[str, Any] = field(default_factory=dict)  # filters that applied, if not all


def rate(part: int | float | None, whole: int | float | None) -> float | None:
    """part / whole, None when there is no whole (never a division by zero)."""
    if part is None or not whole:
        return None
    return round(part / whole, 4)
