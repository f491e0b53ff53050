"""The managers' reports as JSON and CSV, and the items behind each number (reports/).

For managers and supervisors. Filters: `from` and `to` (shop-local days, `to` inclusive; by
default the 12 weeks ending today; at most two years), `category`, `product_id`; the items also
take a row's drill keys. docs/reports.md defines every report.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status
from pydantic import BaseModel, Field

from api.deps import DbSession, ReportsStaff
from api.fields import Id, Offset, PlainText
from api.routing import ApiRoute, errors
from core.clock import to_shop_time, utcnow
from reports import REPORTS, run
from reports.csv_export import filename, table_csv
from reports.items import MAX_LIMIT, items
from reports.model import DRILL_LENGTH, FilterError, ReportFilter, make_filter
from words.reports import item_json, problem_text, table_json, titles

router = APIRouter(
    prefix="/api/reports", tags=["reports"], route_class=ApiRoute, responses=errors(404)
)

ReportName = Annotated[str, Path(max_length=32, description="a report's name (GET /api/reports)")]
DrillValue = Annotated[PlainText | None, Query(max_length=DRILL_LENGTH)]


class ReportOut(BaseModel):
    name: str
    title: str


class ColumnOut(BaseModel):
    key: str
    label: str
    kind: str = Field(description="text, week, day, count, rate (0..1), yuan or seconds")


class ChartOut(BaseModel):
    type: str = Field(description="line, bar or pie")
    x: str
    series: list[str]


class TableOut(BaseModel):
    name: str
    title: str
    filters: dict[str, Any] = Field(description="the filters that applied")
    columns: list[ColumnOut]
    rows: list[dict[str, Any]] = Field(description="values by column key, and `drill`")
    chart: ChartOut | None
    totals: dict[str, Any]
    generated_in_ms: int


class ItemOut(BaseModel):
    kind: str = Field(description="review, conversation, case or queue_item")
    id: str
    at: str
    title: str
    excerpt: str = Field(description="at most 120 characters, personal data masked")
    link: str | None


class ItemsOut(BaseModel):
    items: list[ItemOut]
    total: int


def _filter(
    start: Annotated[date | None, Query(alias="from", description="first day (YYYY-MM-DD)")] = None,
    end: Annotated[date | None, Query(alias="to", description="last day, inclusive")] = None,
    category: Annotated[Id | None, Query(description="a product category's id")] = None,
    product_id: Annotated[PlainText | None, Query(max_length=64)] = None,
    business_hours: Annotated[
        bool, Query(description="response: count only the agents' hours")
    ] = False,
) -> ReportFilter:
    return _checked(start, end, category, product_id, business_hours, {})


def _checked(
    start: date | None,
    end: date | None,
    category: int | None,
    product_id: str | None,
    business_hours: bool,
    drill: dict[str, str],
) -> ReportFilter:
    today = to_shop_time(utcnow()).date()
    try:
        return make_filter(today, start, end, category, product_id, business_hours, drill)
    except FilterError as refused:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, problem_text(refused.problem, refused.field)
        ) from None


Filter = Annotated[ReportFilter, Depends(_filter)]


def _known(name: str) -> str:
    if name not in REPORTS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, problem_text("no_report"))
    return name


@router.get("", response_model=list[ReportOut])
def list_reports(_staff: ReportsStaff) -> list[ReportOut]:
    """The reports, in display order."""
    return [ReportOut(name=name, title=title) for name, title in titles().items()]


@router.get(
    "/{name}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "the table as CSV"}},
)
def report_csv(session: DbSession, _staff: ReportsStaff, name: ReportName, f: Filter) -> Response:
    """The same table as CSV (UTF-8 with BOM, the column labels as header)."""
    doc = table_json(run(session, _known(name), f))
    return Response(
        table_csv(doc).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename(doc)}"'},
    )


@router.get("/{name}/items", response_model=ItemsOut)
def report_items(
    session: DbSession,
    _staff: ReportsStaff,
    name: ReportName,
    f: Filter,
    week: DrillValue = None,
    day: DrillValue = None,
    cause: DrillValue = None,
    sub_cause: DrillValue = None,
    sku: DrillValue = None,
    carrier: DrillValue = None,
    region: DrillValue = None,
    remedy: DrillValue = None,
    channel: DrillValue = None,
    queue_item: DrillValue = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[Offset, Query()] = 0,
) -> ItemsOut:
    """The reviews, conversations, cases or queue items behind a number: the report's filters
    and the row's `drill` keys (an empty value: 未知), newest first."""
    given = {
        "week": week,
        "day": day,
        "cause": cause,
        "sub_cause": sub_cause,
        "sku": sku,
        "carrier": carrier,
        "region": region,
        "remedy": remedy,
        "channel": channel,
        "queue_item": queue_item,
    }
    drill = {key: value for key, value in given.items() if value is not None}
    narrowed = _checked(f.start, f.end, f.category, f.product_id, f.business_hours, drill)
    found, total = items(session, _known(name), narrowed, limit, offset)
    return ItemsOut(items=[ItemOut(**item_json(i)) for i in found], total=total)


@router.get("/{name}", response_model=TableOut)
def report(session: DbSession, _staff: ReportsStaff, name: ReportName, f: Filter) -> TableOut:
    """One report's table: columns, rows (each with its drill-down keys), chart and totals."""
    return TableOut(**table_json(run(session, _known(name), f)))
