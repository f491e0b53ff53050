"""The new colour or size asked for during a change (trial 6 T96): a question about the choices
(有啥颜色, 那黑色呢) is answered with the product's variants and their stock, and the step goes
on; a value with a condition (没有的话白色吧) takes what is in stock, or says nothing named is
and the step goes on; never "没理解", never "先不改了"."""

import uuid

import pytest

from bot.actions.order_changes import ActionAskChangeValue, ValidateModifyOrderForm
from tests.bot.conftest import DOMAIN, make_tracker, user_event

BEDDING = ("5628194821993518", "3917")  # 罗莱 四件套 奶咖色 (雾霾蓝 in stock, 云白色 sold out)
TEE = ("P1001-BK-M",)  # 森马 T恤 黑色 / M


def _value_turn(text: str, intent: str, earlier: tuple[tuple[str, str], ...] = ()):
    order_no, tail = BEDDING
    slots = {
        "order_id": order_no, "verified_order_no": order_no, "phone_tail": tail,
        "change_field": "spec", "requested_slot": "change_value",
    }  # fmt: skip
    tracker = make_tracker(slots, text, intent, "modify_order_form")
    tracker.sender_id = uuid.uuid4().hex
    tracker.events = [*(user_event(t, i) for t, i in earlier), user_event(text, intent)]
    return tracker


def _slots(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [("有啥颜色", "ask_stock"), ("都有什么颜色啊", "nlu_fallback"),
     ("颜色有哪些", "ask_product_info"), ("还有别的颜色吗", "ask_stock")],
)  # fmt: skip
async def test_a_shopper_who_asks_which_colours_there_are_at_the_value_step_gets_them_and_goes_on(
    dispatcher, db, text, intent
):
    tracker = _value_turn(text, intent)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    said = dispatcher.messages[0]["text"]
    assert "奶咖色" in said  # what the order has now
    assert "雾霾蓝" in said
    assert "云白色" in said
    assert "售罄" in said
    assert _slots(events).get("change_value", "unset") is None  # not rejected: the step goes on
    # the form asks again, briefly: the list is not repeated
    tracker.events += [{"event": "bot", "text": said}]
    await ActionAskChangeValue().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[-1]["text"] == "您想换成哪一个呢？直接告诉我就行～"


@pytest.mark.parametrize("text", ["那黑色呢", "黑色有没有", "有没有黑色的"])
async def test_a_shopper_who_asks_about_a_colour_the_product_lacks_is_told_and_shown_the_choices(
    dispatcher, db, text
):
    events = await ValidateModifyOrderForm().run(dispatcher, _value_turn(text, "ask_stock"), DOMAIN)
    said = dispatcher.messages[0]["text"]
    assert "这款没有黑色" in said
    assert "雾霾蓝" in said
    assert _slots(events).get("change_value", "unset") is None


@pytest.mark.parametrize(
    ("text", "intent", "earlier"),
    [("没有的话白色吧", "deny", (("那黑色呢", "ask_stock"),)),
     ("有黑色就黑色 没有就白色", "inform", ()),
     ("要白色的 没货的话黑的也行", "deny", ())],
)  # fmt: skip
async def test_a_conditional_value_with_nothing_named_in_stock_says_so_and_the_step_goes_on(
    dispatcher, db, text, intent, earlier
):
    tracker = _value_turn(text, intent, earlier)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "先不改" not in said
    assert "现在能换的有：雾霾蓝" in said
    assert _slots(events).get("change_value", "unset") is None


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("没有的话蓝色吧", (("白色有吗", "ask_stock"),)),
        ("白色没货就换雾霾蓝", ()),
        ("要是白的没了 就蓝的吧", ()),
    ],
)
async def test_a_conditional_value_takes_the_first_named_in_stock_for_the_yes(
    dispatcher, db, text, earlier
):
    tracker = _value_turn(text, "deny", earlier)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert "按您说的换成「雾霾蓝" in dispatcher.messages[0]["text"]
    assert str(_slots(events)["change_value"]).startswith("雾霾蓝")


async def test_a_plain_value_at_the_value_step_is_read_as_before(dispatcher, db):
    events = await ValidateModifyOrderForm().run(
        dispatcher, _value_turn("换雾霾蓝", "modify_order"), DOMAIN
    )
    assert str(_slots(events)["change_value"]).startswith("雾霾蓝")
    assert not any("库存" in (m.get("text") or "") for m in dispatcher.messages)
