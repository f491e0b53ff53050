"""Negations, closings and complaints are read for what they mean, not for the verbs in them."""

import pytest

from conversations.reading import (
    is_about_an_order,
    is_closing,
    is_closing_without_request,
    is_negated_request,
    wants_a_person,
)


@pytest.mark.parametrize(
    "text",
    [
        "收货人和手机都不用改",
        "不改了",
        "别取消",
        "那就不退了",
        "我不想退货了",
        "我不取消了 你别给我取消了",
    ],
)
def test_a_change_cancel_or_return_not_wanted_is_negated(text):
    assert is_negated_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "我要改地址",
        "电话不对 帮我改一下",
        "地址不用改了 帮我取消订单",
        "先不取消 你们帮我催一下",
        "地址不用改了 改电话就行",
        "能不能不退款 换货",
    ],
)
def test_a_request_beside_or_without_a_negation_is_not_negated(text):
    assert not is_negated_request(text)


@pytest.mark.parametrize(
    "text", ["好 我再想想", "算了", "不用了谢谢", "先这样吧", "那我再看看别家"]
)
def test_leaving_or_putting_it_off_is_a_closing(text):
    assert is_closing(text)


@pytest.mark.parametrize(
    "text",
    [
        *("嗯嗯", "算了 这个怎么退", "凭什么不能退", "我再想想 能便宜点吗"),
        "算了 换个奶茶豆沙色行不行",  # T831 t6 (trial 24): got "不着急，您慢慢考虑"
    ],
)
def test_a_question_or_a_bare_yes_is_no_closing(text):
    assert not is_closing(text)


@pytest.mark.parametrize("text", ["你们这什么服务 我要投诉", "叫人工来", "找你们经理"])
def test_an_outright_complaint_or_demand_wants_a_person(text):
    assert wants_a_person(text)


@pytest.mark.parametrize("text", ["再不发货我就投诉", "什么破规定", "太慢了吧"])
def test_a_threat_on_a_condition_or_a_grumble_does_not_want_a_person_yet(text):
    assert not wants_a_person(text)


def test_a_complaint_about_the_parcel_is_about_the_order_and_one_about_a_rule_is_not():
    assert is_about_an_order("再不发货我就退款了啊")
    assert not is_about_an_order("什么破规定")


def test_a_closing_that_names_a_cancel_or_change_is_still_a_request():
    assert is_closing_without_request("算了不用了 我让同事帮我拿 谢谢")
    assert not is_closing_without_request("算了 还是取消吧")
    assert not is_closing_without_request("算了 不用了 改个地址就行")
