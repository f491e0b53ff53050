"""A question in general terms reports nothing and asks for no order: one gate
(`is_policy_question`) for every order request, and the invoice's own-order rule."""

import pytest

from conversations.acknowledgement import is_policy_question
from conversations.reading import asks_in_general, says_no_order
from shop.own_order import OrderTopic, own_order_topic


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("要是买回来插上没反应 可以退吗", "request_return_exchange"),
        ("买了尺码小了能换大一号吗", "request_return_exchange"),
        ("买了以后用不了 给修吗", "request_repair"),
        ("还没付款的单子直接取消的呢 钱多久回来", "cancel_order"),
        ("没发货的订单也能取消吗", "cancel_order"),
        ("可以走韵达吗 顺丰运费有点高", "modify_order"),
        ("下单后还能改收货地址吗", "modify_order"),
        ("万一路上压坏了怎么处理", "report_damaged_item"),
        ("假如快递弄丢了你们管吗", "report_lost_parcel"),
        ("还没下单 先问问坏了能退不", "report_damaged_item"),
        ("一般退款多久到账", "ask_refund_status"),
    ],
)
def test_a_question_in_general_terms_is_answered_without_an_order(text, intent):
    assert is_policy_question(text, intent)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我昨天买的电水壶插上没反应 能退吗", "request_return_exchange"),  # their purchase
        ("帮我把订单取消了", "cancel_order"),
        ("我要换货", "request_return_exchange"),
        ("能不能改一下收货地址", "modify_order"),  # a change asked politely
        ("订单地址写错了 能改吗", "modify_order"),
        ("收到的碗碎了两个 咋整", "report_damaged_item"),  # a report
        ("我的包裹五天没更新了", "report_delivery_delay"),
        # general words beside a problem said to have happened: the shopper's own order
        ("快递一般要几天 这都一周了还没到", "report_delivery_delay"),
        ("杯子裂了 一般怎么处理", "report_damaged_item"),
        ("要是能退的话 4851203377561290 这单帮我退了", "request_return_exchange"),
    ],
)
def test_a_report_or_a_request_about_the_shoppers_own_order_still_asks_for_it(text, intent):
    assert not is_policy_question(text, intent)


@pytest.mark.parametrize(
    "text", ["就问问 没具体单子", "只是了解一下 还没买", "随便问问 没有订单", "打算买 先问一下"]
)
def test_a_shopper_who_says_there_is_no_order_is_heard(text):
    assert says_no_order(text)
    assert asks_in_general(text)


@pytest.mark.parametrize("text", ["订单号是多少来着", "我现在去找单子", "好的 我看看"])
def test_words_about_finding_the_order_do_not_say_there_is_none(text):
    assert not says_no_order(text)


@pytest.mark.parametrize(
    "text", ["开票开错了还能重开吗", "签收后忘了开发票 还可以补吗", "税号填错了能不能换开"]
)
def test_an_invoice_mistake_asked_about_in_general_gets_the_rule(text):
    assert own_order_topic(text, "invoice") is None


@pytest.mark.parametrize(
    "text", ["我的发票抬头写错了 帮我换开", "税号填错了 要换开", "发票开了没有"]
)
def test_an_invoice_mistake_told_of_the_shoppers_own_order_is_theirs(text):
    assert own_order_topic(text, "invoice") is OrderTopic.INVOICE
