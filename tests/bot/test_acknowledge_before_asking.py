"""Before asking for the order, the bot meets what the shopper said; a policy question is
answered without demanding an order; the order number is read however it is typed."""

import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from bot.actions.order_context import ActionTakeOrderNumber
from bot.actions.order_lookup import (
    ActionAskOrderId,
    ActionHandleOrderRequest,
    ValidateOrderLookupForm,
)
from bot.actions.presale import ActionAnswerStock
from shop.models import Order, OrderStatus
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    demo_order,
    lookup_turn,
    make_tracker,
    responses,
    user_event,
)

ASKS_BOTH = "订单号和收货手机号后4位一起发给我"


def _asking(text: str, intent: str, slots: dict[str, Any] | None = None) -> Tracker:
    """The turn in which the lookup form asks for the order number after `text`."""
    return make_tracker(
        {"requested_slot": "order_id", **(slots or {})}, text, intent, "order_lookup_form"
    )


async def _asked(tracker: Tracker, dispatcher) -> dict[str, Any]:
    await ActionAskOrderId().run(dispatcher, tracker, DOMAIN)
    assert len(dispatcher.messages) == 1  # the acknowledgement and the question: one message
    message: dict[str, Any] = dispatcher.messages[0]
    return message


# --- the acknowledgement, then the question -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "heard"),
    [
        ("我的快递第四天没动了", "report_delivery_delay", "让您着急了"),
        ("拍了好几天了怎么还不发货", "report_delivery_delay", "还没给您发货"),
        ("东西到了就是坏的！！！", "report_damaged_item", "非常抱歉"),
        ("亲 昨天到的水果坏了好多 有的都烂出水了", "report_damaged_item", "坏了"),
        ("中通显示签收了 快递柜我翻遍了都没有", "report_lost_parcel", "一定帮您查清楚"),
        ("你们发错货了吧", "report_wrong_or_missing_item", "发错货"),
        ("少发了一件", "report_wrong_or_missing_item", "少发了"),
    ],
)
async def test_a_shopper_reporting_a_problem_hears_it_acknowledged_before_the_order_is_asked(
    text, intent, heard, dispatcher
):
    message = await _asked(_asking(text, intent), dispatcher)
    first, question = message["text"].split("\n")
    assert heard in first
    assert ASKS_BOTH in question  # number and tail in the same message
    assert "订单详情" in question


async def test_a_worried_shopper_in_a_hurry_is_reassured_before_the_order_is_asked(dispatcher):
    message = await _asked(_asking("给我妈买的 急用 到哪了", "track_order"), dispatcher)
    assert "急着用" in message["text"]
    assert ASKS_BOTH in message["text"]


async def test_a_plain_request_gets_a_short_yes_before_the_order_is_asked(dispatcher):
    message = await _asked(_asking("我想把订单取消了", "cancel_order"), dispatcher)
    assert message["text"].startswith("好的，我来帮您看看这单能不能取消")
    assert "抱歉" not in message["text"]


async def test_after_the_bot_has_already_answered_the_message_the_question_comes_alone(dispatcher):
    tracker = _asking("再不发货我就退款了啊", "complain")
    tracker.events.append({"event": "bot", "text": "非常抱歉让您不愉快了，我先帮您查一下订单。"})
    message = await _asked(tracker, dispatcher)
    assert message["text"].startswith("麻烦把订单号和收货手机号后4位")
    assert "抱歉" not in message["text"]  # one apology per message, not two


async def test_a_shopper_who_gave_only_the_tail_is_told_why_the_number_is_still_needed(dispatcher):
    tracker = _asking("我的是尾号6384的那个订单", "inform", {"phone_tail": "6384"})
    message = await _asked(tracker, dispatcher)
    assert "尾号 6384" in message["text"]
    assert "还需要订单号" in message["text"]
    assert "后4位" not in message["text"]  # the tail is not asked again


# --- where to find the order number ---------------------------------------------------------


async def test_a_shopper_who_asks_where_the_order_number_is_gets_the_steps_and_the_form_stays(
    dispatcher,
):
    text = "订单号在哪里看啊，我不会弄。"
    slots = await _validate(lookup_turn(text, {"requested_slot": "order_id"}), dispatcher)
    assert slots == {"order_id": None}  # the form keeps asking: no FAQ answer takes the turn
    message = await _asked(_asking(text, "faq"), dispatcher)
    assert "我的订单" in message["text"]
    assert "订单编号" in message["text"]
    assert "说明书" not in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/request_human"]


# --- an order number typed in groups --------------------------------------------------------


async def _validate(tracker: Tracker, dispatcher) -> dict:
    events = await ValidateOrderLookupForm().run(dispatcher, tracker, DOMAIN)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def order(db) -> Order:
    return db.scalars(select(Order).where(Order.status == OrderStatus.SHIPPED).limit(1)).one()


def _in_groups(digits: str) -> str:
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


async def test_an_order_number_read_out_in_groups_is_one_number_and_only_the_tail_is_asked(
    dispatcher, order
):
    spaced = _in_groups(order.order_no)
    misread = {"phone_tail": spaced[-4:]}  # the NLU took the last group for a tail
    slots = await _validate(
        lookup_turn(spaced, {"requested_slot": "order_id"}, misread), dispatcher
    )
    assert slots["order_id"] == order.order_no
    assert slots.get("phone_tail") is None
    assert "verified_order_no" not in slots
    assert "utter_pair_not_matched" not in responses(dispatcher)  # no tail was given yet


async def test_an_order_number_in_groups_with_the_tail_after_it_verifies_the_order(
    dispatcher, order
):
    text = f"{_in_groups(order.order_no)} {order.phone_tail}"
    slots = await _validate(lookup_turn(text, {"requested_slot": "order_id"}), dispatcher)
    assert slots["verified_order_no"] == order.order_no


# --- a policy question is answered, not met with a demand for the order ----------------------


def _starting(text: str, intent: str) -> Tracker:
    """The turn in which `text` starts the order lookup (nothing asked yet)."""
    tracker = make_tracker({}, text, intent)
    tracker.sender_id = uuid.uuid4().hex
    return tracker


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("生鲜能七天无理由吗", "request_return_exchange"),
        ("七天无理由是所有东西都可以吗 口红拆了试色还能退不", "request_return_exchange"),
        ("退货运费谁出", "request_return_exchange"),
        ("保修多久", "request_repair"),
    ],
)
async def test_a_policy_question_put_as_an_order_request_ends_the_lookup_before_it_asks(
    text, intent, dispatcher
):
    slots = await _validate(_starting(text, intent), dispatcher)
    assert slots == {"requested_slot": None}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我要退货", "request_return_exchange"),
        ("退货审核通过了 然后要干嘛 寄到哪里", "request_return_exchange"),
        ("买的东西用了两个月坏了 开不了机 保修吗", "request_repair"),
        ("我的快递到哪了", "track_order"),
    ],
)
async def test_a_request_about_the_shoppers_own_order_still_starts_the_lookup(
    text, intent, dispatcher
):
    slots = await _validate(_starting(text, intent), dispatcher)
    assert "requested_slot" not in slots  # the form asks for the order number


async def test_a_policy_question_gets_the_policy_and_the_order_number_is_offered(dispatcher):
    tracker = _starting("生鲜能七天无理由吗", "request_return_exchange")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "7天无理由" in text
    assert "生鲜" in text
    assert "发给我" in text  # offered for their own order, not demanded
    assert "utter_order_not_verified" not in responses(dispatcher)
    assert SlotSet("policy_request", True) in events


async def test_the_stock_of_two_sizes_and_the_return_rule_asked_together_are_both_answered(
    dispatcher,
):
    """Trial 21, T702: "那白绿的37和38都有吧 买了不合适能换吗" about the 回力 shoes got only
    "白绿 / 38：有货"; the 37 and the exchange question were lost."""
    tracker = make_tracker(
        {"current_product": "P2002"},
        "那白绿的37和38都有吧 买了不合适能换吗",
        "request_return_exchange",
    )
    tracker.sender_id = uuid.uuid4().hex
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "白绿 / 37：有货" in said
    assert "白绿 / 38：有货" in said
    assert "换一次尺码或颜色" in said  # the shoes' exchange rule
    assert "utter_order_not_verified" not in responses(dispatcher)


def _after_policy_answer(question: str, intent: str, then: str, between: int = 0) -> Tracker:
    earlier = [
        user_event(question, intent),
        {"event": "action", "name": "action_handle_order_request"},
        {"event": "slot", "name": "policy_request", "value": True},
    ]
    for _ in range(between):
        earlier += [
            user_event("满多少包邮", "faq"),
            {"event": "action", "name": "action_answer_faq"},
        ]
    tracker = make_tracker({"policy_request": True}, then, "inform", earlier=earlier)
    tracker.sender_id = uuid.uuid4().hex
    return tracker


async def test_the_order_number_after_a_policy_answer_is_taken_for_the_request_asked(dispatcher):
    order_no, tail = demo_order("fresh_delivered")
    tracker = _after_policy_answer(
        "生鲜能七天无理由吗", "request_return_exchange", f"{order_no} {tail}"
    )
    events = await ActionTakeOrderNumber().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("policy_request", True) in events  # the rules start the lookup for it
    assert SlotSet("order_id", order_no) in events
    assert dispatcher.messages == []  # no "请问您想咨询什么"


async def test_an_order_number_long_after_a_policy_answer_is_not_taken_for_it(dispatcher):
    order_no, _ = demo_order("fresh_delivered")
    tracker = _after_policy_answer("生鲜能七天无理由吗", "request_return_exchange", order_no, 5)
    events = await ActionTakeOrderNumber().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("policy_request", None) in events
    assert responses(dispatcher) == ["utter_ask_how_to_help"]


async def test_a_wrong_colour_told_of_goods_bought_asks_for_the_order_not_its_stock(db, dispatcher):
    # trial 23, T771: "买的黑色毛衣 寄来的是燕麦色 还是M码" got the oatmeal M's stock
    text = "买的黑色毛衣 寄来的是燕麦色 还是M码"
    tracker = make_tracker({}, text=text, intent="ask_stock")
    await ActionAnswerStock().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "有货" not in said
    assert "订单号" in said
    assert "发错" in said  # the wrong item heard first
