"""Public replies: they quote the reviewer only where that is safe, name the problem, pass the
checker, and vary across similar reviews."""

from collections import Counter

import pytest

from reviews.causes import ReviewCause, ReviewSubCause
from reviews.drafting import draft_reply
from reviews.replies import quotable_issue, reply_facts
from reviews.reply_check import check_reply
from words.replies import reply_text


@pytest.mark.parametrize(
    ("clause", "quoted"),
    [
        ("但是屏幕有一道划痕啊！！", "屏幕有一道划痕"),
        ("快递五天才到😡", "快递五天才到"),
        ("就是用了两天就不好用了", "用了两天就不好用了"),
        ("客服态度挺好的", None),  # praise is never quoted as the problem
        ("垃圾东西", None),  # abuse is not repeated in public
        ("联系我13812345678", None),  # neither is anything like a number
        ("差", None),  # too short to read as a quote
        ("这是我在网上买过的质量最差而且售后也一直拖着不处理的一次购物", None),  # too long
    ],
)
def test_only_a_short_clean_complaint_is_quoted(clause, quoted):
    assert quotable_issue(clause) == quoted


def facts(label: str, issue: str | None = None, seed: int = 1, **kw):
    cause = label.partition(".")[0]
    subs = [label] if "." in label else []
    evidence = {cause: issue} if issue else {}
    return reply_facts([cause], subs, evidence, kw.get("product"), kw.get("contact", True), seed)


def test_a_reply_quotes_the_reviewers_own_words_and_names_the_product():
    text = reply_text(facts("logistics.slow", "快递五天才到", product="保温杯"))
    assert "快递五天才到" in text


@pytest.mark.parametrize("label", [*ReviewSubCause, *ReviewCause])
@pytest.mark.parametrize("issue", [None, "屏幕有一道划痕"])
@pytest.mark.parametrize("contact", [True, False])
def test_every_draft_passes_the_checker(label, issue, contact):
    for seed in range(1, 30):
        text = reply_text(facts(label.value, issue, seed, contact=contact, product="这款耳机"))
        assert check_reply(text, "taobao") == [], text


def test_a_second_cause_is_acknowledged_too():
    both = reply_facts(
        ["product", "logistics"], ["product.defect", "logistics.slow"], {}, None, True, 3
    )
    assert both.also == "logistics.slow"


def test_fifty_replies_to_similar_reviews_are_all_different_and_spread_their_sentences():
    replies = [reply_text(facts("product.defect", None, seed)) for seed in range(1, 51)]
    assert len(set(replies)) == 50
    sentences = Counter(s for r in replies for s in r.split("。") if s)
    most = sentences.most_common(1)[0][1]
    assert most <= 7, sentences.most_common(3)


def test_a_quote_the_checker_refuses_is_left_out_of_the_reply():
    refused = facts("product.poor_quality", "用了两天就不好用了")
    bad = refused.__class__(**{**refused.__dict__, "issue": "质量最差的一次"})
    draft = draft_reply(bad)
    assert draft.violations == ()
    assert "最差" not in draft.text


def test_the_reply_acknowledges_the_problem_its_offer_is_for():
    both = reply_facts(
        ["logistics", "product"],
        ["logistics.slow", "product.fake"],
        {"logistics": "快递五天才到", "product": "味道和专柜的不一样"},
        None,
        True,
        1,
    )
    assert (both.label, both.issue, both.also) == (
        "product.fake",
        "味道和专柜的不一样",
        "logistics.slow",
    )


def test_a_quote_keeps_the_reviewers_own_characters():
    assert quotable_issue("屏幕有划痕，ＡＰＰ打不开") == "屏幕有划痕，ＡＰＰ打不开"


@pytest.mark.parametrize("clause", ["快递员张伟态度很差", "客服王芳态度很差", "王先生说没货"])
def test_a_clause_that_names_a_person_is_never_quoted(clause):
    assert quotable_issue(clause) is None
