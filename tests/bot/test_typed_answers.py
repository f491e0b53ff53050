"""Typed words at a confirmation (trial 6: T95 typed 对 不要了 取消 and 取消 to "确认帮您取消吗？"
and got the prompt again word for word; T103 算了 退吧 确认 and T111 好 申请 were asked again).
A yes typed in the request's own words is a yes, whatever the NLU read it as; words that could
be either get two buttons saying what each does; a confirmation given is never asked again."""

import uuid

import pytest
from sqlalchemy import select

from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from conversations.reading import TypedAnswer, answer_to_request, restates_request
from shop.models import Order, OrderStatus
from tests.bot.conftest import demo_order, make_tracker, user_event

CANCEL_PROMPT = "确认帮您取消吗"
YES, NO, EITHER, UNSURE = TypedAnswer.YES, TypedAnswer.NO, TypedAnswer.EITHER, TypedAnswer.UNSURE


def _said_back(situation: str, request: str, text: str, intent: str, between=()):
    """A verified order whose `request` was said back for a yes; then the shopper's messages
    `between` (text, intent, the action that answered it), then `text` read as `intent`."""
    order_no, tail = demo_order(situation)
    earlier = [
        user_event("不想要了", request),
        user_event(f"{order_no} {tail}", "inform"),
        {"event": "action", "name": "action_handle_order_request"},
        {"event": "bot", "text": "…确认吗？", "data": {"buttons": [{"payload": "/affirm"}]}},
        {"event": "action", "name": "action_listen"},
    ]
    for words, said_as, action in between:
        earlier += [
            user_event(words, said_as),
            {"event": "action", "name": action},
            {"event": "bot", "text": "…", "data": {}},
            {"event": "action", "name": "action_listen"},
        ]
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, "pending_request": request},
        text=text,
        intent=intent,
        earlier=earlier,
    )
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def _order(db, order_no: str) -> Order:
    db.expire_all()
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


def _said(dispatcher) -> str:
    return " ".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


@pytest.mark.parametrize(
    "text", ["取消", "对 不要了 取消", "对不要了取消", "确认取消", "嗯 取消掉吧", "算了 取消吧",
             "取消订单", "是的 不想要了", "取消吧 谢谢"],
)  # fmt: skip
async def test_a_shopper_who_types_the_cancel_back_at_its_confirmation_has_the_order_cancelled(
    db, dispatcher, text
):
    tracker, order_no = _said_back("awaiting_shipment", "cancel_order", text, "cancel_order")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert CANCEL_PROMPT not in _said(dispatcher)
    assert "已为您取消订单" in _said(dispatcher)
    assert _order(db, order_no).status == OrderStatus.CANCELLED
    assert {"event": "slot", "name": "pending_request", "value": None, "timestamp": None} in events


@pytest.mark.parametrize("text", ["取消", "确认取消吧"])
async def test_a_typed_cancel_the_nlu_read_as_a_no_still_cancels_the_order_said_back(
    db, dispatcher, text
):
    tracker, order_no = _said_back("awaiting_shipment", "cancel_order", text, "deny")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "已为您取消订单" in _said(dispatcher)
    assert _order(db, order_no).status == OrderStatus.CANCELLED


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionHandleOrderRequest, "cancel_order"), (ActionAnswerPendingRequest, "deny"),
     (ActionAnswerPendingRequest, "affirm")],
)  # fmt: skip
async def test_a_shopper_who_says_only_not_wanted_any_more_gets_two_buttons_saying_what_each_does(
    db, dispatcher, action, intent
):
    tracker, order_no = _said_back("awaiting_shipment", "cancel_order", "不要了", intent)
    await action().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert CANCEL_PROMPT not in message["text"]
    assert f"是要取消订单 {order_no} 吗" in message["text"]
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("确认取消订单", "/affirm"),
        ("不取消，保留订单", "/deny"),
    ]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


@pytest.mark.parametrize("text", ["不取消了", "先不取消", "别取消了 我再等等", "不用取消"])
async def test_a_shopper_who_types_not_to_cancel_keeps_the_order_and_is_not_asked_again(
    db, dispatcher, text
):
    tracker, order_no = _said_back("awaiting_shipment", "cancel_order", text, "cancel_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert CANCEL_PROMPT not in _said(dispatcher)
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_cancel_typed_with_something_else_is_asked_with_two_buttons_never_the_prompt(
    db, dispatcher
):
    tracker, order_no = _said_back(
        "awaiting_shipment", "cancel_order", "取消 我要换个颜色重新拍", "cancel_order"
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert CANCEL_PROMPT not in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_a_cancel_typed_for_another_order_than_the_one_said_back_is_said_back_afresh(
    db, dispatcher
):
    tracker, order_no = _said_back("awaiting_shipment", "cancel_order", "取消", "cancel_order")
    other, _ = demo_order("awaiting_shipment", which=1)
    tracker.events[-1:-1] = [{"event": "slot", "name": "verified_order_no", "value": other}]
    tracker.slots["verified_order_no"] = other
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert CANCEL_PROMPT in _said(dispatcher)
    assert _order(db, other).status == OrderStatus.AWAITING_SHIPMENT
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


BETWEEN = [
    ("没拆 就试了一下", "nlu_fallback", "action_clarify"),
    ("运费谁出", "faq", "action_answer_faq"),
    ("我再想想", "goodbye", "utter_goodbye"),
]


@pytest.mark.parametrize("text", ["算了 退吧 确认", "行 那就退了吧", "申请退货吧 确认"])
async def test_a_shopper_who_confirms_a_return_in_words_after_hesitating_is_not_asked_again(
    db, dispatcher, text
):
    tracker, order_no = _said_back(
        "returnable", "request_return_exchange", text, "request_return_exchange", BETWEEN
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "已为您提交退换货申请" in _said(dispatcher)
    assert _order(db, order_no).after_sales


async def test_the_request_typed_again_a_while_after_it_was_said_back_is_said_back_afresh(
    db, dispatcher
):
    tracker, order_no = _said_back(
        "returnable", "request_return_exchange", "帮我退了吧", "request_return_exchange", BETWEEN
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "申请退换货吗" in _said(dispatcher)
    assert not _order(db, order_no).after_sales


@pytest.mark.parametrize("text", ["好 申请退货", "确认", "行 就退吧"])
async def test_a_yes_naming_what_it_confirms_after_a_question_is_carried_out_not_asked_again(
    db, dispatcher, text
):
    tracker, order_no = _said_back(
        "returnable", "request_return_exchange", text, "affirm",
        [("这个多少钱来着", "ask_price_promotion", "action_answer_price")],
    )  # fmt: skip
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "已为您提交退换货申请" in _said(dispatcher)
    assert _order(db, order_no).after_sales


async def test_a_plain_yes_to_the_request_said_back_again_in_the_answer_between_carries_it_out(
    db, dispatcher
):
    tracker, order_no = _said_back(
        "returnable", "request_return_exchange", "好", "affirm",
        [("这个多少钱来着", "ask_price_promotion", "action_answer_price")],
    )  # fmt: skip
    tracker.events[-3]["data"] = {"buttons": [{"title": "确认", "payload": "/affirm"}]}
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "已为您提交退换货申请" in _said(dispatcher)
    assert _order(db, order_no).after_sales


async def test_a_plain_yes_after_an_answer_that_did_not_say_the_request_back_is_asked_again(
    db, dispatcher
):
    tracker, order_no = _said_back(
        "returnable", "request_return_exchange", "好", "affirm",
        [("这个多少钱来着", "ask_price_promotion", "action_answer_price")],
    )  # fmt: skip
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "已为您提交退换货申请" not in _said(dispatcher)
    assert not _order(db, order_no).after_sales


async def test_a_cancel_typed_in_words_the_nlu_could_not_read_is_still_its_yes(db, dispatcher):
    tracker, order_no = _said_back(
        "awaiting_shipment", "cancel_order", "嗯嗯 取消掉吧", "nlu_fallback"
    )
    await ActionClarify().run(dispatcher, tracker, {})
    assert "已为您取消订单" in _said(dispatcher)
    assert _order(db, order_no).status == OrderStatus.CANCELLED


@pytest.mark.parametrize(
    ("pending", "text", "answer"),
    [("cancel_order", "取消", YES), ("cancel_order", "对 不要了 取消", YES),
     ("cancel_order", "确认取消", YES), ("cancel_order", "嗯 不想要了", YES),
     ("cancel_order", "不要了", EITHER), ("cancel_order", "不想要了", EITHER),
     ("cancel_order", "不取消了", NO), ("cancel_order", "好 不取消了", NO),
     ("cancel_order", "算了", NO), ("cancel_order", "取消 钱退哪", UNSURE),
     ("cancel_order", "等下 我再想想", UNSURE),
     ("request_return_exchange", "算了 退吧 确认", YES),
     ("request_return_exchange", "不退了", NO),
     ("request_return_exchange", "退吧 运费谁出", UNSURE),
     # where another order's goods go, told while the return waits (trial 26, T886 t9)
     ("request_return_exchange", "手机千万别发到家里去", UNSURE),
     ("case_remedy_reship", "好的 别寄到原地址了 我搬家了", UNSURE),  # never a plain yes
     ("request_return_exchange", "别退了", NO),
     ("price_protection", "好 申请", YES), ("price_protection", "行 退差价吧", YES),
     ("fresh_claim", "好", YES), ("fresh_claim", "提交吧", YES),
     ("case_remedy_reship", "补发吧", YES), ("cancel_order", "/affirm", YES),
     ("cancel_order", "/deny", NO)],
)  # fmt: skip
def test_typed_words_answer_the_request_said_back_in_its_own_words(pending, text, answer):
    assert answer_to_request(text, pending) == answer


def test_a_negated_or_another_verb_is_no_restatement():
    assert restates_request("取消吧", "cancel_order")
    assert not restates_request("先不取消", "cancel_order")
    assert not restates_request("取消", "request_return_exchange")
