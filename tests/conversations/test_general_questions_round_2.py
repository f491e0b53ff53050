"""Trial 9's pre-sale questions still taken for order requests: the one gate
(`is_policy_question`) reads a price, a spec, a gift card, the shop's carrier, an invoice or a
价保 asked before buying as a question, and a request about the shopper's own order as theirs."""

import pytest

from conversations.acknowledgement import is_policy_question
from conversations.reading import asks_in_general


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("白色M一件 灰色L一件 一共多少钱", "modify_order"),  # colours and sizes, no change asked
        ("这个台阶1.5厘米 扫地机上得去吗", "modify_order"),  # a height, not a day
        ("能帮忙附张生日卡不 送朋友的", "modify_order"),  # a question ending a clause
        ("洗地机要接下水不 我家阳台没地漏", "modify_order"),
        ("默认走哪家物流啊", "track_order"),  # how the shop ships
        ("你们发什么快递 江苏几天能到", "track_order"),
        ("付完款就能开票吗", "invoice"),
        ("买完一周内降价给补差价吗", "price_protection"),
        ("下单以后可以约个晚上送吗", "modify_order"),
        ("在吗 你们能发顺丰吗 明天想收到", "track_order"),  # whether the shop ships with one
        ("支持京东快递不", "track_order"),
        ("等不了 下周六婚礼 那黑色42今天拍 成都几天能到", "modify_order"),  # trial 27, T922
    ],
)
def test_a_question_before_buying_is_answered_without_an_order(text, intent):
    assert is_policy_question(text, intent)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("白色M能换成黑色L吗", "modify_order"),  # a change asked politely
        ("能不能周日再送", "modify_order"),
        ("放门口的快递柜行吗", "modify_order"),  # a place to leave the parcel
        ("我这单能附张卡片吗", "modify_order"),  # the order named
        ("我这单能开专票吗", "invoice"),
        ("我昨天买完就降价了 能补吗", "price_protection"),
        ("发的什么快递啊 到哪了", "track_order"),  # a parcel already sent
        ("快递到哪了呢", "track_order"),  # a question word alone: still the shopper's parcel
        ("啥时候发货呢", "track_order"),
        ("我这单能发顺丰吗", "track_order"),
        ("能改发顺丰吗", "modify_order"),  # a change of carrier asked
        ("我昨天拍的几天到", "track_order"),
    ],
)
def test_a_request_about_the_shoppers_own_order_still_asks_for_it(text, intent):
    assert not is_policy_question(text, intent)


@pytest.mark.parametrize("text", ["买完降价退差价吗", "下单就能开票吗", "发啥快递", "走什么物流"])
def test_a_purchase_as_a_condition_or_the_shops_carrier_is_asked_in_general(text):
    assert asks_in_general(text)


@pytest.mark.parametrize("text", ["我买完就降价了", "下单了能开票吗", "发的啥快递"])
def test_a_purchase_made_or_a_parcel_sent_is_not_asked_in_general(text):
    assert not asks_in_general(text)


def test_a_purchase_the_shopper_supposes_points_at_no_order():
    assert is_policy_question("要是我下单以后降价了 能补差价吗", "price_protection")
    assert not is_policy_question("我下单以后降价了 能补差价吗", "price_protection")
