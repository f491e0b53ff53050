"""The postage of a basket asked again with a quantity for each (trial 24, T822, harmful: 米两袋
牛奶两箱 寄内蒙古运费多少, after the rice and the milk were priced together, priced the milk alone,
"2袋", and quoted 15元 postage for a basket that ships free)."""

from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import DOMAIN, bot_said, make_tracker, user_event


async def test_a_quantity_for_each_of_the_basket_prices_both_and_its_postage(db, dispatcher):
    earlier = [
        user_event("你好 大米 牛奶 寄到内蒙古呼和浩特 要运费不", "faq"),
        {"event": "slot", "name": "current_product", "value": "P6004"},
        {"event": "slot", "name": "current_product", "value": "P6006"},
    ]
    tracker = make_tracker(
        {"current_product": "P6006"}, "米两袋 牛奶两箱 寄内蒙古运费多少", "faq", earlier=earlier
    )
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "¥239.60" in said
    assert "包邮" in said
    assert "运费 ¥15" not in said
    assert "2袋到手" not in said
