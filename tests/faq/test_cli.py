"""`python -m faq ask` prints the API's JSON, one line per question in batch mode."""

import json

from faq.__main__ import main


def test_ask_prints_the_search_json(seeded_at, capsys):
    assert main(["ask", "退款多久能到账", "-k", "2"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["results"][0]["id"] == "refund_time"
    assert len(body["results"]) == 2


def test_batch_writes_one_json_line_per_question(seeded_at, tmp_path, capsys):
    questions = tmp_path / "questions.txt"
    questions.write_text("能开发票吗\n\n支持花呗分期吗\n", encoding="utf-8")
    assert main(["ask", "--batch", str(questions)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert json.loads(lines[0])["results"][0]["id"] == "invoice"
    assert json.loads(lines[1]) == {"results": [], "answered": False}
    assert json.loads(lines[2])["results"][0]["id"] == "payment_methods"


def test_a_missing_batch_file_is_a_clear_error(seeded_at, tmp_path, capsys):
    assert main(["ask", "--batch", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
