"""The part of an answer a follow-up asks about (conversations.parts_asked)."""

import pytest

from conversations.parts_asked import answering_part, asks_something, sentences_of

# Entries of a made-up shop, written for these tests.
GIFT_WRAP = (
    "每个订单都可以免费加一张手写卡片，在备注里写上祝福语就行，最多40个字。"
    "礼盒包装另收8元，结算页勾选「礼盒包装」即可。"
    "寄给别人的包裹里不放购物小票；发票只发到下单人的邮箱。"
)
POINTS = (
    "会员每消费1元积1分，订单签收7天后到账。"
    "下单时每200分可以当1元用，最多抵订单金额的三成。"
    "积分在获得后第二年的6月30日过期。"
)
REPAIR = (
    "小家电整机保修一年，电机保修三年。"
    "保修期内的维修不收费，寄修的来回运费由本店承担。"
    "维修一般在收到机器后5个工作日内完成并寄回。"
)


@pytest.mark.parametrize(
    ("said", "question", "expected", "left_out"),
    [
        (POINTS, "下单的时候积分能抵钱不", "当1元用", "6月30日"),
        (POINTS, "分会不会过期啊", "6月30日过期", "三成"),
        (GIFT_WRAP, "礼盒要加钱吗", "另收8元", "祝福语"),
        (GIFT_WRAP, "小票会不会放进去", "不放购物小票", "礼盒"),
        (REPAIR, "电机坏了也保吗", "电机保修三年", "运费"),
        (REPAIR, "修好要几天", "5个工作日", "电机"),
        (REPAIR, "寄过去的快递费谁出", "运费由本店承担", "电机"),
    ],
)
def test_a_follow_up_on_one_part_gets_the_sentence_that_answers_it(
    said, question, expected, left_out
):
    part = answering_part(said, question)
    assert part is not None
    assert expected in part
    assert left_out not in part


@pytest.mark.parametrize(
    ("said", "question"),
    [
        (GIFT_WRAP, "能寄到国外吗"),
        (REPAIR, "能上门修吗 我搬不动"),
        (POINTS, "8天了怎么回事"),  # a figure of the shopper's points to no sentence
    ],
)
def test_a_follow_up_the_answer_does_not_speak_of_gets_no_part(said, question):
    assert answering_part(said, question) is None


def test_a_follow_up_that_every_sentence_answers_alike_gets_no_part():
    said = "退货运费由买家承担。换货运费由买家承担。"
    assert answering_part(said, "运费谁出") is None


def test_a_part_is_whole_sentences_never_cut_and_a_clause_ends_as_a_sentence():
    part = answering_part(GIFT_WRAP, "小票会不会放进去")
    assert part == "寄给别人的包裹里不放购物小票。"
    assert "…" not in part


def test_an_answer_is_split_into_its_sentences_and_clauses():
    assert sentences_of(GIFT_WRAP) == [
        "每个订单都可以免费加一张手写卡片，在备注里写上祝福语就行，最多40个字。",
        "礼盒包装另收8元，结算页勾选「礼盒包装」即可。",
        "寄给别人的包裹里不放购物小票；",
        "发票只发到下单人的邮箱。",
    ]


@pytest.mark.parametrize(
    ("text", "asks"),
    [("积分能当钱用不", True), ("明天几点有人", True), ("礼盒要加钱吗", True), ("家里没人", False)],
)
def test_a_follow_up_asks_something_when_it_is_a_question_of_any_form(text, asks):
    assert asks_something(text) is asks
