"""A question the product's page does not answer, asked beside one it does, gets the shop's
policy; one the page does answer gets the page, never an FAQ entry its name happened to match
(a battery of pre-sale questions, 2026-12-07: 保修多久 是正品不 lost the second question;
保温杯薄荷绿还有吗 保温能保多久 got the engraving policy; 三体是正版吗 got "not listed"; 送啥 of
the serum got "not listed" though its promotion says it)."""

from bot.actions.faq import ActionAnswerFaq
from bot.actions.presale import ActionAnswerProductInfo
from tests.bot.conftest import DOMAIN, bot_said, first_message


async def test_whether_it_is_genuine_is_answered_beside_its_warranty(db, dispatcher):
    tracker = first_message("美的电饭煲保修多久 是正品不", "ask_product_info")
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "IH线盘3年" in said
    assert "正品保障" in said


async def test_whether_a_book_is_genuine_gets_the_shops_guarantee(db, dispatcher):
    tracker = first_message("三体是正版吗别给我发盗版的哈", "ask_product_info")
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "正品保障" in said
    assert "没有写明" not in said


async def test_a_spec_beside_the_stock_is_the_pages_not_an_entry_naming_the_product(db, dispatcher):
    tracker = first_message("膳魔师保温杯薄荷绿还有吗 保温能保多久", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "6小时≥65℃" in said
    assert "薄荷绿 / 500ml：暂时售罄" in said
    assert "刻字" not in said


async def test_what_comes_free_is_the_promotions_gift(db, dispatcher):
    tracker = first_message("珀莱雅双抗送啥 敏感肌能用吗", "ask_product_info")
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "15ml×2" in said
    assert "没有写明" not in said


async def test_whether_the_heater_is_brought_home_is_its_pages_delivery(db, dispatcher):
    """The development battery, PA087: 热水器能送货上门吗 got "what would you like to know"."""
    from bot.actions.fallback import ActionClarify

    tracker = first_message("热水器能送货上门吗", "nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "送货入户" in said
    assert "哪方面" not in said


async def test_a_question_the_page_misses_gets_the_policy_the_shop_is_sure_of(db, dispatcher):
    from bot.actions.fallback import ActionClarify

    tracker = first_message("三体能刻名字吗", "nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "可定制" in said  # the engraving rule, not "what would you like to know"
    assert "哪方面" not in said
