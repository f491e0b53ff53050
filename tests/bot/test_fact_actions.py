"""Facts the chat must get right: each item's own warranty, refund times from the policy,
shoe sizes by foot length, no restock date in the past."""

import uuid

from sqlalchemy import select

from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from bot.actions.presale import ActionAdviseSize, ActionAnswerStock
from conversations.models import Escalation
from faq.knowledge_base import get_entry
from shop import aftersales
from shop.models import Order, Product
from tests.bot.conftest import demo_order, make_tracker, user_event
from words.render import say

TWO_ITEMS = "P3005-BK"  # the demo order in warranty holding a charger (18 months) and a band (12)


def _verified(situation: str, request: str, text: str, sku: str | None = None):
    order_no, tail = demo_order(situation, sku)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=tail, earlier=[user_event(text, request), user_event(order_no, "inform")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def _escalations(db, tracker) -> list[Escalation]:
    query = select(Escalation).where(Escalation.conversation_id == tracker.sender_id)
    return list(db.scalars(query))


async def test_a_repair_on_an_order_of_two_products_asks_which_one_with_buttons(db, dispatcher):
    tracker, order_no = _verified("in_warranty", "request_repair", "坏了要修", TWO_ITEMS)
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    [asked] = dispatcher.messages
    assert order_no in asked["text"]
    assert "哪一件出了问题" in asked["text"]
    payloads = [b["payload"] for b in asked["buttons"]]
    assert payloads == ['/request_repair{"product":"P3004"}', '/request_repair{"product":"P3005"}']
    assert _escalations(db, tracker) == []  # nobody is asked to repair an unknown item


async def test_the_item_named_gets_its_own_warranty_and_the_shoppers_words_go_to_the_agent(
    db, dispatcher
):
    tracker, _ = _verified("in_warranty", "request_repair", "那个充电头坏了", TWO_ITEMS)
    tracker.events.append(user_event('/request_repair{"product":"P3004"}', "request_repair"))
    tracker.latest_message["text"] = '/request_repair{"product":"P3004"}'
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "绿联" in text
    assert "保修18个月" in text
    assert "小米手环" not in text
    assert _escalations(db, tracker) == []  # "保修吗" is a question: nothing until the yes
    assert {"event": "slot", "name": "pending_request", "value": "request_repair"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    tracker.slots["pending_request"] = "request_repair"
    tracker.events.append({"event": "action", "name": "action_handle_order_request"})
    tracker.events.append(user_event("确认", "affirm"))
    tracker.latest_message.update(text="确认", intent={"name": "affirm", "confidence": 1.0})
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    [escalation] = _escalations(db, tracker)
    assert escalation.detail == "那个充电头坏了"  # not the button's payload


async def test_the_other_item_named_in_words_gets_its_own_shorter_warranty(db, dispatcher):
    tracker, _ = _verified("in_warranty", "request_repair", "小米手环充不进电了", TWO_ITEMS)
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "小米手环9" in text
    assert "保修1年" in text


async def test_a_refund_says_the_time_its_payment_method_takes(db, dispatcher):
    tracker, order_no = _verified("refund_in_progress", "ask_refund_status", "退款到哪了")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    channel = order.after_sales[-1].refund_channel
    text = dispatcher.messages[0]["text"]
    assert f"原路退回{channel}，{say(aftersales.refund_arrival(channel))}" in text
    assert "即时到账" not in text


async def test_the_faq_refund_answer_says_the_same_times_as_the_refund_status(db, dispatcher):
    tracker = make_tracker(text="退款一般几天到账", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert say(aftersales.refund_times()) in text
    assert f"银行卡{say(aftersales.refund_arrival('银行卡'))}" in text
    assert "{" not in text
    assert "{refund_times}" in get_entry(db, "refund_time").answer  # one source: the policy


async def test_the_faq_warranty_answer_starts_with_the_products_own_warranty(db, dispatcher):
    charger = db.scalars(select(Product).where(Product.code == "P3004")).one()
    tracker = make_tracker({"current_product": "P3004"}, text="保修多久啊", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert text.startswith(f"这款「{charger.name}」的保修：18个月")  # its own, from the catalogue
    assert "一般为12个月" not in text


async def test_shoes_are_sized_by_the_foot_length_in_the_message(db, dispatcher):
    tracker = make_tracker(text="李宁跑鞋 脚长245穿多大", intent="ask_size_advice")
    await ActionAdviseSize().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "39码和40码之间" in text
    assert "建议选 40 码" in text


async def test_height_and_weight_for_shoes_ask_for_the_foot_length(db, dispatcher):
    tracker = make_tracker(text="李宁跑鞋 身高175体重140斤穿几码", intent="ask_size_advice")
    await ActionAdviseSize().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert text.startswith("身高体重换算不出鞋码")
    assert "脚长" in text


async def test_a_foot_length_given_after_the_question_gets_the_size(db, dispatcher):
    tracker = make_tracker({"current_product": "P2002"}, text="24.5", intent="inform")
    await ActionAdviseSize().run(dispatcher, tracker, {})
    assert "建议选 39 码" in dispatcher.messages[0]["text"]  # this one runs large


async def test_a_restock_date_that_has_passed_is_never_promised(db, dispatcher):
    tracker = make_tracker(text="T恤雾霾蓝XXL什么时候补货", intent="ask_stock")
    await ActionAnswerStock().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert "雾霾蓝 / XXL：暂时售罄，补货时间还没确定" in message["text"]
    assert "预计" not in message["text"]
    assert "到货通知" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/request_human"]


async def test_a_restock_date_still_ahead_is_said_with_its_day(db, dispatcher):
    tracker = make_tracker(text="T恤白色L码还有吗", intent="ask_stock")
    await ActionAnswerStock().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert "白色 / L：暂时售罄，预计" in message["text"]
    assert "月" in message["text"]
    assert message["buttons"] == []
