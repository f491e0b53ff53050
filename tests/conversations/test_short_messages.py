"""Short messages read with the conversation: venting, subject-less follow-ups, variant wishes,
and a threat that names no need."""

import pytest

from conversations.needs import Need, other_needs
from conversations.short_messages import (
    asks_again_when,
    asks_to_keep_watch,
    is_venting,
    names_compensation,
    says_more_than_goodbye,
    variant_wish,
    wants_it_now,
)


@pytest.mark.parametrize(
    "text",
    [
        "京东都能晚 服了",
        "5块钱券我不要 我要的是东西！！",
        "说白了就是不知道呗",
        "补偿呢 就这？",
        "呵呵 真行",
    ],
)
def test_venting_is_read_as_venting(text):
    assert is_venting(text)


@pytest.mark.parametrize("text", ["我要退货", "物流到哪了", "好的 谢谢", "快递员电话多少"])
def test_a_plain_request_or_question_is_no_venting(text):
    assert not is_venting(text)


def test_a_demand_for_now_and_a_word_about_the_coupon_are_read():
    assert wants_it_now("别跟我说等24小时 我要现在")
    assert wants_it_now("马上给我退")
    assert not wants_it_now("那还得几天")
    assert names_compensation("5块钱券我不要")
    assert not names_compensation("京东都能晚 服了")


@pytest.mark.parametrize(
    "text",
    [
        *("那还得几天", "还要等几天啊", "我问到没到", "到了没有", "好了吗", "所以什么时候到账"),
        "那到底哪天能到账。。",  # trial 25, T846 t6: answered with the dress's delivery
    ],
)
def test_a_subject_less_when_question_is_a_follow_up(text):
    assert asks_again_when(text)


@pytest.mark.parametrize("text", ["物流到哪了", "退货怎么退", "几天能退完 运费谁出"])
def test_a_question_with_its_own_subject_is_no_follow_up(text):
    assert not asks_again_when(text)


@pytest.mark.parametrize(
    ("text", "variant"),
    [("她要白色S", "白色S"), ("我老公要黑的XL", "黑的XL"), ("给她拿个M", "M"), ("白色S", None)],
)
def test_a_variant_wished_for_someone_is_its_variant_words(text, variant):
    assert variant_wish(text) == variant


@pytest.mark.parametrize(
    ("text", "more"),
    [
        ("快递柜我翻了 没有", True),
        ("家里人也说没收到", True),
        ("没有了", False),
        ("好的谢谢", False),
    ],
)
def test_a_detail_of_the_search_is_more_than_a_goodbye(text, more):
    assert says_more_than_goodbye(text) is more


def test_a_threat_to_cancel_is_no_second_need_to_offer():
    assert other_needs("韵达怎么一直不动 再不到我就取消订单 还要投诉你们", "complain") == []
    assert Need.CANCEL in other_needs("物流到哪了 还有帮我取消订单", "track_order")


def test_asking_the_bot_to_keep_watch_is_read():
    assert asks_to_keep_watch("那你帮我盯着点")
    assert asks_to_keep_watch("帮我留意一下")
    assert not asks_to_keep_watch("物流到哪了")
