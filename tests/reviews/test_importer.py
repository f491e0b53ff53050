"""Platform exports are read by the column map; bad rows are reported by line, the rest read."""

import pytest

from reviews.importer import ImportFileError, ReviewRow, RowError, read_rows


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
