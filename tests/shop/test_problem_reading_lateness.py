"""Lateness read in the shopper's plain words: not shipped (还不发, 没发货), not arriving or not
moving (咋还没到, 怎么还没动), a hurry (快点, 催一下) — and what is none: no hurry
(不急 不用催), a hold asked for (先不发货), a condition asked about (没发货的话能取消吗), a
hurry about a refund."""

import pytest

from conversations.needs import Need, need_told
from shop.problems import ProblemKind, declines_chase, is_late, read_problem


@pytest.mark.parametrize(
    "text",
    [
        "拍了三天了怎么还不发",
        "怎么还不发货啊",
        "都五天了还没发货",
        "你们到底发不发货",
        "再不发货我就取消了",
        "能不能快点 周六之前必须到",
        "快点发吧 等着用",
        "帮我催一下",
        "咋还没到",
        "物流怎么还没动",
    ],
)
def test_a_shopper_who_complains_the_order_is_late_in_plain_words_is_read_as_late(text):
    assert ProblemKind.LATE in read_problem(text).kinds
    assert not declines_chase(text)


@pytest.mark.parametrize(
    "text",
    [
        "不急 不用催",
        "不用催了 我就问问",
        "别催了 慢慢来",
        "我不着急的",
    ],
)
def test_a_shopper_who_says_there_is_no_hurry_complains_of_nothing(text):
    assert ProblemKind.LATE not in read_problem(text).kinds
    assert declines_chase(text)


@pytest.mark.parametrize(
    "text",
    [
        "没发货的话能取消吗",
        "没发货前能改地址吗",
        "没发货可以退款吗",
        "先不发货 我地址要改",
        "暂时不发货可以吗",
    ],
)
def test_not_shipped_as_a_condition_or_a_hold_asked_for_is_no_complaint(text):
    assert not is_late(text)


@pytest.mark.parametrize(
    "text",
    ["快点给我退款", "退款能不能快点", "快点回复我", "换货能快点处理吗"],
)
def test_a_hurry_about_a_refund_an_exchange_or_a_reply_is_not_about_the_parcel(text):
    assert not is_late(text)


@pytest.mark.parametrize("text", ["发票还没发", "没发票吗", "我还没发照片", "不要发错了"])
def test_an_invoice_a_photo_or_a_wrong_item_not_sent_is_not_a_late_order(text):
    assert not is_late(text)


def test_lateness_said_with_no_hurry_is_still_lateness_but_declines_a_chase():
    text = "还没到 不过不急 不用催"
    assert ProblemKind.LATE in read_problem(text).kinds
    assert declines_chase(text)


@pytest.mark.parametrize(
    "text", ["杯子到了 盖子凹进去一块 弹盖按不动了", "瓶盖拧不动", "开关推不动"]
)
def test_a_part_that_will_not_move_is_no_parcel_that_will_not(text):
    # trial 19, T605: a dented cup was met with 包裹迟迟没到
    assert ProblemKind.LATE not in read_problem(text).kinds
    assert need_told(text) is None or need_told(text).need != Need.DELAY


def test_a_parcel_that_will_not_move_is_still_late():
    assert ProblemKind.LATE in read_problem("快递四天不动了").kinds
    assert need_told("快递四天不动了").need == Need.DELAY
