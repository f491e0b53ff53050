"""A cancel, return or complaint made conditional is read as a threat, never as an instruction."""

import pytest

from conversations.reading import (
    Answer,
    TypedAnswer,
    answer_to_confirmation,
    answer_to_request,
    asks_if_it_ships_to,
    asks_shipping_ahead,
    exchange_wanted,
    is_conditional_request,
    is_hypothetical,
    is_question,
)


@pytest.mark.parametrize(
    "text",
    [
        "那有没有补偿啊 不然我就取消了",
        "再不发货我就退款",
        "如果明天还不到就退货",
        "今天不发的话我就取消订单",
        "再这样我就投诉你们",
        "要不然我直接退了",
        "还不给我处理我就给差评",
        "否则我只能拒收了",
        "大不了退了",
        "你们要是再拖我就取消",
        "那你现在就给我退 不退我就给差评",  # trial 26, T882
        "不处理我就投诉",
    ],
)
def test_a_threat_or_condition_is_conditional(text):
    assert is_conditional_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "我要取消订单",
        "不想要了帮我取消",
        "帮我退货",
        "我买错了，就取消吧",
        "那我就取消吧",
        "如果取消的话运费怎么算",
        "要是退货的话要自己寄吗",
        "不然的话怎么办",
        "取消了还能恢复吗",
        "不要了我就取消吧",
        "",
    ],
)
def test_a_plain_request_or_a_policy_question_is_not(text):
    assert not is_conditional_request(text)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("确认", Answer.YES),
        ("确认取消", Answer.YES),
        ("嗯 那就退款吧", Answer.YES),
        ("好的", Answer.YES),
        ("/affirm", Answer.YES),
        ("等一下", Answer.UNSURE),
        ("好的 我想想", Answer.UNSURE),
        ("可以吗", Answer.UNSURE),
        ("好的 还是补发吧", Answer.UNSURE),
        ("不用了", Answer.NO),
        ("先不取消了", Answer.NO),
        ("/deny", Answer.NO),
        ("没问题", Answer.YES),
        ("好的没问题", Answer.YES),
        ("充电头没问题 就手环", Answer.UNSURE),  # T560: the charger is fine, no yes to a repair
        ("要得", Answer.YES),  # trial 22, T760: a yes in Sichuan words, read as "not now"
        ("不要得", Answer.NO),
    ],
)
def test_only_a_plain_yes_answers_a_request_said_back(text, answer):
    assert answer_to_confirmation(text) == answer


@pytest.mark.parametrize(
    ("text", "hypothetical"),
    [
        ("那要是到时候还没到呢", True),
        ("万一丢了怎么办", True),
        ("如果坏了能换吗", True),
        ("快递到现在还没到", False),
        ("收到的杯子碎了", False),
        ("显示签收了但我没收到", False),
    ],
)
def test_a_question_about_what_would_happen_reports_nothing(text, hypothetical):
    assert is_hypothetical(text) is hypothetical


@pytest.mark.parametrize(
    ("text", "wanted", "answer"),
    [
        ("确认 换卡其色33", "卡其色33", TypedAnswer.YES),
        ("嗯 换L 确认", "L", TypedAnswer.YES),
        ("对 换大一码", "大一码", TypedAnswer.YES),
        ("确认 换货", None, TypedAnswer.YES),
        ("换个蓝的吧", None, TypedAnswer.UNSURE),  # no yes: a wish, asked again
        ("确认 换吧 不想要了", None, TypedAnswer.UNSURE),
    ],
)
def test_a_colour_or_size_beside_the_yes_to_a_return_is_what_it_is_wanted_as(text, wanted, answer):
    assert exchange_wanted(text) == wanted
    assert answer_to_request(text, "request_return_exchange") == answer


@pytest.mark.parametrize(
    "text",
    [
        "不好意思名字打错了 是成都云帆数字科技有限公司 税号没错",
        "抬头不对啊 是另一家公司",
        "好的 地址写错了",
    ],
)
def test_an_apology_or_a_correction_is_never_the_yes_to_what_was_said_back(text):
    # trial 20, T646 (harmful): 不好意思 holds 好, and the mistyped title was submitted
    assert answer_to_confirmation(text) != Answer.YES
    assert answer_to_request(text, "invoice") != TypedAnswer.YES


@pytest.mark.parametrize("pending", ["case_damaged", "cancel_order", "request_return_exchange"])
def test_a_threat_pressing_for_what_waits_never_declines_it(pending):
    # trial 26, T882: 不退我就给差评 read as a no, and the damage case said back was dropped
    assert answer_to_request("那你现在就给我退 不退我就给差评", pending) == TypedAnswer.UNSURE


@pytest.mark.parametrize("text", ["能开专票不 会计说专票好", "有货不", "可以先发不"])
def test_a_question_asked_with_a_no_at_the_end_of_its_clause_is_a_question(text):
    # trial 27, T943 t4: 能开专票不 beside more words was taken for a statement
    assert is_question(text)


@pytest.mark.parametrize("text", ["不行不", "我不要了 不用了"])
def test_a_no_that_ends_a_refusal_asks_nothing(text):
    assert not is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "寄到成都要几天",
        "今天下单什么时候发货",
        "现在拍什么时候能发",
        "下单后几天发货",
        "付款后多久发",
        "几点前下单当天发",
        "现在下单的话 什么时候能到上海",
        "发到新疆几天能到",
        "上海发过来要多久",
    ],
)
def test_when_goods_bought_now_would_come_is_asked_ahead(text):
    assert asks_shipping_ahead(text)


@pytest.mark.parametrize(
    "text",
    [
        "我昨天下单什么时候发货",
        "下单三天了什么时候发",
        "我刚下单什么时候发货",
        "我下单了什么时候发",
        "快递到成都要几天了还没到",
        "我买的衣服几天能到",
        "什么时候发货",
    ],
)
def test_an_order_told_made_or_a_bare_when_is_not_asked_ahead(text):
    assert not asks_shipping_ahead(text)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("能寄西藏吗", True),
        ("送不送新疆", True),
        ("国外能发吗", True),
        ("我的快递发到北京了吗", False),
    ],
)
def test_whether_goods_go_to_a_place_is_read(text, asked):
    assert asks_if_it_ships_to(text) is asked
