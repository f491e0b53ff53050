"""Synonyms fold only words that mean one thing: 你们收不收 alone asks about a fee, a card or an
old appliance, so it is read with what it is about."""

import pytest

from faq.knowledge_base import read_yaml
from faq.retrieval import FaqIndex

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
