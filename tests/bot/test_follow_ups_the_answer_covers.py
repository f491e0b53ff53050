"""A follow-up that the bot's own previous answer or the catalogue answers is answered, never
told "没有写到 / 没有写明": a credit card is a bank card (银行卡 3-7个工作日), weekends are no
working days, washed clothes fall under the clothing rule (未洗涤), memory said to be 不可扩展
cannot be added later, and the warranty covers a fault after a month."""

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.presale import ActionAnswerProductInfo
from tests.bot.conftest import bot_said, make_tracker, user_event
from words.render import Button, button

HUMAN = button(Button.HUMAN)
NOT_LISTED = ("没有写到", "没有写明")
RETURNS = "你们家支持七天无理由不"
REFUND_TIME = "退款一般多久到"


async def _reply(action: Any, first: str, follow_up: str, intent: str, slots=None) -> str:
    """What the bot says to `follow_up` (read as `intent`) after its FAQ answer to `first`."""
    opening = CollectingDispatcher()
    await ActionAnswerFaq().run(opening, make_tracker({}, first, "faq"), {})
    earlier = [user_event(first, "faq"), {"event": "bot", "text": opening.messages[0]["text"]}]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots or {}, follow_up, intent, earlier=earlier)
    await action.run(dispatcher, tracker, {})
    return bot_said(dispatcher)


@pytest.mark.parametrize(
    "follow_up",
    ["我是信用卡付的 会慢吗", "用信用卡付的要几天", "储蓄卡呢", "我刷的招行卡 多久能到"],
)
async def test_a_card_follow_up_gets_the_bank_card_time_said_a_moment_ago(db, follow_up):
    said = await _reply(ActionAnswerFaq(), REFUND_TIME, follow_up, "faq")
    assert "银行卡一般3-7个工作日到账" in said
    assert "也算银行卡" in said
    assert not any(words in said for words in NOT_LISTED)


@pytest.mark.parametrize("follow_up", ["周末算不算", "星期六星期天算吗", "那周六周日呢 也算进去吗"])
async def test_a_weekend_follow_up_is_told_only_working_days_count(db, follow_up):
    said = await _reply(ActionClarify(), REFUND_TIME, follow_up, "nlu_fallback")
    assert "不算工作日" in said
    assert "工作日" in said.split("：", 1)[1]


@pytest.mark.parametrize(
    "follow_up", ["衣服要是洗过一次呢 就洗了一下没穿", "裤子下过水了还能退不", "衣服洗了一次能退吗"]
)
async def test_washed_clothes_get_the_clothing_rule_not_the_general_one_again(db, follow_up):
    said = await _reply(ActionClarify(), RETURNS, follow_up, "nlu_fallback")
    assert "未洗涤" in said
    assert not any(words in said for words in NOT_LISTED)


async def test_a_follow_up_the_answer_does_not_cover_is_still_told_so_with_a_person(db):
    dispatcher = CollectingDispatcher()
    first = "降价了怎么补差价"
    opening = CollectingDispatcher()
    await ActionAnswerFaq().run(opening, make_tracker({}, first, "faq"), {})
    earlier = [user_event(first, "faq"), {"event": "bot", "text": opening.messages[0]["text"]}]
    tracker = make_tracker({}, "那要是我已经点了确认收货呢", "faq", earlier=earlier)
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "没有写到" in dispatcher.messages[0]["text"]
    assert HUMAN in dispatcher.messages[0]["buttons"]


async def _product_reply(
    action: Any, code: str | None, text: str, intent: str
) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    slots = {"current_product": code} if code else {}
    await action.run(dispatcher, make_tracker(slots, text, intent), {})
    return dispatcher


@pytest.mark.parametrize(
    ("code", "text", "fact"),
    [
        (None, "你好，联想小新Pro14 2025那款，内存是板载的吗？以后能自己加吗？", "不可扩展"),
        ("P4001", "内存以后能自己加条吗", "不可扩展"),
        ("P5005", "老房子 插座就普通的那种 3200w能用吗", "16A专用插座"),
        ("P5005", "安装收费不 还要另外买啥", "辅材"),
    ],
)
async def test_a_question_the_fact_given_answers_gets_no_not_listed_tail(db, code, text, fact):
    dispatcher = await _product_reply(ActionAnswerProductInfo(), code, text, "ask_product_info")
    said = bot_said(dispatcher)
    assert fact in said
    assert not any(words in said for words in NOT_LISTED)
    assert all(HUMAN not in (m.get("buttons") or []) for m in dispatcher.messages)


@pytest.mark.parametrize("text", ["要是一个多月才坏呢", "万一用半年坏了怎么办"])
async def test_breaking_later_gets_the_products_warranty(db, text):
    said = bot_said(await _product_reply(ActionClarify(), "P3003", text, "nlu_fallback"))
    assert "18个月" in said
