"""The managers' reports as people read them (words/reports.yaml): titles, column labels, the
codes a table groups by, the drill-down items' titles, and why a filter was refused."""

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Template

from core.events import Subject
from reports.items import Item
from reports.model import Column, Table
from words.render import cause_label, environment, label_in, words_file

REPORTS_FILE = Path(__file__).with_name("reports.yaml")
ITEM_VOCABULARY = {  # what an item's `cause` is, by kind
    Subject.CONVERSATION: "EscalationReason",
    Subject.CASE: "CaseKind",
}


def _words() -> dict[str, Any]:
    return words_file(REPORTS_FILE)


def titles() -> dict[str, str]:
    """Report name → title, in display order."""
    return dict(_words()["titles"])


def column_label(key: str) -> str:
    labels: dict[str, str] = _words()["columns"]
    return labels.get(key, key)


def code_label(vocabulary: str, value: str | None, column: str = "") -> str:
    """A code as people read it: a cause (`cause` labels coarse and finer ones), a member of a
    vocabulary, or the code itself when no label is known; 未知 for none."""
    if value is None:
        return str(_words()["no_sub_cause" if column == "sub_cause" else "unknown"])
    try:
        if vocabulary == "cause":
            return cause_label(value)
        return label_in(vocabulary, value)
    except KeyError:
        return value


def _cell(column: Column, value: Any) -> Any:
    if column.vocabulary is not None:
        return code_label(column.vocabulary, value, column.key)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None and column.kind == "text":
        return _words()["unknown"]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def table_json(table: Table, filters: dict[str, Any] | None = None) -> dict[str, Any]:
    """The table as the API gives it (docs/reports.md): labels for people, codes in `drill`."""
    rows = []
    for row in table.rows:
        shown = {c.key: _cell(c, row.get(c.key)) for c in table.columns}
        if "drill" in row:
            shown["drill"] = dict(row["drill"])
        rows.append(shown)
    chart = table.chart
    return {
        "name": table.name,
        "title": titles()[table.name],
        "filters": filters if filters is not None else table.filters.as_json(),
        "columns": [
            {"key": c.key, "label": column_label(c.key), "kind": c.kind.value}
            for c in table.columns
        ],
        "rows": rows,
        "chart": None
        if chart is None
        else {"type": chart.type, "x": chart.x, "series": list(chart.series)},
        "totals": {key: _plain(value) for key, value in table.totals.items()},
        "generated_in_ms": table.generated_in_ms,
    }


@cache
def _item_template(kind: str) -> Template:
    return environment().from_string(_words()["items"][kind])


def item_title(item: Item) -> str:
    cause = None
    if item.cause is not None:
        vocabulary = ITEM_VOCABULARY.get(item.kind, "cause")
        cause = code_label(vocabulary, item.cause)
    return _item_template(item.kind.value).render(
        id=item.id, product=item.product, cause=cause, rating=item.rating, carrier=item.carrier
    )


def item_json(item: Item) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "id": item.id,
        "at": item.at.isoformat(),
        "title": item_title(item),
        "excerpt": item.excerpt,
        "link": item.link,
    }


def problem_text(problem: str, field: str = "") -> str:
    """Why a filter or report name was refused, Chinese / English."""
    template = environment().from_string(_words()["problems"][problem])
    return template.render(field=field)
