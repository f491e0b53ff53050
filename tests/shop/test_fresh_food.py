"""Fresh food that arrived bad: what the shopper says is bad, the claim said back, then kept."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from core.events import EventName
from shop.aftersales import delivered_at, refund_status
from shop.fresh_food import (
    BadShare,
    FreshClaimOpened,
    FreshClaimPending,
    FreshClaimToConfirm,
    FreshReportTooLate,
    chinese_number,
    fresh_claim_check,
    open_fresh_claim,
    read_bad_share,
    read_remedy,
)
from shop.logistics import NotDeliveredYet
from shop.models import AfterSaleKind, AfterSaleStatus
from shop.problem_policy import FreshRemedy
from tests.shop.conftest import demo_order


@pytest.mark.parametrize(
    ("messages", "share"),
    [
        (["一共12个 烂了4个"], BadShare(4, 12)),
        (["12个里有4个烂的"], BadShare(4, 12)),
        (["3个烂了 一共10个"], BadShare(3, 10)),
        (["一共十六个", "坏了4个"], BadShare(4, 16)),  # a later message completes the count
        (["4/16"], BadShare(4, 16)),
        (["坏了三个"], BadShare(3)),
        (["烂了一半"], BadShare(fraction=Fraction(1, 2))),
        (["三分之一都坏了"], BadShare(fraction=Fraction(1, 3))),
        (["大概30%是坏的"], BadShare(fraction=Fraction(3, 10))),
        (["两成坏的"], BadShare(fraction=Fraction(1, 5))),
        (["全烂了"], BadShare(fraction=Fraction(1))),
        (["橙子烂了好几个"], BadShare()),
        (["5704558530435205", "0483"], BadShare()),  # an order number and a tail count nothing
    ],
)
def test_what_the_shopper_says_is_bad_is_read_as_pieces_or_a_share(messages, share):
    assert read_bad_share(messages) == share


def test_a_share_is_only_known_when_the_pieces_add_up():
    assert BadShare(4, 16).share == Fraction(1, 4)
    assert BadShare(4, 16).percent == 25
    assert BadShare(3).share is None
    assert BadShare(20, 16).share is None  # more bad than there were


def test_chinese_numbers_are_read_like_digits():
    assert [chinese_number(n) for n in ("12", "十二", "两", "二十五", "一百", "好几")] == [
        12, 12, 2, 25, 100, None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("messages", "remedy"),
    [
        (["烂了3个"], FreshRemedy.PROPORTIONAL_REFUND),
        (["烂了3个 给我补发吧"], FreshRemedy.RESEND),
        (["补发吧", "算了还是退款吧"], FreshRemedy.PROPORTIONAL_REFUND),  # the latest wish
        (["退钱吧", "还是重发几个吧"], FreshRemedy.RESEND),
        (["退钱就行 不用补发"], FreshRemedy.PROPORTIONAL_REFUND),  # a remedy said with a no
        (["草莓烂了好几个", "给我要个新的吧 不要退钱"], FreshRemedy.RESEND),
        (["退钱吧 补发还得等好几天"], FreshRemedy.PROPORTIONAL_REFUND),  # its drawback said
        (["补发吧", "算了还是退钱吧 补发过来估计也这样"], FreshRemedy.PROPORTIONAL_REFUND),
        (["补发吧 退款太麻烦了"], FreshRemedy.RESEND),
        (["退款要等多久", "那就退款吧"], FreshRemedy.PROPORTIONAL_REFUND),
        # trial 27, T952 t6: a refund was registered
        (["补发就行 还是你们只能退钱"], FreshRemedy.RESEND),
        (["那就只能补发了"], FreshRemedy.RESEND),  # settled on, not asked
    ],
)
def test_the_remedy_is_the_one_the_shopper_asked_for_last(messages, remedy):
    assert read_remedy(messages) == remedy


def _within_hours(order, hours=2):
    return delivered_at(order) + timedelta(hours=hours)


def test_a_known_share_is_refunded_in_proportion_to_what_the_fresh_items_cost(db):
    order = demo_order(db, "fresh_delivered")
    checked = fresh_claim_check(order, _within_hours(order), ["橙子烂了", "一共16个 坏了4个"])
    assert isinstance(checked, FreshClaimToConfirm)
    paid = sum(i.unit_price * i.quantity for i in order.items)
    assert checked.paid == paid
    assert checked.refund == (paid / 4).quantize(Decimal("0.01"))
    assert (checked.remedy, checked.percent, checked.other_remedy) == (
        FreshRemedy.PROPORTIONAL_REFUND, 25, FreshRemedy.RESEND,
    )  # fmt: skip
    assert checked.refund_channel == order.payment_method


def test_without_a_share_a_person_sets_the_refund_from_the_photo(db):
    order = demo_order(db, "fresh_delivered")
    checked = fresh_claim_check(order, _within_hours(order), ["橙子烂了好几个"])
    assert isinstance(checked, FreshClaimToConfirm)
    assert checked.refund is None
    assert checked.percent is None


def test_checking_a_claim_records_nothing(db, recorded):
    order = demo_order(db, "fresh_delivered")
    before = len(order.after_sales)
    fresh_claim_check(order, _within_hours(order), ["全烂了"])
    assert len(order.after_sales) == before
    assert recorded(EventName.FRESH_CLAIM_OPENED) == []


def test_after_the_policys_hours_a_person_decides(db):
    order = demo_order(db, "fresh_delivered")
    checked = fresh_claim_check(order, _within_hours(order, 25), ["全烂了"])
    assert isinstance(checked, FreshReportTooLate)
    assert checked.within_hours == 24


def test_fresh_food_not_delivered_yet_has_no_claim(db):
    order = demo_order(db, "in_transit")
    assert isinstance(fresh_claim_check(order, _within_hours(demo_order(db, "fresh_delivered")),
                                        ["烂了"]), NotDeliveredYet)  # fmt: skip


def test_a_confirmed_refund_is_an_after_sale_request_a_person_checks_and_an_event(db, recorded):
    order = demo_order(db, "fresh_delivered")
    now = _within_hours(order)
    opened = open_fresh_claim(db, order, now, ["一共16个 坏了4个"], conversation_id="c-fresh")
    assert isinstance(opened, FreshClaimOpened)
    claim = order.after_sales[-1]
    assert (claim.kind, claim.status) == (AfterSaleKind.REFUND_ONLY, AfterSaleStatus.REQUESTED)
    assert claim.amount == opened.refund
    assert claim.reason.startswith("生鲜坏果 4/16")
    [event] = recorded(EventName.FRESH_CLAIM_OPENED)
    assert (event.order_no, event.cause, event.conversation_id) == (
        order.order_no, "proportional_refund", "c-fresh",
    )  # fmt: skip
    assert event.value == opened.refund
    assert event.payload["set_by_person"] is False


def test_a_resend_is_no_refund_and_a_second_claim_is_told_the_first_waits(db, recorded):
    order = demo_order(db, "fresh_delivered")
    now = _within_hours(order)
    opened = open_fresh_claim(db, order, now, ["坏了3个 补发"])
    assert isinstance(opened, FreshClaimOpened)
    assert opened.remedy == FreshRemedy.RESEND
    assert order.after_sales[-1].kind == AfterSaleKind.RESEND
    assert refund_status(order, now).status is None  # a resend returns no money
    again = open_fresh_claim(db, order, now, ["又坏了两个"])
    assert isinstance(again, FreshClaimPending)
    assert len(recorded(EventName.FRESH_CLAIM_OPENED)) == 1


def test_a_very_long_message_is_cut_to_the_reasons_length(db):
    order = demo_order(db, "fresh_delivered")
    open_fresh_claim(db, order, _within_hours(order), ["烂了" * 300])
    assert len(order.after_sales[-1].reason) == 200


@pytest.mark.parametrize(
    ("messages", "share"),
    [
        # some bad without a number, then one more: how many is not known (never "1")
        (["打开好几个烂的 还有一个压扁了"], BadShare()),
        (["橙子烂了一些 另外有个压扁了"], BadShare()),
        # a further count adds to the one said before; a plain count replaces it
        (["坏了3个", "还有一个压扁了"], BadShare(4)),
        (["烂了两个", "又发现一个坏的"], BadShare(3)),
        (["坏了三个", "不对 是坏了五个"], BadShare(5)),
        # an approximate total is its number, said as approximate
        (["好几个烂的", "一箱大概二十来个 坏了5个"], BadShare(5, 20, rough_total=True)),
        (["差不多30个 烂了6个"], BadShare(6, 30, rough_total=True)),
        (["一共十几个", "坏了三个"], BadShare(3, 15, rough_total=True)),
        (["总共三十个左右 烂了六个"], BadShare(6, 30, rough_total=True)),
        (["一共二十个 坏了5个"], BadShare(5, 20)),  # exact: not approximate
        # a total led in with 也就, 就是 (T805 t3, trial 24: the total was not read)
        (["烂了6个吧 一箱也就二十来个"], BadShare(6, 20, rough_total=True)),
        (["总共也就15个 坏了3个"], BadShare(3, 15)),
    ],
)
def test_counts_added_and_approximate_totals_are_read_as_said(messages, share):
    assert read_bad_share(messages) == share


def test_an_approximate_total_is_said_back_as_approximate(db):
    from words.render import say

    order = demo_order(db, "fresh_delivered")
    now = delivered_at(order) + timedelta(hours=2)
    check = fresh_claim_check(order, now, ["好几个烂的 还有一个压扁了", "一箱大概二十来个 坏了5个"])
    words = say(check)
    assert "大约20个里坏了5个" in words
    assert "坏了1个" not in words
    first = say(fresh_claim_check(order, now, ["好几个烂的 还有一个压扁了"]))
    assert "坏了1个" not in first
    assert "坏了几个" in first
