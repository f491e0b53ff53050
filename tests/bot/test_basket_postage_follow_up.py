"""The postage of a basket asked again with a quantity for each (trial 24, T822, harmful: 米两袋
牛奶两箱 寄内蒙古运费多少, after the rice and the milk were priced together, priced the milk alone,
"2袋", and quoted 15元 postage for a basket that ships free)."""

from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import DOMAIN, after_products_talked_of, bot_said


async def test_a_quantity_for_each_of_the_basket_prices_both_and_its_postage(db, dispatcher):
    talks = [
        ("你好 大米 寄到内蒙古呼和浩特 要运费不", "faq", "P6004"),
        ("牛奶也要", "faq", "P6006"),
    ]
    tracker = after_products_talked_of(talks, "米两袋 牛奶两箱 寄内蒙古运费多少", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "¥239.60" in said
    assert "包邮" in said
    assert "运费 ¥15" not in said
    assert "2袋到手" not in said


async def test_the_postage_of_two_asked_beside_a_colours_stock_is_answered_too(db, dispatcher):
    """Trial 25, T871 t4: 两个一起买包邮吗 冰川蓝的充电宝有吗 after the power bank and the charger
    got the blue's stock alone."""
    from bot.actions.presale import ActionAnswerStock

    talks = [("安克那个20000毫安的充电宝能带上飞机吗", "ask_product_info", "P3003")]
    talks.append(("绿联65W充电头能给macbook air充吗", "ask_product_info", "P3004"))
    tracker = after_products_talked_of(talks, "两个一起买包邮吗 冰川蓝的充电宝有吗", "ask_stock")
    await ActionAnswerStock().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "冰川蓝" in said
    assert "¥268" in said
    assert "包邮" in said
