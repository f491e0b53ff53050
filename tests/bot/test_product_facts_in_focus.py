"""Catalogue facts of the product in focus, not a generic answer (trial 11: T282 苹果16 taken
for the apple fruit, T287 the 50dB noise cancelling dropped, T288 the phone's 12期免息 not
given): a phone model beside 苹果 names no fruit, the depth of noise cancelling is a topic of
its own, and an instalment question the FAQ reads starts with the product's own plan."""

from typing import Any

import pytest

import tests.bot.test_presale_follow_ups as presale
from bot.actions.faq import ActionAnswerFaq
from shop.product_names import find_product
from tests.bot.conftest import make_tracker

presale.ACTIONS.setdefault("faq", ActionAnswerFaq())
POWER_BANK = ("安克两万毫安那个充电宝", "ask_product_info")
EARBUDS = ("漫步者neobuds pro 3耳机", "ask_product_info")
PHONE = ("hongmi note14 pro 紫色有吗", "ask_stock")
WATER_HEATER = ("美的60升热水器多少钱", "ask_price_promotion")


async def _said(*turns: Any) -> str:
    return presale._text(await presale._conversation(list(turns)))


@pytest.mark.parametrize(
    "text", ["给苹果16能冲几次", "苹果15pro能充满几次", "苹果16promax能冲几回"]
)
async def test_a_phone_named_by_its_brand_apple_is_no_fruit_and_the_charges_come_from_the_page(
    text,
):
    said = await _said(POWER_BANK, (text, "ask_product_info"))
    assert "约4次" in said
    assert "红富士" not in said


@pytest.mark.parametrize("text", ["烟台苹果还有货吗", "苹果甜不甜", "红富士苹果多少钱一箱"])
def test_the_apple_fruit_is_still_the_apple_fruit(db, text):
    product = find_product(db, text)
    assert product is not None
    assert "红富士" in product.name


@pytest.mark.parametrize(
    "text",
    [
        "neobuds pro 3 iphone能用吗 ANC最多多少db",
        "降噪有多少分贝",
        "这个降噪能到多少db",
        "anc强不强",
    ],
)
async def test_the_depth_of_noise_cancelling_is_given_from_the_product(text):
    said = await _said(EARBUDS, (text, "ask_product_info"))
    assert "50dB" in said
    if "iphone" in text:
        assert "iOS" in said  # the other part of the question is answered too


@pytest.mark.parametrize("text", ["能分期吗 免息不", "可以分期付款吗", "花呗分期有免息吗"])
async def test_an_instalment_question_on_a_phone_with_an_interest_free_plan_gives_that_plan(text):
    said = await _said(PHONE, (text, "faq"))
    assert "12期免息" in said
    assert "每期 ¥133.25" in said


async def test_an_instalment_question_on_goods_without_a_plan_says_the_page_states_none():
    said = await _said(WATER_HEATER, ("花呗分期有免息吗", "faq"))
    assert "没有写分期免息" in said
    assert "每期" not in said


async def test_an_instalment_question_with_no_product_in_focus_is_the_general_rule(dispatcher):
    tracker = make_tracker({}, text="能分期吗 免息不", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "花呗可分3期、6期、12期" in said
    assert "每期 ¥" not in said
