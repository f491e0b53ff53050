"""Price questions get the sum the shopper asked for, worked out and said (trial 5: T76-T78)."""

from bot.actions.presale import ActionAnswerPrice, ActionAnswerProductInfo
from tests.bot.conftest import DOMAIN, after_products_talked_of, make_tracker


def _text(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def test_a_shopper_who_asks_the_dress_price_after_the_new_customer_discount_gets_239(
    db, dispatcher
):
    tracker = make_tracker(
        {"current_product": "P1002"}, "新人能减多少 到手多少钱", "ask_price_promotion"
    )
    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "到手 ¥239.00" in text
    assert "「满299减40」一件还用不上" in text


async def test_a_shopper_who_asks_a_month_of_twelve_interest_free_instalments_gets_the_amount(
    db, dispatcher
):
    tracker = make_tracker(
        {"current_product": "P3001"}, "12期免息是真的吗 一个月多少", "ask_product_info"
    )
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "每期 ¥133.25" in text
    assert "没有写明" not in text


async def test_a_shopper_who_buys_two_pairs_gets_the_running_shoes_full_off_in_the_total(
    db, dispatcher
):
    talks = [
        ("赤兔7 脚长258 穿多大", "ask_size_advice", "P2001"),
        ("回力小白鞋37有吗", "ask_stock", "P2002"),
    ]
    tracker = after_products_talked_of(talks, "这两双加起来多少", "ask_price_promotion")
    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher)
    assert "共 ¥528.00" in text
    assert "「跑鞋专区满399减40」后合计 ¥488.00" in text
