"""One keyword never sends the bot to another task, product or FAQ entry: it is read in its
sentence and the conversation (trial 6: T114, T118, T120, T108).

- a garment named in passing (里面要穿厚毛衣) keeps the product in focus;
- a price difference asked back (现在26 我32买的 退我6块) is a 价保 claim, never a return;
- a 价保 question about a purchase not yet made (买完要是又降价了能保价吗) is answered by the
  rule for the product in focus, never with an order number asked for;
- a refund worry the NLU took for a stock question (要是一周了还没有呢) is the order's refund.
"""

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.presale import ActionAdviseSize, ActionAnswerStock
from shop.models import AfterSale, Order
from tests.bot.conftest import make_tracker, responses, user_event, verified_after

DOWN_JACKET = "P1007"  # 波司登 short down jacket
SWEATER = "P1005"  # 恒源祥 knit sweater: keywords 毛衣, 针织衫
HEATER = "P5005"  # 秒杀 now
POWER_BANK = "P3003"


def _focus(events) -> str | None:
    return next((e["value"] for e in events if e.get("name") == "current_product"), None)


def _tagged(tracker, product: str):
    """The tracker with the NLU's product tag, as Rasa passes it."""
    tracker.latest_message["entities"] = [{"entity": "product", "value": product}]
    return tracker


@pytest.mark.parametrize(
    "text",
    ["里面要穿厚毛衣 选哪个", "内搭一件毛衣的话穿多大", "我想套个针织衫在里面 要大一码吗"],
)
async def test_a_shopper_who_wears_a_sweater_under_the_jacket_keeps_the_jacket_in_focus(
    db, dispatcher, text
):
    tracker = _tagged(
        make_tracker(
            {"current_product": DOWN_JACKET, "height": "163", "weight": "52"},
            text=text,
            intent="ask_size_advice",
        ),
        "毛衣",
    )
    events = await ActionAdviseSize().run(dispatcher, tracker, {})
    assert _focus(events) == DOWN_JACKET
    assert "针织衫" not in dispatcher.messages[0].get("text", "")


@pytest.mark.parametrize("text", ["毛衣有黑色吗", "那个恒源祥毛衣黑色L有吗", "针织衫还有货吗"])
async def test_a_shopper_who_asks_about_the_sweater_itself_switches_to_it(db, dispatcher, text):
    tracker = _tagged(
        make_tracker({"current_product": DOWN_JACKET}, text=text, intent="ask_stock"), "毛衣"
    )
    events = await ActionAnswerStock().run(dispatcher, tracker, {})
    assert _focus(events) == SWEATER


@pytest.mark.parametrize(
    "text",
    [
        "这个现在26 我32买的 退我6块",
        "现在才26了 我买的时候32 退差的给我",
        "今天看只卖26 我前天32拍的",
    ],
)
async def test_a_shopper_who_asks_a_price_difference_back_gets_the_price_rule_not_a_return(
    db, dispatcher, text
):
    tracker, order_no = verified_after("coupon_only", "request_return_exchange", text)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "退换货" not in said
    assert "七天无理由" not in said
    assert "券" in said  # only a coupon makes it cheaper: 券后价 is not covered
    assert SlotSet("pending_request", "request_return_exchange") not in events
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert not db.scalars(select(AfterSale).where(AfterSale.order_id == order.id)).first()


@pytest.mark.parametrize(
    "text", ["买完要是又降价了能保价吗", "如果我下单以后降价了 给补差价吗", "万一买了就降价咋办"]
)
async def test_a_shopper_asking_about_a_price_drop_before_buying_gets_the_rule_not_an_order_request(
    db, dispatcher, text
):
    tracker = make_tracker({"current_product": HEATER}, text=text, intent="faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    said = dispatcher.messages[0].get("text") or ""
    assert said.startswith("「美的 60升电热水器")  # the rule for this product's price first
    assert "秒杀" in said
    assert "价保" in said
    assert "手机号后4位" not in said
    assert SlotSet("order_need", "price_protection") not in events


async def test_a_shopper_with_an_order_who_says_the_price_dropped_still_gets_the_order_check(
    db, dispatcher
):
    tracker = make_tracker({}, text="我昨天买的降价了 能保价吗", intent="faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert SlotSet("order_need", "price_protection") in events


@pytest.mark.parametrize("text", ["要是一周了还没有呢", "过几天还没有怎么办", "那还没有呢"])
async def test_a_shopper_worried_about_a_refund_gets_the_refund_not_the_items_stock(
    db, dispatcher, text
):
    tracker, _ = verified_after("refunded", "ask_refund_status", "说退款成功了 我卡里没有啊")
    tracker.events.append(user_event(text, "ask_stock"))
    tracker.latest_message = {"text": text, "intent": {"name": "ask_stock"}, "entities": []}
    await ActionAnswerStock().run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "有货" not in said
    assert "售罄" not in said
    assert "退" in said


async def test_a_stock_question_on_the_orders_item_is_still_answered(db, dispatcher):
    tracker, _ = verified_after("returnable", "track_order", "到哪了")
    tracker.events.append(user_event("这个还有货吗 想再买一个", "ask_stock"))
    tracker.latest_message = {
        "text": "这个还有货吗 想再买一个",
        "intent": {"name": "ask_stock"},
        "entities": [],
    }
    events = await ActionAnswerStock().run(dispatcher, tracker, {})
    assert _focus(events) is not None
    assert responses(dispatcher) == [None]
