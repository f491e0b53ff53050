"""Platform exports are read by the column map; bad rows are reported by line, the rest read."""

import csv
import sys

import pytest
from sqlalchemy import select

from reviews.importer import (
    FIELD_LIMIT,
    MAX_TEXT,
    ImportFileError,
    ReviewRow,
    RowError,
    read_rows,
)
from reviews.models import Review
from reviews.service import import_file


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_taobao_style_columns_are_mapped(tmp_path):
    path = write(
        tmp_path,
        "taobao.csv",
        "评价ID,宝贝ID,订单号,评价结果,评价内容,追评内容,图片,评价时间\n"
        "r1,p9,o7,差评,快递太慢,后来坏了,a.jpg|b.jpg,2026-11-01 10:00:00\n",
    )
    (row,) = read_rows(path, platform="taobao")
    assert isinstance(row, ReviewRow)
    assert (row.review_id, row.product_id, row.order_id, row.rating) == ("r1", "p9", "o7", 1)
    assert (row.text, row.follow_up_text, row.images_count) == ("快递太慢", "后来坏了", 2)
    assert row.platform == "taobao"
    assert row.created_at.utcoffset().total_seconds() == 8 * 3600


def test_a_gbk_excel_export_is_read(tmp_path):
    path = write(tmp_path, "jd.csv", "评论ID,评分,评论内容\nj1,2,质量一般\n", encoding="gbk")
    (row,) = read_rows(path)
    assert (row.review_id, row.rating, row.text) == ("j1", 2, "质量一般")


def test_malformed_rows_are_reported_with_their_line_and_the_rest_read(tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        "id,rating,text,created_at\n"
        "a,5,很好,\n"
        "b,9,评分不对,\n"
        "c,4,少一列\n"
        "d,3,日期不对,昨天\n"
        'e,1,"多行\n的评价",2026-11-02\n'
        "f,2,最后一行,\n",
    )
    rows = list(read_rows(path))
    errors = [str(r) for r in rows if isinstance(r, RowError)]
    assert [r.review_id for r in rows if isinstance(r, ReviewRow)] == ["a", "e", "f"]
    assert errors[0].startswith("line 3:")
    assert "rating" in errors[0]
    assert errors[1].startswith("line 4:")
    assert "fields" in errors[1]
    assert errors[2].startswith("line 5:")
    assert "created_at" in errors[2]
    assert [r.line for r in rows if isinstance(r, ReviewRow)] == [2, 6, 8]


def test_jsonl_lines_that_are_not_objects_are_reported(tmp_path):
    path = write(
        tmp_path,
        "r.jsonl",
        '{"review_id": "1", "content": "好"}\n{oops\n[1]\n{"review_id": "2", "content": "差"}\n',
    )
    rows = list(read_rows(path))
    assert [str(r) for r in rows if isinstance(r, RowError)] == [
        "line 2: not valid JSON (Expecting property name enclosed in double quotes)",
        "line 3: not a JSON object",
    ]
    assert [r.review_id for r in rows if isinstance(r, ReviewRow)] == ["1", "2"]


def test_rows_without_an_id_get_a_stable_one(tmp_path):
    path = write(tmp_path, "noid.csv", "text,order_id\n太慢,o1\n太慢,o1\n很好,o2\n")
    ids = [r.review_id for r in read_rows(path)]
    assert ids[0] == ids[1] != ids[2]
    assert ids == [r.review_id for r in read_rows(path)]


@pytest.mark.parametrize(
    ("content", "message"), [("", "empty file"), ("id,stars\n1,5\n", "no review text column")]
)
def test_a_file_that_cannot_be_imported_is_a_clear_error(tmp_path, content, message):
    with pytest.raises(ImportFileError, match=message):
        list(read_rows(write(tmp_path, "x.csv", content)))


HUGE = "长" * (FIELD_LIMIT + 1)


@pytest.mark.parametrize(
    "bad_row",
    [
        f"b,1,{HUGE}\n",  # unquoted, on one line
        f'b,1,"开头\n{HUGE}\n还在字段里, "",""逗号\n结尾"\n',  # quoted, over four lines
    ],
    ids=["unquoted", "quoted-over-four-lines"],
)
def test_an_oversized_field_is_a_bad_row_with_its_line_and_the_rows_after_it_import(
    tmp_path, bad_row
):
    path = write(
        tmp_path, "big.csv", f'id,rating,text\na,5,前面\n{bad_row}c,2,后面\nd,1,"两\n行"\ne,3,末\n'
    )
    rows = list(read_rows(path))
    assert [str(r) for r in rows if isinstance(r, RowError)] == [
        f"line 3: a field is longer than {FIELD_LIMIT} characters"
    ]
    after = 3 + bad_row.count("\n")
    assert [(r.review_id, r.line, r.text) for r in rows if isinstance(r, ReviewRow)] == [
        ("a", 2, "前面"),
        ("c", after, "后面"),
        ("d", after + 1, "两\n行"),
        ("e", after + 3, "末"),
    ]


def test_the_field_limit_holds_when_another_library_has_raised_it(tmp_path):
    path = write(tmp_path, "big.csv", f"id,text\na,{HUGE}\nb,后面\n")
    before = csv.field_size_limit(sys.maxsize)  # as scipy's ARFF reader does
    try:
        rows = list(read_rows(path))
    finally:
        csv.field_size_limit(before)
    error, after = rows
    assert str(error) == f"line 2: a field is longer than {FIELD_LIMIT} characters"
    assert isinstance(after, ReviewRow)
    assert (after.line, after.review_id, after.text) == (3, "b", "后面")


def test_the_text_limit_still_applies_below_the_field_limit(tmp_path):
    path = write(tmp_path, "long.csv", f"id,text\na,{'长' * MAX_TEXT}\nb,{'长' * (MAX_TEXT + 1)}\n")
    ok, long = read_rows(path)
    assert isinstance(ok, ReviewRow)
    assert len(ok.text) == MAX_TEXT
    assert str(long) == f"line 3: text is longer than {MAX_TEXT} characters"


def test_an_oversized_header_field_is_a_clear_error(tmp_path):
    with pytest.raises(ImportFileError, match=f"header row: a field is longer than {FIELD_LIMIT}"):
        list(read_rows(write(tmp_path, "x.csv", f"id,text,{HUGE}\na,好,\n")))


def test_a_re_run_of_a_file_with_an_oversized_field_stores_nothing_twice_and_reports_it_again(
    db, tmp_path
):
    path = write(
        tmp_path,
        "export.csv",
        f"评价ID,评分,评价内容\nbig-1,1,发错货了\nbig-2,1,{HUGE}\nbig-3,5,很好\n"
        'big-4,1,"快递太慢\u2028而且包装破了"\nbig-5,3,一般般\u2029还行\n',
    )
    first = import_file(path, "big-test", batch_size=2)
    second = import_file(path, "big-test", batch_size=2)
    error = f"line 3: a field is longer than {FIELD_LIMIT} characters"
    assert (first.stored, first.duplicates, first.errors) == (4, 0, [error])
    assert (second.stored, second.duplicates, second.errors) == (0, 4, [error])
    stored = db.scalars(select(Review.text).where(Review.platform == "big-test")).all()
    assert sorted(stored) == ["一般般\n还行", "发错货了", "很好", "快递太慢\n而且包装破了"]


SEPARATORS = {
    "U+2028": ("\u2028", "\n"),
    "U+2029": ("\u2029", "\n"),
    "NEL": ("\x85", "\n"),
    "VT": ("\x0b", " "),
    "FF": ("\x0c", " "),
    "FS": ("\x1c", " "),
    "GS": ("\x1d", " "),
    "RS": ("\x1e", " "),
}


@pytest.mark.parametrize("quoted", [False, True], ids=["unquoted", "quoted"])
@pytest.mark.parametrize("name", SEPARATORS)
def test_a_unicode_line_break_inside_a_field_keeps_the_whole_review(tmp_path, name, quoted):
    separator, becomes = SEPARATORS[name]
    field = f"快递太慢{separator}而且包装破了"
    field = f'"{field}"' if quoted else field
    path = write(
        tmp_path, "sep.csv", f"id,text,sku\na,前面,s1\nb,{field},s{separator}2\nc,后面,s3\n"
    )
    rows = list(read_rows(path))
    assert all(isinstance(r, ReviewRow) for r in rows)
    assert [(r.review_id, r.line) for r in rows] == [("a", 2), ("b", 3), ("c", 4)]
    assert rows[1].text == f"快递太慢{becomes}而且包装破了"
    assert rows[1].sku == "s 2"  # in a name, every break is a space


def test_line_numbers_count_crlf_lf_and_cr_lines_and_the_lines_of_a_quoted_field(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "id,rating,text\r\n"
        'a,5,"多行\r\n的\n评价"\r\n'  # lines 2-4
        "b,9,评分不对\r"  # line 5, ended by a lone CR
        "c,4,分隔\u2028不算行\n"  # line 6
        'd,3,"引号里\u2029也不算"\n'  # line 7
        "e,1,最后\n".encode()  # line 8
    )
    rows = list(read_rows(path))
    assert [(r.line, getattr(r, "review_id", None)) for r in rows] == [
        (2, "a"),
        (5, None),
        (6, "c"),
        (7, "d"),
        (8, "e"),
    ]
    assert str(rows[1]).startswith("line 5: rating")


def test_jsonl_keeps_a_u2028_inside_a_string_and_splits_only_at_newlines(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(
        '{"review_id": "1", "content": "快递太慢\u2028而且包装破了"}\r\n'
        '{"review_id": "2", "content": "转义的\\u2028分隔\\u000b也算"}\n'
        "{oops\u2028}\n"
        '{"review_id": "3", "content": "末\x85尾"}\n'.encode()
    )
    rows = list(read_rows(path))
    assert [str(r) for r in rows if isinstance(r, RowError)] == [
        "line 3: not valid JSON (Expecting property name enclosed in double quotes)"
    ]
    assert [(r.line, r.review_id, r.text) for r in rows if isinstance(r, ReviewRow)] == [
        (1, "1", "快递太慢\n而且包装破了"),
        (2, "2", "转义的\n分隔 也算"),
        (4, "3", "末\n尾"),
    ]
