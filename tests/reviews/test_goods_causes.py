"""The goods-causes evaluation joins hand labels to reviews by key and scores causes per class."""

import json
from pathlib import Path

import pytest

from reviews.analysis import get_analyser
from reviews.evaluation import (
    evaluate_goods_causes,
    evaluate_negative_read,
    goods_cause_lines,
    join_by_key,
    load_cause_labels,
    review_key,
    score_causes,
)

SAMPLE = Path(__file__).with_name("fixtures") / "goods_causes_sample.jsonl"
# The held-out "split" of this test: the labelled reviews of the sample, one unlabelled review,
# and not the review whose label has no text.
TEXTS = [
    "快递太慢了，等了一个星期才到",
    "客服态度太差了，问了半天不回",
    "刚买就降价了，衣服还起球",
    "很好用，下次还来",
    "一条没有标注的评论",
]


def test_the_key_is_the_sha1_prefix_of_the_utf8_text():
    assert review_key("abc") == "a9993e364706816a"
    assert len(review_key("快递太慢了")) == 16


def test_labels_join_to_texts_by_key_and_only_negatives_count():
    joined, unmatched = join_by_key(load_cause_labels(SAMPLE), TEXTS)
    assert [text for text, _ in joined] == TEXTS[:3]
    assert joined[0][1]["causes"] == ["logistics"]
    assert unmatched == 1


def test_causes_are_scored_per_class_and_sub_causes_by_micro_average():
    gold = [
        {"causes": ["logistics"], "sub_causes": ["logistics.slow"]},
        {"causes": ["service", "price"], "sub_causes": ["service.attitude", "price.overpriced"]},
    ]
    found = [(["logistics"], ["logistics.slow"]), (["service", "product"], ["service.attitude"])]
    table = score_causes(gold, {"ours": found})
    assert table["logistics"]["ours"]["f1"] == 1.0
    assert table["price"]["support"] == 1
    assert table["price"]["ours"]["recall"] == 0.0
    assert table["product"]["ours"]["precision"] == 0.0
    micro = table["sub_causes (micro)"]["ours"]
    assert micro["precision"] == 1.0
    assert micro["recall"] == pytest.approx(2 / 3)


def test_the_evaluation_scores_ours_beside_the_baseline_on_the_joined_reviews():
    def every_review_is_product(texts):
        return [(["product"], []) for _ in texts]

    table, joined, unmatched = evaluate_goods_causes(
        get_analyser(), SAMPLE, TEXTS, every_review_is_product
    )
    assert (joined, unmatched) == (3, 1)
    assert table["logistics"]["ours"]["f1"] == 1.0
    assert table["service"]["ours"]["f1"] == 1.0
    assert table["logistics"]["baseline"]["recall"] == 0.0
    lines = goods_cause_lines(table, joined, unmatched)
    assert "3 reviews" in lines[0]
    assert "1 labels without a matching review" in lines[0]
    assert any(line.startswith("| logistics | 1 |") for line in lines)


def test_negative_f1_against_people_weights_each_read_review_by_what_it_stands_for(tmp_path):
    read = tmp_path / "read.jsonl"
    lines = [  # the analyser's verdicts: 快递太慢 negative, 很好用 not
        {"key": review_key("快递太慢了，等了一个星期才到"), "weight": 10.0, "negative": True},
        {"key": review_key("很好用，下次还来"), "weight": 10.0, "negative": True},  # missed
        {"key": review_key("客服态度太差了，问了半天不回"), "weight": 1.0, "negative": True},
        {"key": review_key("不在这次的评论里"), "weight": 1.0, "negative": False},
    ]
    read.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    scores = evaluate_negative_read(get_analyser(), TEXTS, read, draws=50)
    assert scores["n"] == 3
    assert scores["precision"] == 1.0
    assert scores["recall"] == pytest.approx(11 / 21)  # the miss weighs ten reviews
    assert scores["low"] <= scores["f1"] <= scores["high"]
