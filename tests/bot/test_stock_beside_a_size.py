"""The stock asked beside a size is said in the size worked out, a waist asked beside the price
gets its size, a foot length beside a stock question gets the size first, and two products priced
together get their total and postage (a battery of pre-sale questions, 2026-12-07: 160 100斤穿什么码
黑底的有货不 got the size alone; 腰围81穿几码 卡其色有吗 多少钱 got every khaki size, no size)."""

from bot.actions.presale import ActionAdviseSize, ActionAnswerPrice
from tests.bot.conftest import DOMAIN, after_products_talked_of, bot_said, first_message


async def test_the_stock_asked_with_a_size_is_that_sizes(db, dispatcher):
    tracker = first_message("茵曼碎花裙160 100斤穿什么码 黑底的有货不", "ask_size_advice")
    await ActionAdviseSize().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "建议您选 M 码" in said
    assert "黑底碎花 / M：暂时售罄" in said


async def test_a_size_advised_without_a_stock_question_says_no_stock(db, dispatcher):
    tracker = first_message("茵曼碎花裙160 100斤穿什么码", "ask_size_advice")
    await ActionAdviseSize().run(dispatcher, tracker, DOMAIN)
    assert "有货" not in bot_said(dispatcher)


async def test_a_waist_beside_the_price_gets_its_size_and_that_sizes_stock(db, dispatcher):
    tracker = first_message("海澜之家那个裤子腰围81穿几码 卡其色有吗 多少钱", "ask_price_promotion")
    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "¥199.00" in said
    assert "32 码" in said
    assert "卡其色 / 32：有货" in said
    assert "卡其色 / 29" not in said  # the size asked, not every one


async def test_a_foot_length_beside_a_stock_question_gets_the_sizefirst_message(db, dispatcher):
    """The development battery, PA048: 脚长232选几码 白粉色还有没 got every pink size's stock."""
    from bot.actions.presale import ActionAnswerStock

    tracker = first_message("回力小白鞋偏码吗 脚长232选几码 白粉色还有没", "ask_stock")
    await ActionAnswerStock().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "建议" in said  # the size for a 232 mm foot
    assert said.count("白粉 /") == 1  # that size's stock, not every size's


async def test_two_books_priced_together_get_their_total_and_postage(db, dispatcher):
    """The development battery, PA043: the postage rule alone, no total."""
    from bot.actions.faq import ActionAnswerFaq

    tracker = first_message("三体跟活着一起拍多少钱 包邮吗", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "¥65.80" in said
    assert "运费 ¥8" in said


async def test_a_book_added_to_a_postage_question_gets_the_pairs_postage(db, dispatcher):
    """The development battery, PA086: 再加本活着呢 after 三体单买包邮吗 got 活着 alone."""
    from bot.actions.faq import ActionAnswerFaq

    talks = [("三体单买包邮吗", "faq", "P7001")]
    tracker = after_products_talked_of(talks, "再加本活着呢", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "¥65.80" in said
    assert "运费 ¥8" in said
