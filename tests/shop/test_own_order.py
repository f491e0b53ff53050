"""One rule tells an invoice or 价保 question about the shopper's own order from a policy one."""

import pytest

from shop.own_order import OrderTopic, about_own_order, own_order_topic, topic_named

INVOICE, PRICE = OrderTopic.INVOICE, OrderTopic.PRICE_PROTECTION


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("发票开了没有啊", INVOICE),
        ("我的发票开了吗", INVOICE),
        ("发票好了没呀 等着报销", INVOICE),
        ("这单的发票寄了吗 有单号吗", INVOICE),
        ("发票还没收到 邮箱里也没有", INVOICE),
        ("帮我开个人抬头的发票", INVOICE),
        ("发票开成个人了 报销不了 能重开吗", INVOICE),
        ("下单忘了选发票 现在补开", INVOICE),
        ("开专票 公司是杭州悦达科技有限公司", INVOICE),
        ("订单6559797114710497要开电子发票 怎么弄", INVOICE),
        ("发漂开了没 急用", INVOICE),
        ("我买的降价了", PRICE),
        ("刚买就降价了能补差价吗", PRICE),
        ("前天买的耳机今天便宜了50 能退差价吗", PRICE),
        ("我前天买的热水器现在秒杀便宜一百 给补吗", PRICE),
        ("帮我申请一下价保 订单581902334617", PRICE),
        ("价保申请成功没", PRICE),
        ("我这单能价保吗", PRICE),
    ],
)
def test_a_question_about_the_shoppers_own_order_names_its_topic(text, topic):
    assert own_order_topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "能开发票吗？怎么开？",  # the FAQ's own question (its clarify button sends it)
        "买了之后降价了能补差价吗？",
        "我想问一下怎么开发票",
        "发票可以开吗",
        "能开专票吗",
        "发票多久能开好",
        "收货很久了还能开票吗",
        "可以补开发票吗",
        "价保多少天",
        "有价保吗",
        "秒杀的有价保吗",
        "直播间买的能价保吗",
        "用了券的能保价吗",
        "确认收货后还能价保吗",
        "降价了能退差价吗",
        "两个订单能合开一张发票吗",
        "我买了以后要是又降价了，能退差价吗？",  # trial 26, T893: before buying
    ],
)
def test_a_policy_question_is_left_to_the_faq(text):
    assert own_order_topic(text) is None


def test_the_faq_topic_names_the_topic_when_the_words_do_not():
    assert own_order_topic("我那单开了没", "invoice") == INVOICE
    assert own_order_topic("我那单开了没") is None
    assert own_order_topic("我那单开了没", "shipping_fee") is None


def test_a_dearer_carrier_or_exchange_is_no_price_drop():
    assert topic_named("我想改发顺丰要补多少差价") is None
    assert topic_named("换个大码要补差价吗") is None
    assert topic_named("降价了能退差价吗") == PRICE


def test_an_order_number_alone_makes_it_the_shoppers_order():
    assert about_own_order("6559797114710497 发票")
    assert not about_own_order("发票")
