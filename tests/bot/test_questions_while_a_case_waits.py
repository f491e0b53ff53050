"""A question about a case said back for its yes is answered from it, the case still waiting,
never the case said again whole (trial 24, T826: 要我先把错的寄回去吗 got the wrong item's case
said back word for word)."""

from bot.actions.order_lookup import ActionHandleOrderRequest
from tests.bot.conftest import DOMAIN, after_an_order_request, bot_said, slots_set


def _waiting(situation: str, told: str, intent: str, text: str, pending: str):
    tracker, _ = after_an_order_request(situation, told, intent, text, intent)
    tracker.slots["pending_request"] = pending
    tracker.events.append({"event": "slot", "name": "pending_request", "value": pending})
    return tracker


async def test_the_trip_of_the_wrong_item_asked_while_its_case_waits_is_answered(db, dispatcher):
    tracker = _waiting(
        "wrong_item",
        "毛衣发错了 我买的黑色 收到是燕麦色的",
        "report_wrong_or_missing_item",
        "要我先把错的寄回去吗",
        "case_wrong_item",
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "不用等发错的那件寄回来" in said
    assert "确认登记吗" not in said  # not the case said again
    assert "还没有提交" in said
    assert slots_set(events)["pending_request"] == "case_wrong_item"  # waits as it did


async def test_a_later_return_asked_while_a_chase_waits_is_told_its_postage(db, dispatcher):
    tracker = _waiting(
        "stalled", "快递好几天没动了", "report_delivery_delay", "那我收到以后再退呢 运费谁出",
        "case_delayed",
    )  # fmt: skip
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "不需要您寄回任何东西" not in said
