"""A question the product's own facts answer is never called "not listed": the memory said to
be 板载，不可扩展 answers 以后能自己加吗, the 16A/10A socket fact answers 3200w能用吗, the
installation fees fact answers 还要另外买啥, and the warranty answers 一个多月才坏呢. Only what
no fact given says is named as not listed."""

import pytest

from shop.presale import FactUnknown, ProductFact
from shop.product_questions import ProductFacts, product_answer
from tests.shop.conftest import catalogue_product, facts_of

LAPTOP, HEATER, POWER_BANK = "P4001", "P5005", "P3003"


def _unlisted(answer: object) -> tuple[str, ...]:
    return answer.unlisted if isinstance(answer, ProductFacts | ProductFact) else ()


@pytest.mark.parametrize(
    "question",
    [
        "内存是板载的吗 以后能自己加吗",
        "以后能自己加吗",
        "这台以后想加内存条 可以不",
        "后期能升级内存吗",
        "能不能自己加装",
    ],
)
def test_adding_memory_later_is_answered_by_the_memory_fact(db, question):
    answer = product_answer(catalogue_product(db, LAPTOP), question)
    assert "不可扩展" in facts_of(answer).get("内存", "")
    assert _unlisted(answer) == ()


@pytest.mark.parametrize(
    ("code", "question", "attribute"),
    [
        (HEATER, "老房子 插座就普通的那种 3200w能用吗", "电压"),
        (HEATER, "家里是10a的插座 3200w那档开得了吗", "电压"),
        (HEATER, "安装收费不 还要另外买啥", "安装费用"),
        (HEATER, "装的时候要钱吗 还得自己买配件不", "安装费用"),
        (HEATER, "上门安装另外收费吗 要买什么材料", "安装费用"),
    ],
)
def test_a_second_question_the_fact_given_answers_is_not_called_unlisted(
    db, code, question, attribute
):
    answer = product_answer(catalogue_product(db, code), question)
    assert attribute in facts_of(answer)
    assert _unlisted(answer) == ()


@pytest.mark.parametrize(
    "question",
    ["要是一个多月才坏呢", "万一用半年坏了怎么办", "用坏了管不管", "会不会容易坏"],
)
def test_breaking_later_is_answered_by_the_products_warranty(db, question):
    answer = product_answer(catalogue_product(db, POWER_BANK), question)
    assert facts_of(answer).get("保修") == "18个月"


@pytest.mark.parametrize(
    ("code", "question", "unlisted"),
    [
        (LAPTOP, "内存多大 能玩黑神话吗", "能玩黑神话吗"),
        (HEATER, "安装收费不 师傅几点能到", "师傅几点能到"),
        (HEATER, "插座就普通的 能放在卫生间外面吗", "能放在卫生间外面吗"),
    ],
)
def test_a_question_no_fact_given_answers_is_still_named_as_not_listed(
    db, code, question, unlisted
):
    assert unlisted in _unlisted(product_answer(catalogue_product(db, code), question))


@pytest.mark.parametrize(
    ("code", "question"),
    [(LAPTOP, "系统能升级吗"), (POWER_BANK, "坏果怎么赔"), (HEATER, "能自己加水吗")],
)
def test_words_near_the_new_ones_ask_nothing_the_page_says(db, code, question):
    answer = product_answer(catalogue_product(db, code), question)
    assert isinstance(answer, FactUnknown)
