"""The need a shopper's earlier messages told, re-read once they name their order."""

import pytest

from conversations.needs import Need, need_told, need_told_before
from shop.problems import ProblemKind


@pytest.mark.parametrize(
    "text",
    ["我女儿在你们这下的单 快一个礼拜了一点消息都没动静", "包裹一直停在中转站 好多天了"],
)
def test_a_parcel_that_has_not_moved_tells_its_delay(text):
    told = need_told(text)
    assert told is not None
    assert told.problem == ProblemKind.LATE
    assert told.described


@pytest.mark.parametrize("text", ["我上个月买的电饭煲 现在出了点问题", "这个耳机有毛病 左边没声"])
def test_a_fault_with_the_item_tells_its_repair(text):
    told = need_told(text)
    assert told is not None
    assert told.need == Need.REPAIR
    assert told.described


def test_a_fault_after_use_is_the_quality_problem_it_describes():
    told = need_told("买的卷发棒 用了三次就不出热风了")
    assert told is not None
    assert told.problem == ProblemKind.QUALITY_DEFECT


def test_a_fault_word_about_the_parcel_is_its_delay_not_a_repair():
    told = need_told("快递是不是出状况了")
    assert told is not None
    assert told.need == Need.DELAY


@pytest.mark.parametrize(
    "text", ["上礼拜459拍的 今天只要419了 这40能退我不", "我买完就降了六十 能补吗"]
)
def test_a_price_paid_above_the_price_now_tells_price_protection(text):
    told = need_told(text)
    assert told is not None
    assert told.need == Need.PRICE_PROTECTION
    assert not told.described


def test_a_question_asked_tells_its_need_without_describing_a_problem():
    told = need_told("这个电水壶保修几年")
    assert told is not None
    assert told.need == Need.REPAIR
    assert not told.described


@pytest.mark.parametrize("text", ["你好", "在不在", "我帮我妈问点事", "帮我查一下", "/greet"])
def test_greetings_and_bare_asks_tell_nothing(text):
    assert need_told(text) is None


def test_a_threat_is_no_need_told():
    assert need_told("明天再不到我就取消订单") is None


def test_the_latest_message_that_tells_a_need_is_the_one_re_read():
    messages = ["能开发票吗", "东西箱子都压扁了", "等下我找找订单"]
    told = need_told_before(messages)
    assert told is not None
    assert told.need == Need.DAMAGED


def test_earlier_messages_that_tell_nothing_tell_no_need():
    assert need_told_before(["你好", "请问一下", "我找下订单号"]) is None
