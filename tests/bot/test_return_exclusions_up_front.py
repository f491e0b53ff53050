"""A no-reason return is said back with the order's own category rule first (trial 11: T302 an
opened lipstick shown as returnable twice, T315 an installed water heater offered with no
caveat): the offer quotes what the category excludes (美妆 opened or used, 大家电 once
installed), and a shopper who then says the goods were opened and tried hears the rule, with a
person offered, instead of the no-reason window again."""

import uuid

import pytest

from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from shop.opened_returns import asks_about_opened_goods, said_used
from tests.bot.conftest import demo_order, make_tracker, user_event

LIPSTICK = "P8003-R01"  # 完美日记 口红, in the returnable demo order
WATER_HEATER = "P5005-WH"  # 美的 60升电热水器, signed for a few days ago
TROUSERS = "P1004-KH-32"
CONFIRM_PAYLOADS = ["/affirm", "/deny"]


def _asked(situation: str, sku: str, text: str, **slots):
    order_no, tail = demo_order(situation, sku)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, **slots},
        text=tail, intent="inform",
        earlier=[user_event(text, "request_return_exchange"), user_event(order_no, "inform")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker


@pytest.mark.parametrize(
    "text", ["口红太红了 想退掉", "这个色号不适合我 能退吗", "不想要了 退了吧"]
)
async def test_a_lipstick_return_is_offered_with_the_cosmetics_rule_on_opened_goods_first(
    dispatcher, text
):
    await ActionHandleOrderRequest().run(dispatcher, _asked("returnable", LIPSTICK, text), {})
    offer = dispatcher.messages[0]["text"]
    assert "美妆个护类的规则是：未拆封" in offer
    assert "已拆封或使用过不支持无理由退货" in offer
    assert "吊牌" not in offer  # clothes' words are not the lipstick's rule


@pytest.mark.parametrize("text", ["热水器不想要了 退货", "不退差价我就退货", "装好了不满意能退吗"])
async def test_a_water_heater_return_is_offered_with_the_installed_appliance_exclusion(
    dispatcher, text
):
    tracker = _asked("flash_sale_now", WATER_HEATER, text)
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    offer = dispatcher.messages[0]["text"]
    assert "需上门安装的大家电安装后不支持无理由退货" in offer


async def test_trousers_keep_the_clothes_rule_of_tags_and_no_washing(dispatcher):
    tracker = _asked("returnable", TROUSERS, "裤子腰紧 想换大一码")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    offer = dispatcher.messages[0]["text"]
    assert "吊牌完好、未洗涤、未穿着" in offer
    assert "拆封" not in offer.split("贴身衣物")[0]  # no cosmetics rule


def _waiting(sku: str, text: str):
    order_no, tail = demo_order("returnable", sku)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail,
         "pending_request": "request_return_exchange"},
        text=text, intent="inform",
        earlier=[user_event("想退", "request_return_exchange"),
                 user_event(f"{order_no} {tail}", "inform"),
                 {"event": "action", "name": "action_handle_order_request"},
                 {"event": "action", "name": "action_listen"}],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker


@pytest.mark.parametrize(
    "text", ["拆开试涂过一次 就一次😅", "拆封涂了一下", "包装拆了 试了一下颜色", "拆开用过一次"]
)
async def test_an_opened_and_tried_lipstick_hears_it_cannot_go_back_without_a_reason(
    dispatcher, text
):
    await ActionAnswerPendingRequest().run(dispatcher, _waiting(LIPSTICK, text), {})
    message = dispatcher.messages[0]
    assert "没法走七天无理由退货" in message["text"]
    assert "还剩" not in message["text"]  # not the no-reason window again
    assert [b["payload"] for b in message.get("buttons") or []] != CONFIRM_PAYLOADS


async def test_trousers_unpacked_but_never_worn_still_go_back(dispatcher):
    await ActionAnswerPendingRequest().run(dispatcher, _waiting(TROUSERS, "包装拆了 没穿过"), {})
    message = dispatcher.messages[0]
    assert "不影响七天无理由退货" in message["text"]


def test_tried_goods_are_read_as_used_and_unused_ones_are_not():
    assert said_used("拆开试涂过一次")
    assert said_used("拆了穿了一天")
    assert not said_used("拆开了 没用过")
    assert not said_used("拆了 还没试过")
    assert asks_about_opened_goods("拆开试涂过一次 就一次")
    assert not asks_about_opened_goods("收到的包装被拆过 少了一支")  # a problem, not this
