"""A report table as CSV for Excel: UTF-8 with a BOM (so Excel reads the Chinese), the column
labels as the header, and no cell that a spreadsheet would run as a formula."""

import csv
import io
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: Any) -> str:
    """A cell's text; one that starts like a formula gets a leading ' (CSV injection)."""
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _formatted(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "rate":
        return f"{float(value) * 100:.1f}%"
    if kind == "yuan":
        return f"{float(value):.2f}"
    if kind == "seconds":
        return f"{float(value):.0f}"
    return value


def table_csv(doc: dict[str, Any]) -> str:
    """The rendered table (words.reports.table_json) as CSV text, BOM first; seconds are whole
    seconds and rates percentages, as the header's labels say."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = doc["columns"]
    writer.writerow([safe_cell(_header(c)) for c in columns])
    for row in doc["rows"]:
        writer.writerow([safe_cell(_formatted(c["kind"], row.get(c["key"]))) for c in columns])
    return BOM + out.getvalue()


def _header(column: dict[str, Any]) -> str:
    unit = {"seconds": "（秒）", "yuan": "（元）"}.get(column["kind"], "")
    return f"{column['label']}{unit}"


def filename(doc: dict[str, Any]) -> str:
    f = doc["filters"]
    return f"{doc['name']}-{f['from']}-{f['to']}.csv"
