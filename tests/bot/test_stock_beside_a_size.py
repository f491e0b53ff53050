"""The stock asked beside a size is said in the size worked out, and a waist asked beside the
price gets its size (a battery of pre-sale questions, 2026-12-07: 160 100斤穿什么码 黑底的有货不
got the size alone; 腰围81穿几码 卡其色有吗 多少钱 got the price and every khaki size, no size)."""

import uuid

from bot.actions.presale import ActionAdviseSize, ActionAnswerPrice
from tests.bot.conftest import DOMAIN, bot_said, make_tracker


def _first(text: str, intent: str):
    tracker = make_tracker({}, text, intent, earlier=[])
    tracker.sender_id = uuid.uuid4().hex
    return tracker


async def test_the_stock_asked_with_a_size_is_that_sizes(db, dispatcher):
    tracker = _first("茵曼碎花裙160 100斤穿什么码 黑底的有货不", "ask_size_advice")
    await ActionAdviseSize().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "建议您选 M 码" in said
    assert "黑底碎花 / M：暂时售罄" in said


async def test_a_size_advised_without_a_stock_question_says_no_stock(db, dispatcher):
    tracker = _first("茵曼碎花裙160 100斤穿什么码", "ask_size_advice")
    await ActionAdviseSize().run(dispatcher, tracker, DOMAIN)
    assert "有货" not in bot_said(dispatcher)


async def test_a_waist_beside_the_price_gets_its_size_and_that_sizes_stock(db, dispatcher):
    tracker = _first("海澜之家那个裤子腰围81穿几码 卡其色有吗 多少钱", "ask_price_promotion")
    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "¥199.00" in said
    assert "32 码" in said
    assert "卡其色 / 32：有货" in said
    assert "卡其色 / 29" not in said  # the size asked, not every one
