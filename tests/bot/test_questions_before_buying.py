"""Pre-sale questions put as order requests (trial 10: T243, T245, T248, T254, T278): with no
order in the conversation, a warranty question with 坏了 in it, a delivery question about a
purchase still to make, and the bot's own FAQ button are answered from the product page or the
policy, never with a request for the order number; a problem told still asks for the order."""

import uuid
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest, ValidateOrderLookupForm
from tests.bot.conftest import DOMAIN, make_tracker, slots_set, user_event

ASKS_FOR_THE_ORDER = "麻烦把订单号"


async def _request(text: str, intent: str, product: str | None = None) -> str:
    """The order lookup form started by `text` (read as `intent`), then the request's action,
    as Rasa runs them; what the bot said."""
    slots: dict[str, Any] = {"current_product": product} if product else {}
    tracker = make_tracker(slots, text, intent, "order_lookup_form")
    tracker.sender_id = uuid.uuid4().hex
    dispatcher = CollectingDispatcher()
    validated = slots_set(await ValidateOrderLookupForm().run(dispatcher, tracker, DOMAIN))
    if validated.get("requested_slot", "unset") is not None:
        return ASKS_FOR_THE_ORDER  # the form goes on to ask for the order number
    tracker.slots.update(validated)
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    return "\n".join(str(m.get("text") or m.get("response")) for m in dispatcher.messages)


async def test_a_warranty_question_about_the_laptop_in_focus_gets_its_warranty_not_an_apology():
    said = await _request("保修几年？电池也一样吗？坏了要自己送修吗？", "request_repair", "P4001")
    assert ASKS_FOR_THE_ORDER not in said
    assert "抱歉" not in said  # no 收到的东西坏了 apology
    assert "整机2年" in said


async def test_how_long_the_warranty_is_and_what_if_it_breaks_is_the_policy():
    for text in ("质保多久 坏了怎么修", "保修期多长 屏幕碎了保吗", "保修要发票吗 坏了怎么办"):
        said = await _request(text, "request_repair", "P3003")
        assert ASKS_FOR_THE_ORDER not in said, text


async def test_tapping_the_bots_own_warranty_button_leads_to_the_warranty():
    said = await _request("保修多久？坏了怎么维修？", "request_repair")
    assert ASKS_FOR_THE_ORDER not in said
    assert "保修" in said


async def test_tapping_the_bots_own_fresh_fruit_button_leads_to_the_fresh_fruit_rule():
    said = await _request("生鲜水果收到有坏的怎么办？", "report_damaged_item")
    assert ASKS_FOR_THE_ORDER not in said
    assert "抱歉" not in said


async def test_fruit_said_to_have_arrived_bad_in_the_buttons_words_plus_more_asks_for_the_order():
    said = await _request("生鲜水果收到有坏的怎么办 我的橙子烂了三个", "report_damaged_item")
    assert said == ASKS_FOR_THE_ORDER


async def test_a_breakdown_told_beside_a_warranty_question_still_asks_for_the_order():
    for text in ("买的东西用了两个月坏了 开不了机 保修吗", "我的耳机坏了 保修几年"):
        assert await _request(text, "request_repair") == ASKS_FOR_THE_ORDER, text


async def test_whether_goods_bought_today_arrive_by_a_day_is_answered_before_buying():
    for text, product in (
        ("今天下单周五前能到北京不", None),
        ("现在拍 后天能送到杭州吗", None),
        ("要两盒 下周三之前能到上海吗", "P6005"),
        ("买三件的话 周末前能到广州吗", "P5004"),
    ):
        said = await _request(text, "track_order", product)
        assert ASKS_FOR_THE_ORDER not in said, text


async def test_a_parcel_already_ordered_is_still_looked_up():
    for text, product in (
        ("我今天下单的 周五能到吗", None),
        ("我昨天买的茶叶 周三能到上海吗", "P6005"),
        ("快递到哪了 怎么还没到", "P6005"),
    ):
        assert await _request(text, "track_order", product) == ASKS_FOR_THE_ORDER, text


async def _faq(text: str, earlier: list[str] | None = None) -> str:
    history = [user_event(t, "faq") for t in earlier or []]
    tracker = make_tracker({}, text, "faq", earlier=history)
    tracker.sender_id = uuid.uuid4().hex
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    return "\n".join(str(m.get("text") or m.get("response")) for m in dispatcher.messages)


async def test_whether_fruit_freezes_on_the_way_to_a_far_city_is_answered_not_apologised_for():
    for text in (
        "寄乌鲁木齐 能发吗 会不会冻坏",
        "发哈尔滨的话 路上会不会冻坏",
        "橙子寄过去会烂吗 怕路上坏了",
    ):
        said = await _faq(text, ["赣南脐橙能发申通吗"])
        assert ASKS_FOR_THE_ORDER not in said, text
        assert "抱歉" not in said, text


async def test_fruit_that_arrived_frozen_is_still_met_and_the_order_asked_for():
    said = await _faq("橙子到了冻坏了好几个", ["赣南脐橙能发申通吗"])
    assert ASKS_FOR_THE_ORDER in said
