"""A question while a cancel or a return said back waits for its yes (trial 5: T58 七天无理由对吧,
T59 好 那我怎么弄): answered from the order or the policy, the request offered again in one
short line with its buttons, nothing done, and the plain yes after it still carries it out."""

import uuid

import pytest
from sqlalchemy import select

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionAnswerPendingRequest
from conversations.reading import Answer, answer_to_confirmation, asks_how_to_go_on, is_question
from shop.models import Order, OrderStatus
from tests.bot.conftest import demo_order, make_tracker, user_event

CONFIRM_PAYLOADS = ["/affirm", "/deny"]


def _waiting(situation: str, request: str, words: str, text: str, intent: str, between: bool):
    """A verified order whose `request` was said back; then (after a question answered in
    between, when `between`) the shopper wrote `text`, read as `intent`."""
    order_no, tail = demo_order(situation)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, "pending_request": request},
        text=text, intent=intent,
        earlier=[user_event(words, request), user_event(f"{order_no} {tail}", "inform"),
                 {"event": "action", "name": "action_handle_order_request"},
                 {"event": "action", "name": "action_listen"}],
    )  # fmt: skip
    if between:
        tracker.events[-1:-1] = [
            user_event("退款退到哪里", "faq"),
            {"event": "action", "name": "action_answer_faq"},
            {"event": "action", "name": "action_listen"},
        ]
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def _order(db, order_no: str) -> Order:
    db.expire_all()
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


def _pending_cleared(events) -> bool:
    return any(e.get("name") == "pending_request" and e.get("value") is None for e in events)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("七天无理由对吧", "affirm"),
        ("是七天无理由退的吧?", "affirm"),
        ("这个能七天无理由是不是", "deny"),
    ],
)
async def test_a_shopper_who_asks_about_the_seven_days_while_a_return_waits_gets_the_orders_window(
    db, dispatcher, text, intent
):
    tracker, order_no = _waiting(
        "returnable", "request_return_exchange", "不太喜欢 能退吗", text, intent, False
    )
    events = await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "七天无理由" in message["text"]
    assert "截至" in message["text"]
    assert "不着急" not in message["text"]
    assert f"订单 {order_no} 的退换货申请还没提交" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == CONFIRM_PAYLOADS
    assert not _pending_cleared(events)
    assert not _order(db, order_no).after_sales


@pytest.mark.parametrize("text", ["运费谁出", "那寄回去的运费谁承担啊", "运费不用我出吧"])
async def test_a_shopper_who_asks_who_pays_the_postage_while_a_return_waits_gets_the_orders_terms(
    db, dispatcher, text
):
    tracker, order_no = _waiting(
        "returnable", "request_return_exchange", "不想要了 想退", text, "affirm", False
    )
    events = await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "运费" in message["text"]
    assert "还没提交" in message["text"]
    assert not _pending_cleared(events)
    assert not _order(db, order_no).after_sales


@pytest.mark.parametrize("text", ["好 那我怎么弄", "好的 然后呢", "那我要怎么操作啊", "流程是啥"])
async def test_a_shopper_who_asks_how_to_go_on_after_a_question_gets_the_returns_steps(
    db, dispatcher, text
):
    tracker, order_no = _waiting(
        "returnable", "request_return_exchange", "不想要了 想退", text, "affirm", True
    )
    events = await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "接下来是这样" in message["text"]
    assert "寄回地址" in message["text"]
    assert "还没提交" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == CONFIRM_PAYLOADS
    assert not _pending_cleared(events)
    assert not _order(db, order_no).after_sales


async def test_a_shopper_who_asks_what_next_while_a_cancel_waits_is_told_the_yes_cancels(
    db, dispatcher
):
    tracker, order_no = _waiting(
        "awaiting_shipment", "cancel_order", "不要了 取消吧", "好的 然后呢", "affirm", False
    )
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "点「确认」就为您取消订单" in dispatcher.messages[0]["text"]
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_the_plain_yes_after_the_question_answered_still_submits_the_return(db, dispatcher):
    tracker, order_no = _waiting(
        "returnable", "request_return_exchange", "不想要了 想退", "七天无理由对吧", "affirm", False
    )
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    tracker.events += [
        {"event": "action", "name": "action_answer_pending_request"},
        {"event": "action", "name": "action_listen"},
        user_event("确认", "affirm"),
    ]
    tracker.latest_message = {"text": "确认", "intent": {"name": "affirm"}, "entities": []}
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "已为您提交退换货申请" in dispatcher.messages[-1]["text"]
    assert _order(db, order_no).after_sales


@pytest.mark.parametrize("text", ["等一下", "我想想", "可以吗", "考虑一下可以吗"])
async def test_a_hesitation_while_a_return_waits_still_gets_the_hesitation_reply(
    db, dispatcher, text
):
    tracker, order_no = _waiting(
        "returnable", "request_return_exchange", "不想要了 想退", text, "affirm", False
    )
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_request_waits"]
    assert not _order(db, order_no).after_sales


@pytest.mark.parametrize(
    "text",
    ["七天无理由对吧", "运费谁出", "好 那我怎么弄", "要我自己寄回去吗", "运费不用我出吧",
     "好的 然后呢", "多久能退到账", "是不是要先寄回去"],
)  # fmt: skip
def test_a_question_beside_a_yes_is_read_as_a_question_never_a_yes_or_a_no(text):
    assert is_question(text)
    assert answer_to_confirmation(text) == Answer.UNSURE


@pytest.mark.parametrize(
    ("text", "answer"),
    [("先不取消了", Answer.NO), ("算了 不退了", Answer.NO), ("那算了 运费多少来着", Answer.NO),
     ("好的", Answer.YES), ("确认", Answer.YES), ("那就这样吧", Answer.YES), ("申请吧", Answer.YES),
     ("等一下", Answer.UNSURE), ("可以吗", Answer.UNSURE)],
)  # fmt: skip
def test_a_yes_a_no_or_a_hesitation_is_no_question(text, answer):
    assert not is_question(text)
    assert answer_to_confirmation(text) == answer


def test_asking_how_to_go_on_is_told_apart_from_a_question_on_a_fact():
    assert asks_how_to_go_on("好 那我怎么弄")
    assert asks_how_to_go_on("然后呢")
    assert not asks_how_to_go_on("运费谁出")
    assert not asks_how_to_go_on("怎么寄 寄到哪")


@pytest.mark.parametrize(
    ("text", "intent"), [("然后呢", "nlu_fallback"), ("好 那我怎么寄回去", "nlu_fallback")]
)
async def test_a_question_the_nlu_did_not_read_as_an_answer_is_still_answered_while_a_return_waits(
    db, dispatcher, text, intent
):
    tracker, order_no = _waiting(
        "returnable", "request_return_exchange", "买大了 想退", text, intent, False
    )
    await ActionClarify().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert "还没提交" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == CONFIRM_PAYLOADS
    assert not _order(db, order_no).after_sales


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionAnswerFaq, "faq"), (ActionAnswerOutOfScope, "out_of_scope")],
)
async def test_a_postage_question_read_as_policy_or_out_of_scope_says_the_waiting_return_back(
    db, dispatcher, action, intent
):
    tracker, order_no = _waiting(
        "returnable", "request_return_exchange", "不想要了 想退", "寄回去运费谁出", intent, False
    )
    events = await action().run(dispatcher, tracker, {})
    text = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "运费" in text
    assert f"订单 {order_no} 的退换货申请还没提交" in text
    assert not _pending_cleared(events)
    assert not _order(db, order_no).after_sales
