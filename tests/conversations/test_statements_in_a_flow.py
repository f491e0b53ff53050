"""What a shopper says of their own situation inside a flow is read for what it means: a cancel
thought aloud is no cancel asked for, a change of mind keeps the order, and a card named is the
card they paid with."""

import pytest

from conversations.reading import TypedAnswer, answer_to_request, is_negated_request, keeps_it
from conversations.short_messages import names_payment_card, pays_by_credit, weighs_cancelling


@pytest.mark.parametrize(
    "words",
    ["要不取消算了……", "干脆退了得了", "实在不行就取消吧", "索性取消订单算了", "还不如退掉"],
)
def test_a_cancel_thought_aloud_is_weighing_it(words):
    assert weighs_cancelling(words)


@pytest.mark.parametrize(
    "words", ["那就取消吧", "不然我就取消了", "先不取消", "要不要取消啊", "帮我取消订单"]
)
def test_a_cancel_asked_threatened_or_refused_is_no_weighing(words):
    assert not weighs_cancelling(words)


@pytest.mark.parametrize(
    "words",
    [
        "其实我挺想要的 就是等太久了",
        "本来想退的 想了想还是留着吧",
        "那我再等等吧",
        "我还是想要这个",
        "算了 留着自己用吧",
        "其实还是想要的，就是太慢了",
    ],
)
def test_a_change_of_mind_keeps_the_order_and_answers_no_to_a_cancel(words):
    assert keeps_it(words)
    assert is_negated_request(words)
    assert answer_to_request(words, "cancel_order") == TypedAnswer.NO


@pytest.mark.parametrize(
    "words", ["还是取消吧", "我还是想要黑色的", "还是要L码", "留着干嘛 退了吧", "还是要取消"]
)
def test_a_cancel_or_a_variant_wanted_is_no_change_of_mind_to_keep(words):
    assert not keeps_it(words)


@pytest.mark.parametrize(
    "words", ["我不想再等几天了", "你让我再等等？都一周了", "还要我再等几天？", "不想继续等了"]
)
def test_a_wait_refused_or_asked_about_keeps_nothing(words):
    assert not keeps_it(words)
    assert answer_to_request(words, "cancel_order") != TypedAnswer.NO


@pytest.mark.parametrize(
    ("words", "card", "credit"),
    [
        ("我付的时候用的招行信用卡", "招行信用卡", True),
        ("当时刷的是建行储蓄卡", "建行储蓄卡", False),
        ("我绑的是信用卡", "信用卡", True),
        ("付款用的 工商银行 借记卡", "工商银行借记卡", False),
    ],
)
def test_the_card_a_shopper_paid_with_is_read_from_their_words(words, card, credit):
    assert names_payment_card(words) == card
    assert pays_by_credit(card) == credit


@pytest.mark.parametrize("words", ["支付宝付的", "我卡里没钱了吗", "退款到了没"])
def test_a_message_naming_no_card_names_none(words):
    assert names_payment_card(words) is None
