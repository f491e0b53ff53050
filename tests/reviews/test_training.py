"""Weak aspect labels come from the cue lexicon, one cause per clause, capped per label."""

from reviews.training import weak_aspect_examples, weak_label


def test_weak_labels_are_coarse_except_for_product():
    assert weak_label("logistics.slow") == "logistics"
    assert weak_label("price.price_drop") == "price"
    assert weak_label("product.defect") == "product.defect"


def test_clauses_with_one_cue_become_examples_and_praise_does_not():
    texts, labels = weak_aspect_examples(["快递太慢了，质量很好", "客服不理人", "衣服掉色，还贵"])
    pairs = set(zip(texts, labels, strict=True))
    assert pairs == {
        ("快递太慢了", "logistics"),
        ("客服不理人", "service"),
        ("衣服掉色", "product.poor_quality"),
        ("还贵", "price"),
    }


def test_each_label_is_capped_by_a_reproducible_sample():
    reviews = [f"等了{n}天才到" for n in range(2, 9)]
    first = weak_aspect_examples(reviews, per_label=3)
    assert first[1] == ["logistics"] * 3
    assert weak_aspect_examples(reviews, per_label=3) == first
