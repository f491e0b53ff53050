"""Reading platform exports (CSV or JSONL) into review rows, by the column map in columns.yaml.

A malformed row becomes a `RowError` with its line number and the reading goes on; a file that
cannot be read at all raises `ImportFileError`.
"""

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.clock import SHOP_TZ

COLUMNS_FILE = Path(__file__).with_name("columns.yaml")
MAX_TEXT = 5000


class ImportFileError(ValueError):
    """The file cannot be imported at all (unreadable, no header, no text column)."""


@dataclass
class ReviewRow:
    line: int
    platform: str
    review_id: str
    text: str
    rating: int | None = None
    follow_up_text: str | None = None
    product_id: str | None = None
    product_name: str | None = None  # as the platform shows it (the reply names the product)
    sku: str | None = None
    order_id: str | None = None
    images_count: int = 0
    created_at: datetime | None = None


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ColumnMap:
    fields: dict[str, list[str]]
    rating_words: dict[str, int]
    default_platform: str

    def find(self, record: dict[str, Any], name: str) -> Any:
        for key in self.fields[name]:
            value = record.get(key)
            if value is not None and str(value).strip() != "":
                return value
        return None


@lru_cache
def column_map(path: Path = COLUMNS_FILE) -> ColumnMap:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ColumnMap(raw["fields"], raw["rating_words"], raw["default_platform"])


def parse_rating(value: Any, words: dict[str, int]) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if text in words:
        return words[text]
    stars = re.fullmatch(r"(\d)(\.0)?\s*(星|分)?", text)
    if stars is None or not 1 <= int(stars.group(1)) <= 5:
        raise ValueError(f"rating {text!r} is not 1-5 stars")
    return int(stars.group(1))


def _created_at(value: Any) -> datetime | None:
    if value is None:
        return None
    text = str(value).strip().replace("/", "-")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"created_at {text!r} is not a date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SHOP_TZ)


def _images_count(record: dict[str, Any], columns: ColumnMap) -> int:
    count = columns.find(record, "images_count")
    if count is not None:
        if not str(count).strip().isdigit():
            raise ValueError(f"images_count {count!r} is not a whole number")
        return int(count)
    images = columns.find(record, "images")
    if isinstance(images, list):
        return len(images)
    return len([p for p in re.split(r"[,;|\s]+", str(images or "")) if p])


def _optional(value: Any, limit: int) -> str | None:
    return None if value is None else str(value).strip()[:limit]


def parse_record(
    record: dict[str, Any], line: int, platform: str | None = None, columns: ColumnMap | None = None
) -> ReviewRow:
    """One review from one CSV row or JSON object; ValueError says what is wrong."""
    columns = columns or column_map()
    text = str(columns.find(record, "text") or "").strip()
    follow_up = _optional(columns.find(record, "follow_up_text"), MAX_TEXT)
    if len(text) > MAX_TEXT:
        raise ValueError(f"text is longer than {MAX_TEXT} characters")
    row = ReviewRow(
        line=line,
        platform=str(platform or columns.find(record, "platform") or columns.default_platform),
        review_id="",
        text=text,
        rating=parse_rating(columns.find(record, "rating"), columns.rating_words),
        follow_up_text=follow_up,
        product_id=_optional(columns.find(record, "product_id"), 64),
        product_name=_optional(columns.find(record, "product_name"), 128),
        sku=_optional(columns.find(record, "sku"), 128),
        order_id=_optional(columns.find(record, "order_id"), 64),
        images_count=_images_count(record, columns),
        created_at=_created_at(columns.find(record, "created_at")),
    )
    review_id = columns.find(record, "review_id")
    if review_id is None:  # a stable id from the content, so a re-import still deduplicates
        key = "\x1f".join(str(v) for v in (row.product_id, row.order_id, text, row.created_at))
        review_id = "sha1:" + hashlib.sha1(key.encode()).hexdigest()[:32]
    row.review_id = str(review_id).strip()[:64]
    return row


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror}") from exc
    for encoding in ("utf-8-sig", "gb18030"):  # Excel exports in China are often GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{path}: neither UTF-8 nor GB18030 text")


def _csv_records(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if not header:
        raise ImportFileError(f"{path}: empty file, or no header row")
    header = [h.strip() for h in header]
    columns = column_map()
    if not set(header) & set(columns.fields["text"]):
        names = ", ".join(columns.fields["text"])
        raise ImportFileError(f"{path}: no review text column (one of: {names})")
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield line, f"expected {len(header)} fields, found {len(values)}"
        else:
            yield line, dict(zip(header, values, strict=True))


def _jsonl_records(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield line, f"not valid JSON ({exc.msg})"
            continue
        yield (line, record) if isinstance(record, dict) else (line, "not a JSON object")


def read_rows(path: Path, platform: str | None = None) -> Iterator[ReviewRow | RowError]:
    """Rows of a CSV (header row) or JSONL (.jsonl/.json) export, in file order."""
    text = read_text(path)
    jsonl = path.suffix.lower() in {".jsonl", ".json", ".ndjson"}
    records = _jsonl_records(text) if jsonl else _csv_records(text, path)
    for line, record in records:
        if isinstance(record, str):
            yield RowError(line, record)
            continue
        try:
            yield parse_record(record, line, platform)
        except ValueError as exc:
            yield RowError(line, str(exc))


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
