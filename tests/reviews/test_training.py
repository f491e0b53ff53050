"""The cause model learns from hand-labelled reviews: one score per label, 0 the decision."""

import itertools

import numpy as np

from reviews.training import MIN_POSITIVES, LabelledReview, lexicon_labels, train_causes

SLOW = ["等了{}天才到", "物流{}天了还没动", "快递太慢，{}天", "发货拖了{}天"]
BROKEN = ["用了{}天就坏了", "屏幕{}天后不亮了", "开机{}次就死机", "第{}天就打不开了"]
RUDE = ["客服态度差，问了{}遍", "找客服{}次没人理", "售后推了{}次", "客服骂人，说了{}句"]


def _reviews() -> list[LabelledReview]:
    made = []
    for n, (slow, broken, rude) in enumerate(itertools.product(SLOW, BROKEN, RUDE)):
        made.append(LabelledReview(slow.format(n), frozenset({"logistics", "logistics.slow"})))
        made.append(LabelledReview(broken.format(n), frozenset({"product", "product.defect"})))
        made.append(LabelledReview(rude.format(n), frozenset({"service"})))
    return made


def test_each_label_with_enough_reviews_gets_a_score_and_a_tuned_threshold():
    model, thresholds = train_causes(_reviews())
    assert set(model.labels) == {
        "logistics",
        "logistics.slow",
        "product",
        "product.defect",
        "service",
    }
    assert set(thresholds) == set(model.labels)
    assert all(0 < t < 1 for t in thresholds.values())


def test_a_score_of_zero_is_the_decision():
    model, _ = train_causes(_reviews())
    scores = model.scores(["快递太慢，九天", "找客服九次没人理"])  # unseen, like the labelled
    found = [
        {label for label, s in zip(model.labels, row, strict=True) if s >= 0} for row in scores
    ]
    assert "logistics" in found[0]
    assert "service" not in found[0]
    assert "service" in found[1]
    assert "logistics" not in found[1]


def test_a_label_with_too_few_reviews_is_left_to_the_lexicon():
    rare = [LabelledReview("降价了", frozenset({"price", "price.price_drop"}))] * (
        MIN_POSITIVES - 1
    )
    model, _ = train_causes(_reviews() + rare)
    assert "price" not in model.labels
    assert np.isfinite(model.bias).all()


def test_the_lexicon_reads_causes_and_their_sub_causes():
    assert lexicon_labels(["快递太慢了，质量很好"]) == [{"logistics", "logistics.slow"}]
