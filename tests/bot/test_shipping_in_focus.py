"""A shipping question is answered for what the shopper is buying: the product in focus at its
price after its deals (包邮不 about the running shoes: yes), the quantity asked, an amount named
(99块刚好包邮吧), a remote province named; fresh food keeps its own rule."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import make_tracker

RUNNING_SHOES = "P2001"  # ¥399, 跑鞋专区满399减40
T_SHIRT = "P1001"  # ¥79, 任选2件再享95折
ORANGES = "P6101"  # fresh food: cold chain, never to remote provinces


async def _said(text: str, product: str | None, intent: str = "faq") -> str:
    dispatcher = CollectingDispatcher()
    slots = {"current_product": product} if product else {}
    action = ActionAnswerFaq() if intent == "faq" else ActionClarify()
    await action.run(dispatcher, make_tracker(slots, text, intent), {})
    return "\n".join(m["text"] or "" for m in dispatcher.messages)


@pytest.mark.parametrize("intent", ["faq", "nlu_fallback"])
async def test_shipping_asked_about_the_shoes_in_focus_says_they_ship_free(db, intent):
    said = await _said("包邮不", RUNNING_SHOES, intent)
    assert "到手 ¥359" in said
    assert "下单就是包邮的" in said


@pytest.mark.parametrize(
    ("text", "product", "said", "unsaid"),
    [
        ("包邮吗", T_SHIRT, ["运费 ¥8", "再凑 ¥20"], []),  # one cheap item: fee, what is missing
        ("买两件包邮吗", T_SHIRT, ["2件到手", "下单就是包邮的"], []),  # worked out together
        ("99块刚好包邮吧", None, ["刚好够上"], []),  # an amount named, no product
        ("寄新疆包邮吗", T_SHIRT, ["偏远地区，满199元包邮", "运费 ¥15"], []),  # a remote province
        ("包邮吗", ORANGES, ["冷链"], ["到手"]),  # fresh food keeps its own rule
        ("运费怎么算", None, ["满99元", "偏远地区"], []),  # nothing named: the general rule
    ],
)
async def test_shipping_is_answered_for_what_is_asked_about(db, text, product, said, unsaid):
    answer = await _said(text, product)
    assert [words for words in said if words not in answer] == []
    assert [words for words in unsaid if words in answer] == []
