"""Past the 7-day no-reason window, the answer says what remains: a quality return while its
own window (15 days) is open; once that has closed too, the product's own warranty (repair), or
nothing when it has none or it has passed. Never "仍然可以申请售后" after every window closed
(trial 10, T279)."""

from datetime import timedelta

from shop import aftersales
from shop.aftersales import ReturnRule, WarrantyRule
from shop.order_terms import TermsTopic, policy_in_order_terms
from tests.shop.conftest import demo_order
from words.render import day_text, say


def test_a_book_signed_25_days_ago_is_past_the_no_reason_window_misprints_go_back_any_time(
    db, seeded_at
):
    # the books' own rule takes printing faults back at any time (trial 28, T990: "the quality
    # window has passed too" contradicted it)
    order = demo_order(db, "not_returnable", which=-1)  # a book, no warranty
    window = aftersales.return_window(order, seeded_at)
    assert (window.rule, window.quality_any_time) == (ReturnRule.EXPIRED, True)
    text = say(window)
    assert "七天无理由退换的期限已经过了" in text
    assert "不限时间包换" in text
    assert "也已经过了" not in text
    assert "保修" not in text


def test_a_return_asked_ten_days_after_signing_still_has_the_quality_window(db, seeded_at):
    order = demo_order(db, "returnable")  # signed 3 days ago
    window = aftersales.return_window(order, seeded_at + timedelta(days=7))
    assert (window.rule, window.quality_open) == (ReturnRule.EXPIRED, True)
    text = say(window)
    assert "如果是质量问题" in text
    assert "仍然可以申请质量问题退换" in text
    assert window.quality_deadline is not None
    assert day_text(window.quality_deadline) in text
    assert "保修" not in text


def test_a_device_past_both_windows_still_under_warranty_is_offered_the_repair(db, seeded_at):
    order = demo_order(db, "in_warranty")  # electronics signed two months ago
    window = aftersales.return_window(order, seeded_at)
    assert [w.rule for w in window.warranties] == [WarrantyRule.COVERED]
    text = say(window)
    assert "也已经过了" in text
    assert "还在保修期内" in text
    assert "免费维修" in text
    assert "“保修”" in text
    assert "仍然可以" not in text


def test_a_device_past_its_warranty_too_is_told_so_and_offered_no_repair(db, seeded_at):
    order = demo_order(db, "out_of_warranty")  # signed 13 months ago, one-year warranty
    text = say(aftersales.return_window(order, seeded_at))
    assert "保修期到" in text
    assert text.count("也已经过了") == 2
    assert "免费维修" not in text
    assert "仍然可以" not in text


def test_the_postage_past_both_windows_promises_no_free_quality_return(db, seeded_at):
    order = demo_order(db, "not_returnable")
    terms = policy_in_order_terms(order, TermsTopic.RETURN_SHIPPING, seeded_at)
    assert terms is not None
    assert "运费由我们承担" not in say(terms)
