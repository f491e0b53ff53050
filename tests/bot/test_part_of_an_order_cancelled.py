"""A cancel of one of an order's goods (只取消洗脸巾 四件套留着) is never answered with the whole
order's cancel for a yes (trial 17, T553: one tap would have cancelled the 四件套 he wanted)."""

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop import aftersales
from tests.bot.conftest import DOMAIN, bot_said, order_in, verified_after

PART = "洗脸巾不要了 只取消洗脸巾 四件套留着"
TWO_PRODUCTS = 2  # the third unshipped demo order: a bedding set and face towels


async def test_a_cancel_of_one_item_says_the_order_goes_whole_and_offers_no_yes(db, dispatcher):
    tracker, _ = verified_after("awaiting_shipment", "cancel_order", PART, which=TWO_PRODUCTS)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "只能整单取消" in said
    assert "四件套" in said  # what a whole cancel would take too
    assert "确认帮您取消吗" not in said
    assert not [e for e in events if e.get("name") == "pending_request" and e.get("value")]


async def test_a_cancel_of_the_whole_order_is_said_back_as_before(db, dispatcher):
    tracker, _ = verified_after(
        "awaiting_shipment", "cancel_order", "不要了 取消", which=TWO_PRODUCTS
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "确认帮您取消吗" in bot_said(dispatcher)


def test_the_part_cancelled_is_the_one_its_clause_names(db):
    order = order_in(db, "awaiting_shipment", which=TWO_PRODUCTS)
    part = aftersales.part_cancel_asked(order, PART)
    assert part is not None
    assert "洗脸巾" in part.named
    assert [name for name in part.kept if "四件套" in name]
    assert aftersales.part_cancel_asked(order, "整单取消") is None
    # trial 24, T803: the whole order's cancel was offered for these
    for words in ("里面的四件套不想要了 洗脸巾还要的", "四件套不要了 洗脸巾保留"):
        part = aftersales.part_cancel_asked(order, words)
        assert part is not None, words
        assert "四件套" in part.named
