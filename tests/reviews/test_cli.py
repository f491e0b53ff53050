"""`python -m reviews analyze` writes one JSON line per review; `import` is idempotent."""

import json
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from core.settings import get_settings
from reviews.__main__ import main
from reviews.models import Review

KEYS = {"id", "negative", "negative_score", "causes", "sub_causes", "severity", "evidence"}


@pytest.fixture
def setenv(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Sets an environment variable that the settings read (get_settings is cached, so the
    cache is cleared after each change and at the end)."""

    def set_(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_
    get_settings.cache_clear()


def test_analyze_writes_one_json_line_per_review(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,text,rating,product_id\n1,快递太慢了，等了一周,5,p1\n2,很好，很喜欢,5,p1\n3,,,\n4,😡,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(source), "--out", str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["1", "2", "3", "4"]
    assert all(set(x) == KEYS for x in lines)
    assert lines[0]["negative"]
    assert lines[0]["causes"] == ["logistics"]
    assert not lines[1]["negative"]
    assert not lines[2]["negative"]
    assert isinstance(lines[0]["negative_score"], float)
    assert set(lines[0]["severity"]) == {"level", "reasons"}


def test_process_drafts_an_offer_and_a_checked_reply_for_each_negative_review(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,text,rating,商品名称\n"
        "1,收到的苹果烂了好几个,1,烟台苹果\n"
        "2,很好，很喜欢,5,烟台苹果\n"
        "3,快递太慢了，等了一周,2,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["process", str(source), "--out", str(out)]) == 0
    rotten, liked, late = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert set(rotten) == KEYS | {"offer", "reply"}
    assert (liked["offer"], liked["reply"]) == (None, None)
    assert rotten["offer"]["remedy"] == "partial_refund"
    assert rotten["offer"]["amount"] is None  # no order: the share is confirmed with the buyer
    assert rotten["offer"]["needs_approval"] is True
    assert rotten["offer"]["why"]
    assert {"remedy", "amount", "needs_approval", "why"} <= set(late["offer"])
    assert (late["offer"]["remedy"], late["offer"]["amount"]) == ("coupon", 5.0)
    assert late["reply"]["violations"] == []
    assert "烟台苹果" in rotten["reply"]["text"] or "烂了好几个" in rotten["reply"]["text"]
    assert rotten["reply"]["text"] != late["reply"]["text"]


def test_analyze_reads_a_gbk_export_and_its_follow_up_text(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("id,text,追评\n7,挺好的,用了三天就坏了\n".encode("gbk"))
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(source), "--out", str(out)]) == 0
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == "7"
    assert line["negative"]  # the complaint is in the follow-up


def test_analyze_needs_a_text_column(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("编号,评分\n1,5\n", encoding="utf-8")
    assert main(["analyze", str(source)]) == 2
    assert "no review text column" in capsys.readouterr().err


def test_analyze_reads_a_review_over_several_lines_as_the_importer_does(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('评价ID,评价内容\n9,"质量很好\n快递太慢了"\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(source), "--out", str(out)]) == 0
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == "9"
    assert "质量很好" not in "".join(line["evidence"]["logistics"])  # the praise stays apart


def test_importing_the_same_file_twice_stores_nothing_twice(db, tmp_path, capsys):
    """Each import commits its batches in units of work; `db` rolls them back after the test."""
    source = tmp_path / "export.csv"
    source.write_text(
        "评价ID,评分,评价内容\ncli-1,1,发错货了\ncli-2,5,很好\ncli-3,七,坏行\ncli-4,3,一般般\n",
        encoding="utf-8",
    )
    assert main(["import", str(source), "--platform", "cli-test"]) == 1
    captured = capsys.readouterr()
    assert "line 4:" in captured.err
    assert json.loads(captured.out)["stored"] == 3
    assert main(["import", str(source), "--platform", "cli-test"]) == 1
    second = json.loads(capsys.readouterr().out)
    assert (second["stored"], second["duplicates"]) == (0, 3)
    query = select(func.count()).where(Review.platform == "cli-test")
    assert db.scalar(query.select_from(Review)) == 3


def test_evaluate_and_train_say_clearly_when_the_shared_data_is_absent(tmp_path, setenv, capsys):
    setenv("REVIEWS_DATA_DIR", str(tmp_path / "nowhere"))
    assert main(["evaluate"]) == 2
    assert "shared review data is not on this machine" in capsys.readouterr().err
    assert main(["train", "--out", str(tmp_path / "model")]) == 2
    assert "cannot train" in capsys.readouterr().err


def test_train_from_a_small_rated_export_is_refused_with_a_reason(tmp_path, capsys):
    export = tmp_path / "mine.csv"
    export.write_text("评价ID,评分,评价内容\n1,5,好\n2,1,差\n", encoding="utf-8")
    assert main(["train", "--from", str(export), "--out", str(tmp_path / "m")]) == 2
    assert "at least 20 rated reviews" in capsys.readouterr().err
