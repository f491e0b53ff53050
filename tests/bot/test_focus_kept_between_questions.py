"""A short follow-up is about the product or the question just discussed (trial 10: T245,
T246, T242): a product named in a policy question stays in focus for the price asked next, a
bare 有吗 after a stock question asks the stock again, a wattage limit is weighed against the
product's power."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.faq import ActionAnswerFaq
from bot.actions.presale import (
    ActionAnswerPrice,
    ActionAnswerProductInfo,
    ActionAnswerStock,
)
from tests.bot.conftest import DOMAIN, make_tracker, user_event

ACTIONS: dict[str, Any] = {
    "faq": ActionAnswerFaq(),
    "out_of_scope": ActionAnswerOutOfScope(),
    "ask_product_info": ActionAnswerProductInfo(),
    "ask_stock": ActionAnswerStock(),
    "ask_price_promotion": ActionAnswerPrice(),
}


async def _conversation(turns: list[tuple[str, str]]) -> str:
    """Each (message, intent) through the intent's action as Rasa runs it, the slots the
    actions set kept; what the bot said to the last message."""
    slots: dict[str, Any] = {}
    history: list[dict[str, Any]] = []
    dispatcher = CollectingDispatcher()
    for text, intent in turns:
        tracker = make_tracker(dict(slots), text=text, intent=intent, earlier=list(history))
        dispatcher = CollectingDispatcher()
        events = await ACTIONS[intent].run(dispatcher, tracker, DOMAIN)
        set_now = [e for e in events if e.get("event") == "slot"]
        slots.update({e["name"]: e["value"] for e in set_now})
        history += [user_event(text, intent), *set_now]
    return "\n".join(str(m.get("text") or m.get("response")) for m in dispatcher.messages)


async def test_the_price_of_two_boxes_after_a_shipping_question_about_oranges_is_the_oranges():
    for question, follow_up in (
        ("赣南脐橙能发申通吗", "两箱多少钱"),
        ("脐橙是顺丰发吗", "买两箱有优惠吗"),
        ("赣南脐橙坏果包赔吗", "2箱一共多少"),
    ):
        said = await _conversation([(question, "faq"), (follow_up, "ask_price_promotion")])
        assert "脐橙" in said, question
        assert "utter_ask_which_product" not in said, question


async def test_a_product_named_since_still_wins_over_the_one_in_focus_before():
    said = await _conversation(
        [
            ("小熊电水壶多少钱", "ask_price_promotion"),
            ("赣南脐橙能发申通吗", "faq"),
            ("两箱多少钱", "ask_price_promotion"),
        ]
    )
    assert "脐橙" in said
    assert "水壶" not in said


async def test_a_price_question_naming_nothing_with_nothing_named_before_asks_which_product():
    said = await _conversation([("你们发什么快递", "faq"), ("两箱多少钱", "ask_price_promotion")])
    assert said == "utter_ask_which_product"


async def test_a_book_named_with_a_bare_you_ma_after_a_stock_question_gets_its_stock():
    for text, intent in (
        ("猜猜我有多爱你有吗 给娃睡前读", "out_of_scope"),
        ("那本猜猜我有多爱你有没有", "ask_product_info"),
        ("猜猜我有多爱你呢 有吗", "ask_stock"),
    ):
        said = await _conversation([("蟒蛇书还有货吗", "ask_stock"), (text, intent)])
        assert "精装：暂时售罄" in said, text
        assert "哪方面" not in said, text


async def test_a_bare_mention_after_a_price_question_still_gets_the_price():
    said = await _conversation(
        [("蟒蛇书多少钱", "ask_price_promotion"), ("猜猜我有多爱你呢", "ask_product_info")]
    )
    assert "¥" in said
