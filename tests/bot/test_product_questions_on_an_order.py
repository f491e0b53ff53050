"""A product question with no product named or in focus, on a verified order (trial 4: "请问您想
了解的是哪一款商品呢" to 那黑色呢, 现在还是这个价吗, 那要多久, 补多少 with the order known)."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.presale import ActionAnswerPrice, ActionAnswerProductInfo, ActionAnswerStock
from core.clock import utcnow
from shop.orders import load_order
from shop.tracking import order_progress
from tests.bot.conftest import DOMAIN, demo_order, make_tracker, user_event
from words.render import say

ASK_WHICH = "utter_ask_which_product"


async def _ask(action: Any, text: str, intent: str, order_no: str | None, earlier=()) -> tuple:
    slots = {"verified_order_no": order_no} if order_no else {}
    tracker = make_tracker(slots, text=text, intent=intent, earlier=list(earlier))
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)
    focus = [
        e["value"] for e in events if e.get("event") == "slot" and e["name"] == "current_product"
    ]
    return said, focus


async def test_a_colour_asked_about_on_a_verified_order_is_about_the_orders_item():
    order_no, _ = demo_order("awaiting_shipment", "P3001-BK-12256")
    said, focus = await _ask(ActionAnswerStock(), "那黑色呢 黑色的有没有", "ask_stock", order_no)
    assert ASK_WHICH not in said
    assert focus == ["P3001"]
    assert "黑" in said


async def test_the_price_asked_again_after_a_cancelled_order_is_its_items_price():
    order_no, _ = demo_order("cancelled", "P3005-SV")
    said, focus = await _ask(
        ActionAnswerPrice(), "那我重新拍吧 现在还是这个价吗", "ask_price_promotion", order_no
    )
    assert focus == ["P3005"]
    assert "¥" in said
    assert ASK_WHICH not in said


async def test_how_long_after_the_tracking_was_shown_is_answered_from_the_tracking(db):
    order_no, tail = demo_order("in_transit", "P2001-BK-42")
    order = load_order(db, order_no)
    assert order is not None
    tracked = say(order_progress(order, utcnow()))
    earlier = [
        user_event(f"帮我查下快递 {order_no} 尾号{tail}", "track_order"),
        {"event": "bot", "text": tracked},
    ]
    said, focus = await _ask(
        ActionAnswerProductInfo(), "那要多久", "ask_product_info", order_no, earlier
    )
    assert focus == []
    assert ASK_WHICH not in said
    assert said != tracked
    assert "送达" in said


async def test_a_question_on_a_verified_order_that_no_catalogue_fact_answers_is_asked_back():
    order_no, _ = demo_order("in_transit", "P2001-BK-42")
    said, focus = await _ask(ActionAnswerProductInfo(), "补多少", "ask_product_info", order_no)
    assert focus == []
    assert ASK_WHICH not in said
    assert said in ("utter_default", "utter_clarify_intent")


async def test_a_product_question_with_no_product_and_no_order_asks_which_product():
    said, focus = await _ask(ActionAnswerPrice(), "多少钱", "ask_price_promotion", None)
    assert said == ASK_WHICH
    assert focus == []
