"""Reading platform exports (CSV or JSONL) into review rows, by the column map in columns.yaml.

A malformed row becomes a `RowError` with its line number and the reading goes on; a file that
cannot be read at all raises `ImportFileError`.
"""

import csv
import hashlib
import io
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
# The longest CSV field read: csv's default (2**17). Nothing a review keeps comes near it (text
# at most MAX_TEXT, follow-ups cut to MAX_TEXT, ids and names to 128), every file that imported
# before still does, and a runaway field (a stray quote swallowing the file) stops at 512 KiB of
# buffer instead of the file's size; that row is reported and the reading goes on. Set again at
# every read: the limit is one setting for the whole process, and libraries raise it (scipy's
# ARFF reader sets it to the maximum).
FIELD_LIMIT = 131_072

# The characters str.splitlines() breaks at besides \r and \n. They are not line ends in an
# export (only \r\n, \n and \r are), so a field keeps them; in a review's text the paragraph
# separators (U+2028, U+2029, NEL) become "\n", as in a quoted multi-line field, and the
# controls (VT, FF, \x1c-\x1e) a space; in an id, a name or a SKU all of them become a space.
_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_IN_TEXT = str.maketrans(
    {"\x85": "\n", "\u2028": "\n", "\u2029": "\n"} | dict.fromkeys("\x0b\x0c\x1c\x1d\x1e", " ")
)
_IN_NAME = str.maketrans(dict.fromkeys(_BREAKS, " "))
_BREAK = re.compile(f"[{_BREAKS}]")


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


def _csv_problem(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return f"a field is longer than {FIELD_LIMIT} characters"
    return f"not readable as CSV ({exc})"


_QUOTED_PART = re.compile(r'(?:[^"]|"")*')  # inside quotes: up to a closing quote or the line end
_UNQUOTED = re.compile(r"[^,\r\n]*")


def _past(pattern: re.Pattern[str], line: str, pos: int) -> int:
    found = pattern.match(line, pos)  # both patterns match, if only the empty string
    return pos if found is None else found.end()


def _last_line_of_record(lines: list[str], first: int) -> int:
    """Index of the last line of the CSV record starting at lines[first], as csv.reader (excel
    dialect, not strict) reads it: a record goes on while a quoted field is open."""
    quoted = False
    for index in range(first, len(lines)):
        line, pos = lines[index], 0
        while True:
            if quoted:
                pos = _past(_QUOTED_PART, line, pos)
                if pos == len(line):
                    break  # the quoted field goes on into the next line
                quoted = False  # after the closing quote, anything up to "," is kept as is
                pos = _past(_UNQUOTED, line, pos + 1)
            elif line.startswith('"', pos):
                quoted, pos = True, pos + 1
                continue
            else:
                pos = _past(_UNQUOTED, line, pos)
            if not line.startswith(",", pos):
                break  # the line's end, outside quotes: the record's end
            pos += 1
        if not quoted:
            return index
    return len(lines) - 1


def _csv_records(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    csv.field_size_limit(FIELD_LIMIT)
    # Lines end at \r\n, \n or \r only (not at the other breaks of str.splitlines: U+2028 ...);
    # line numbers count these lines.
    lines = io.StringIO(text, newline="").readlines()
    source = iter(lines)
    reader = csv.reader(source)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFileError(f"{path}: header row: {_csv_problem(exc)}") from None
    if not header:
        raise ImportFileError(f"{path}: empty file, or no header row")
    header = [h.strip() for h in header]
    columns = column_map()
    if not set(header) & set(columns.fields["text"]):
        names = ", ".join(columns.fields["text"])
        raise ImportFileError(f"{path}: no review text column (one of: {names})")
    skipped = 0  # lines taken from `source` past the reader: the rest of a bad record
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader drops the rest of the line it failed on and starts its next record on
            # the line after, which may be inside the bad record (a quoted field over several
            # lines): go on after the bad record's last line instead.
            read = reader.line_num + skipped
            rest = max(0, _last_line_of_record(lines, start - 1) + 1 - read)
            for _ in range(rest):
                next(source, None)
            skipped += rest
            yield start, _csv_problem(exc)
            start = read + rest + 1
            continue
        line, start = start, reader.line_num + skipped + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield line, f"expected {len(header)} fields, found {len(values)}"
        else:
            yield line, dict(zip(header, values, strict=True))


def _jsonl_records(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    # One record a line, split at "\n" only (json.loads ignores the "\r" of "\r\n"): a JSON
    # string may hold U+2028 and the other breaks of str.splitlines() unescaped.
    for line, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield line, f"not valid JSON ({exc.msg})"
            continue
        yield (line, record) if isinstance(record, dict) else (line, "not a JSON object")


def _without_breaks(record: dict[str, Any], prose: set[str]) -> dict[str, Any]:
    """`record` with the breaks of _BREAKS replaced in its texts (keys in `prose`) and names
    (searched first: translating every value would cost half the reading of the file)."""
    return {
        key: value.translate(_IN_TEXT if key in prose else _IN_NAME)
        if isinstance(value, str) and _BREAK.search(value)
        else value
        for key, value in record.items()
    }


def read_rows(path: Path, platform: str | None = None) -> Iterator[ReviewRow | RowError]:
    """Rows of a CSV (header row) or JSONL (.jsonl/.json) export, in file order."""
    text = read_text(path)
    jsonl = path.suffix.lower() in {".jsonl", ".json", ".ndjson"}
    records = _jsonl_records(text) if jsonl else _csv_records(text, path)
    # One look for the whole file, cheaper than one per field; JSON may escape them (\u2028).
    breaks = any(c in text for c in _BREAKS) or (jsonl and "\\u" in text)
    columns = column_map()
    prose = set(columns.fields["text"]) | set(columns.fields["follow_up_text"])
    for line, record in records:
        if isinstance(record, str):
            yield RowError(line, record)
            continue
        if breaks:
            record = _without_breaks(record, prose)
        try:
            yield parse_record(record, line, platform, columns)
        except ValueError as exc:
            yield RowError(line, str(exc))


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
