"""Questions sent to the wrong place in trial 11, read for what they ask: who to turn to, an
A-not-A question in general terms, when goods not yet bought would arrive."""

from datetime import UTC, datetime

import pytest

from conversations.acknowledgement import is_policy_question
from conversations.queue import who_to_turn_to
from conversations.reading import (
    asks_arrival_ahead,
    asks_for_the_shops_phone,
    asks_who_to_turn_to,
)
from words.render import say


@pytest.mark.parametrize(
    "text",
    [
        "那就没办法了吗 我找谁",
        "那我问谁去",
        "过了时间还没到找谁",
        "这事到底谁管",
        "应该联系哪个部门",
        "找谁能解决",
        "你们客服电话多少",  # trial 21: read as a demand for a person and queued overnight
        "有没有客服热线",
    ],
)
def test_asking_who_to_turn_to_is_read_as_such(text: str) -> None:
    assert asks_who_to_turn_to(text)


@pytest.mark.parametrize(
    "text",
    ["谁签收的", "我不在家找谁代收一下", "有问题找你", "那我找人工", "好的 拜拜", "谢谢",
     "快递员电话多少", "收货人电话改一下", "快递员电话给我", "收货人电话给个新的"],
)  # fmt: skip
def test_who_signed_a_demand_for_a_person_or_a_goodbye_is_not_that(text: str) -> None:
    assert not asks_who_to_turn_to(text)


def test_who_to_turn_to_outside_the_hours_says_when_agents_answer() -> None:
    early = datetime(2026, 12, 5, 22, 15, tzinfo=UTC)  # 06:15 in Beijing
    said = say(who_to_turn_to(early))
    assert "人工客服" in said
    assert "09:00-23:00" in said
    assert "今天 09:00" in said


def test_no_phone_line_is_said_only_when_a_phone_was_asked_for() -> None:
    noon = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)
    assert "电话热线" in say(who_to_turn_to(noon, phone_asked=True))
    assert "电话" not in say(who_to_turn_to(noon))


def test_who_to_turn_to_within_the_hours_offers_a_person_now() -> None:
    noon = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
    assert "现在在线" in say(who_to_turn_to(noon))


@pytest.mark.parametrize(
    "text", ["安装要不要钱 我家卫生间就普通插座", "送货上门收不收钱", "这个包不包安装"]
)
def test_an_a_not_a_question_read_as_a_change_is_a_question_in_general_terms(text: str) -> None:
    assert is_policy_question(text, "modify_order")


@pytest.mark.parametrize(
    "text", ["帮我把地址改一下 要不要钱", "我的订单要不要改地址", "能不能改地址"]
)
def test_a_change_asked_with_an_a_not_a_question_is_still_a_change(text: str) -> None:
    assert not is_policy_question(text, "modify_order")


@pytest.mark.parametrize(
    "text",
    [
        *("大概几天能收到？", "下单后多久能收到", "什么时候能收到啊"),
        *("能约明天送到吗", "可以指定周六送吗"),  # trial 28, T972 t7: an order asked for
    ],
)
def test_when_goods_would_be_received_asks_about_arrival_ahead(text: str) -> None:
    assert asks_arrival_ahead(text)


@pytest.mark.parametrize("text", ["我的快递怎么还没收到", "收到了吗", "到哪了"])
def test_a_parcel_on_its_way_is_not_arrival_ahead(text: str) -> None:
    assert not asks_arrival_ahead(text)


@pytest.mark.parametrize("text", ["给个电话 我打过去", "那给我个电话"])
def test_a_phone_number_asked_for_to_call_is_who_to_turn_to(text: str) -> None:
    # trial 22, T742: "给个电话 我打过去" got "请问您想咨询什么呢"
    assert asks_who_to_turn_to(text)
    assert asks_for_the_shops_phone(text)


@pytest.mark.parametrize("text", ["那就没办法了吗 我找谁", "这事谁管"])
def test_who_to_turn_to_is_not_a_phone_asked_for(text: str) -> None:
    assert asks_who_to_turn_to(text)
    assert not asks_for_the_shops_phone(text)
