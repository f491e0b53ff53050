"""A second question in a sentence of its own is kept even with no 还有 or 顺便 before it (blind
trial 10, T275.5: the date was given, the question whether the courier calls was dropped); a tag
that only asks to be agreed to (好吗, 对吧, 行不行) or a complaint put as a question is no second
question."""

import pytest

from conversations.needs import further_questions, questions_apart


@pytest.mark.parametrize(
    ("message", "second"),
    [
        (
            "那大概哪天能送到啊。送到的时候快递员会不会先打个电话。",
            "送到的时候快递员会不会先打个电话",
        ),
        ("快递到哪儿了？需要本人签收吗？", "需要本人签收吗?"),
        ("什么时候发货 发货以后能改成送到公司吗", "发货以后能改成送到公司吗"),
        ("几号能到呀。到了放哪里呀。", "到了放哪里呀"),
        ("还要几天才到。派送的时候能送上楼吗？", "派送的时候能送上楼吗?"),
    ],
)
def test_a_question_in_a_sentence_of_its_own_is_kept_beside_the_tracking(message, second):
    assert further_questions(message, "track_order") == [second]
    assert second in questions_apart(message)


@pytest.mark.parametrize(
    "message",
    [
        "帮我改成周六送。好吗？",
        "这个是七天无理由的吧。对吧？",
        "发票开了吗？行不行啊",
        "什么时候能到？是吧？",
        "我的快递呢 有没有人管",
        "快递到哪了 你们是不是骗子啊",
        "到哪了。能快点吗",
        "什么时候到。谢谢",
    ],
)
def test_a_tag_a_thanks_or_a_complaint_put_as_a_question_is_no_second_question(message):
    assert further_questions(message, "track_order") == []


def test_two_questions_on_one_product_are_both_its_answer_not_a_second_need():
    assert (
        further_questions("这款热水器要另外收安装费吗？普通插座能用吗？", "ask_product_info") == []
    )
