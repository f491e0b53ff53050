"""The product in focus follows the shopper: named → switched, 它 → kept, 那X呢 → asked again."""

from bot.actions.presale import ActionAnswerPrice, ActionAnswerProductInfo, ActionAnswerStock
from tests.bot.conftest import responses

FOCUS_SLOTS = {"current_product", "product_question"}


def _slots(events) -> dict:
    """The focus slots the action set."""
    return {
        e["name"]: e["value"]
        for e in events
        if e.get("event") == "slot" and e["name"] in FOCUS_SLOTS
    }


async def test_naming_another_product_switches_the_focus(db, dispatcher, tracker_with):
    tracker = tracker_with(
        {"current_product": "P3001", "product": "红米"}, text="安克充电宝充电多少瓦"
    )
    events = await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "22.5W" in dispatcher.messages[0]["text"]
    assert _slots(events)["current_product"] == "P3003"


async def test_an_old_product_tag_does_not_pull_the_focus_back(db, dispatcher, tracker_with):
    # the `product` slot still holds 红米 from earlier; the shopper is on the power bank now
    tracker = tracker_with(
        {"current_product": "P3003", "product": "红米手机"},
        text="它多重",
        intent="ask_product_info",
    )
    events = await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "380g" in dispatcher.messages[0]["text"]
    assert _slots(events)["current_product"] == "P3003"


async def test_a_bare_mention_asks_the_last_question_about_the_new_product(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(
        {"current_product": "P3003", "product_question": ["ask_product_info", "充电多少瓦"]},
        text="那红米呢",
        intent="ask_product_info",
    )
    events = await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "45W" in dispatcher.messages[0]["text"]
    assert _slots(events) == {
        "current_product": "P3001",
        "product_question": ["ask_product_info", "充电多少瓦"],
    }


async def test_a_bare_mention_after_a_price_question_quotes_the_new_products_price(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(
        {"current_product": "P1001", "product_question": ["ask_price_promotion", "T恤多少钱"]},
        text="那卫衣呢",
        intent="ask_product_info",  # the NLU's guess: the question asked before counts
    )
    await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "男士连帽加绒卫衣" in dispatcher.messages[0]["text"]
    assert "价格" in dispatcher.messages[0]["text"]


async def test_a_bare_mention_with_no_earlier_question_asks_what_to_know(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(text="那充电宝呢", intent="ask_product_info")
    events = await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "您想了解" in dispatcher.messages[0]["text"]
    assert _slots(events) == {"current_product": "P3003"}


async def test_follow_ups_about_the_product_in_focus(db, dispatcher, tracker_with):
    for text, expected in [
        ("有几种颜色", "3种颜色：黑色、白色、冰川蓝"),
        ("充电多少瓦", "22.5W"),
        ("能用多久", "没有写明"),  # not listed: said so, with a human
    ]:
        dispatcher.messages.clear()
        tracker = tracker_with({"current_product": "P3003"}, text=text, intent="ask_product_info")
        await ActionAnswerProductInfo().run(dispatcher, tracker, {})
        assert expected in dispatcher.messages[0]["text"], text
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


async def test_a_colour_said_about_another_product_does_not_carry_over(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(
        {"current_product": "P1001", "color": "雾霾蓝"}, text="充电宝有货吗", intent="ask_stock"
    )
    await ActionAnswerStock().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "冰川蓝" in text  # every variant, not a 雾霾蓝 it does not have
    assert "黑色" in text


async def test_a_colour_said_earlier_about_the_same_product_still_counts(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(
        {"current_product": "P1001", "color": "白色"}, text="L码呢", intent="ask_stock"
    )
    tracker.latest_message["entities"] = [{"entity": "size", "value": "L"}]
    await ActionAnswerStock().run(dispatcher, tracker, {})
    assert "白色 / L" in dispatcher.messages[0]["text"]
    assert "· 黑色" not in dispatcher.messages[0]["text"]  # only offered as in-stock instead


async def test_without_any_product_the_bot_still_asks_which(db, dispatcher, tracker_with):
    await ActionAnswerPrice().run(
        dispatcher, tracker_with(text="多少钱", intent="ask_price_promotion"), {}
    )
    assert responses(dispatcher) == ["utter_ask_which_product"]


MILK, APPLES = "P6006", "P6102"


async def test_a_product_named_in_a_policy_question_is_put_in_focus(db, dispatcher, tracker_with):
    """Trial 25, T859: 那牛奶呢 特仑苏 新疆运费多少, answered from the shipping rules, left the
    apples in focus: 买3箱多少钱 then priced the apples too, 4箱呢 gave the apples' stock."""
    from bot.actions.faq import ActionAnswerFaq

    tracker = tracker_with(
        {"current_product": APPLES}, text="那牛奶呢 特仑苏 新疆运费多少", intent="faq"
    )
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "特仑苏" in dispatcher.messages[0]["text"]
    assert _slots(events)["current_product"] == MILK


async def test_a_quantity_alone_after_a_price_is_that_many_priced(db, dispatcher, tracker_with):
    tracker = tracker_with(
        {"current_product": MILK, "product_question": ["ask_price_promotion", "买3箱多少钱"]},
        text="4箱呢",
        intent="ask_stock",
    )
    await ActionAnswerStock().run(dispatcher, tracker, {})
    assert "买4箱" in dispatcher.messages[0]["text"]
    assert "有货" not in dispatcher.messages[0]["text"]


async def test_when_a_variant_can_be_had_is_its_stock(db, dispatcher, tracker_with):
    tracker = tracker_with(
        {"current_product": MILK}, text="礼盒装那个什么时候有哈", intent="ask_product_info"
    )
    await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "新年礼盒装：暂时售罄，预计" in dispatcher.messages[0]["text"]
