"""Synonyms fold only words that mean one thing: 你们收不收 alone asks about a fee, a card or an
old appliance, so it is read with what it is about."""

import pytest

from faq.knowledge_base import read_yaml
from faq.retrieval import FaqIndex
from faq.text import fold_places, terms

INDEX = FaqIndex(read_yaml())


def _best(question: str) -> str:
    return INDEX.search(question, k=1).hits[0].entry.id


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("你们收不收运费", "shipping_fee"),
        ("你们收不收信用卡", "payment_methods"),
        ("分期你们收不收手续费", "payment_methods"),
    ],
)
def test_asking_whether_the_shop_charges_or_takes_something_is_no_trade_in_question(
    question, entry
):
    assert _best(question) == entry


@pytest.mark.parametrize(
    "question", ["旧热水器你们收吗 怎么补", "旧冰箱你们收不收", "你们收不收旧手机"]
)
def test_asking_whether_the_shop_takes_an_old_appliance_is_the_trade_in_question(question):
    result = INDEX.search(question, k=1)
    assert result.answered
    assert result.hits[0].entry.id == "trade_in"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("寄哈尔滨运费多少", "寄外地运费多少"),  # no rule depends on which
        ("寄兰州几天到", "寄偏远地区几天到"),  # 甘肃's capital: a remote province
        ("江浙沪几天到", "江浙沪几天到"),
    ],
)
def test_places_fold_into_what_the_shops_rules_tell_apart(text, folded):
    assert fold_places(text) == folded


def test_any_city_named_reads_as_any_other():
    assert terms("寄成都运费多少") == terms("寄北京运费多少")
