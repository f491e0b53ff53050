"""A message that carries an order is read by the words beside the data."""

import pytest

from conversations.order_messages import order_message_intent, words_beside_order


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("6120398475610293 尾号5521 物流一个礼拜都没更新了", "report_delivery_delay"),
        ("单号5120398475610294 快递卡在中转站不动了 手机后四位3309", "report_delivery_delay"),
        ("2233445566778899 这都好几天了还没到", "report_delivery_delay"),
        ("4410293847561020 1188 拆开杯子就是碎的", "report_damaged_item"),
        ("7710293847561021 尾号6652 箱子压扁了 里面摔坏了", "report_damaged_item"),
        # words the problem reader knows and the lists here do not (trial 12, T326)
        ("您好，订单5510293847561022，尾号1896。拆开发现杯身侧面凹进去一块", "report_damaged_item"),
        ("8810293847561022 发错颜色了 我要的是灰的", "report_wrong_or_missing_item"),
        ("9910293847561023 尾号2201 买了三件只来了一件", "report_wrong_or_missing_item"),
        ("5510293847561024 显示签收了 我压根没拿到", "report_lost_parcel"),
        ("3310293847561025 尾号7781 半年前买的吹风机现在不出风了 故障", "request_repair"),
        ("1110293847561026 刚到手 第一次用就黑屏了", "request_return_exchange"),
        # a sound fault beside a second order's number (trial 26, T886 t6: a hotline answer)
        ("另外音箱那单5782450400088387，声音破音，有杂音", "request_repair"),
        ("5782450400088387 耳机有杂音 想退货", "request_return_exchange"),  # the return asked
        # a part come off after washing (trial 27, T949 t5: the washing instructions)
        ("另外上个月买的衬衫 洗了两次领子扣子掉了 8167868433532650", "request_return_exchange"),
        ("2210293847561027 钱什么时候退回来 退款进度呢", "ask_refund_status"),
        ("6610293847561028 尾号9012 帮我取消这单", "cancel_order"),
        # the late order not wanted any more (trial 28, T991 t4, harmful: a dispatch chased)
        ("还有那件羽绒服 付款好几天了都不发 不要了 6749118625276018", "cancel_order"),
        ("6749118625276018 一直不发货 取消吧", "cancel_order"),
        ("6749118625276018 好几天了都不发货", "report_delivery_delay"),
        ("还有我的靴子也超时了 4726516761222029", "report_delivery_delay"),  # T983 t4: buttons
        ("6610293847561028 收货地址写错了", "modify_order"),
        ("6610293847561028 这单到哪了", "track_order"),
        ("空气炸锅今天送吗 7031372159010928 尾号7652", "track_order"),  # trial 27, T954: its price
    ],
)
def test_a_message_with_an_order_number_and_a_need_is_read_as_that_need(text, intent):
    assert order_message_intent(text) == intent


def test_a_threat_beside_the_order_number_is_a_complaint_never_a_cancel():
    assert order_message_intent("6610293847561028 明天再不发货我就退款") == "complain"


def test_an_order_number_and_a_tail_alone_are_data():
    assert order_message_intent("6610293847561028 尾号9012") == "inform"
    assert order_message_intent("你好 6610293847561028") == "inform"


def test_a_pasted_order_card_with_nothing_else_is_the_order_given_as_data():
    card = (
        "订单编号：6610293847561028\n下单时间：2026-11-28 09:12:45\n"
        "商品：加厚珊瑚绒睡衣 女款 冬季 XL码 ×1\n收货人：王** 186****3301"
    )
    assert words_beside_order(card) == ""
    assert order_message_intent(card) == "inform"


def test_a_pasted_order_card_with_a_problem_is_that_problem():
    card = (
        "订单号：6610293847561028 / 下单时间：2026-10-01 08:00:00 / 订单状态：已完成\n"
        "用着用着就坏了 能修吗"
    )
    assert order_message_intent(card) == "request_repair"


def test_a_message_without_an_order_is_not_read_here():
    assert order_message_intent("快递好几天没动了") is None


def test_a_cancel_that_happened_is_asked_about_not_requested():
    assert order_message_intent("6610293847561028 谁给我取消的 我没取消啊") == "track_order"


def test_words_after_a_bracketed_card_are_read_as_the_message():
    card = "【订单编号：6610293847561028，订单金额：89，下单时间：11月30日 下午3点】 开票抬头写公司"
    assert words_beside_order(card).startswith("开票抬头写公司")
    assert order_message_intent(card) == "faq"
