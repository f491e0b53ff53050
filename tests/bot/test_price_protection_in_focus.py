"""A 价保 question about the product in focus is answered for that product first.

Trial B-T40 turn 7: after the water heater's 秒杀 price, "秒杀买了以后再降价能保价吗" got only the
general 价保 FAQ. With a product in focus the answer says first whether its running promotion
is covered (秒杀 and 直播间专享价 are not: shop/price_protection_policy.yaml), then the rule.
"""

from decimal import Decimal

from bot.actions.faq import ActionAnswerFaq
from shop.price_protection import PricePolicy, product_price_protection
from tests.shop.conftest import catalogue_product
from words.render import say

HEATER = "P5005"  # 秒杀 ¥999 now, 日常价 ¥1099 (shop/demo/catalogue.yaml)
PICTURE_BOOK = "P7004"  # only a coupon makes it cheaper now
GENERAL_RULE = "本店支持30天价保"


async def test_a_shopper_asking_about_a_flash_sale_price_hears_first_that_it_is_not_covered(
    dispatcher, tracker_with
):
    tracker = tracker_with(
        {"current_product": HEATER}, text="秒杀买了以后再降价能保价吗", intent="faq"
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    first, rest = answer.split("\n", 1)
    assert first.startswith("「美的 60升电热水器")
    assert "¥999.00 是限时秒杀价，不参与价保" in first
    assert "日常价（现在 ¥1099.00）" in first
    assert "30天内降到比您付的价格还低，才可以补差价" in first
    assert rest.startswith(GENERAL_RULE)


async def test_a_price_protection_question_with_no_product_in_focus_gets_the_general_rule(
    dispatcher, tracker_with
):
    tracker = tracker_with(text="秒杀买了以后再降价能保价吗", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"].startswith(GENERAL_RULE)


async def test_a_coupon_price_in_focus_is_named_as_not_covered(dispatcher, tracker_with):
    tracker = tracker_with({"current_product": PICTURE_BOOK}, text="这个有价保吗", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    first = dispatcher.messages[0]["text"].split("\n")[0]
    assert "¥26.00 是领券后的价格，不参与价保" in first


def test_a_product_at_its_regular_price_is_covered_and_the_excluded_prices_are_named(db, seeded_at):
    shirt = catalogue_product(db, "P1001")
    covered = product_price_protection(db, shirt, seeded_at)
    assert covered.promotion is None
    assert not covered.promotion_excluded
    text = say(covered)
    assert f"现在是日常价 ¥{shirt.price}" in text
    assert "降到限时秒杀价、直播间专享价或领券后的价格不算" in text


def test_the_policy_decides_which_promotions_and_categories_are_covered(db, seeded_at):
    heater = catalogue_product(db, HEATER)
    open_policy = PricePolicy(window_days=15, excluded_price_kinds=[])
    covered = product_price_protection(db, heater, seeded_at, open_policy)
    assert covered.promotion_price == Decimal("999.00")
    assert not covered.promotion_excluded
    assert "在价保范围内：付款后15天内" in say(covered)
    no_appliances = PricePolicy(
        window_days=30, excluded_price_kinds=[], excluded_categories=[heater.category.code]
    )
    text = say(product_price_protection(db, heater, seeded_at, no_appliances))
    assert f"是{heater.category.name}类商品，不参与价保" in text
