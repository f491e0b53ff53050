"""盒子拆了 东西没用过 said while a return waits for its yes (or on the verified order) asks
whether unpacked goods still go back: answered from the order's categories, the return offered
again, nothing submitted, never the complaint template (trial 10, T262.4)."""

import uuid

import pytest
from sqlalchemy import select

from bot.actions.complaints import ActionAnswerComplaint
from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionAnswerPendingRequest
from shop.models import Order
from tests.bot.conftest import demo_order, make_tracker, user_event

ACTIONS = {
    "complain": ActionAnswerComplaint,
    "nlu_fallback": ActionClarify,
    "deny": ActionAnswerPendingRequest,
    "affirm": ActionAnswerPendingRequest,
}
SPEAKER, LIPSTICK = 2, 1  # the returnable demo orders' items: electronics, beauty


def _return_waiting(
    which: int, text: str, intent: str, pending: str | None = "request_return_exchange"
):
    """A verified returnable order whose return was said back for a yes (`pending`), then the
    shopper's `text` read as `intent`."""
    order_no, tail = demo_order("returnable", which=which)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, "pending_request": pending},
        text=text, intent=intent,
        earlier=[user_event("前几天买的 不想要了 能退吗", "request_return_exchange"),
                 user_event(f"{order_no} {tail}", "inform"),
                 {"event": "action", "name": "action_handle_order_request"},
                 {"event": "action", "name": "action_listen"}],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def _after_sales(db, order_no: str) -> list:
    db.expire_all()
    return db.scalars(select(Order).where(Order.order_no == order_no)).one().after_sales


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("盒子拆了 东西没用过", "complain"),
        ("包装拆开了 还没用", "nlu_fallback"),
        ("拆封了但是没用过", "deny"),
        ("就是外包装打开了 东西全新的", "affirm"),
    ],
)
async def test_unpacked_unused_goods_while_a_return_waits_get_the_rule_and_the_return_again(
    db, dispatcher, text, intent
):
    tracker, order_no = _return_waiting(SPEAKER, text, intent)
    events = await ACTIONS[intent]().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "不影响七天无理由退货" in said
    assert "数码配件类的规则是" in said
    assert "非常抱歉" not in said
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirm", "/deny"]
    assert not any(e.get("name") == "pending_request" and e.get("value") is None for e in events)
    assert _after_sales(db, order_no) == []


async def test_an_unpacked_lipstick_is_told_it_needs_to_be_unopened_and_offered_a_person(
    db, dispatcher
):
    tracker, order_no = _return_waiting(LIPSTICK, "口红拆封了 没用过", "complain")
    await ActionAnswerComplaint().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "没法走七天无理由退货" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/request_human"]
    assert _after_sales(db, order_no) == []


async def test_unpacked_goods_asked_about_on_the_verified_order_get_the_rule(db, dispatcher):
    tracker, _ = _return_waiting(SPEAKER, "拆了包装还能七天无理由吗", "nlu_fallback", None)
    await ActionClarify().run(dispatcher, tracker, {})
    assert "不影响七天无理由退货" in dispatcher.messages[0]["text"]


async def test_a_real_complaint_while_a_return_waits_is_still_heard(db, dispatcher):
    tracker, _ = _return_waiting(SPEAKER, "你们这服务太差了 退个货这么麻烦", "complain")
    await ActionAnswerComplaint().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "不影响七天无理由退货" not in said
    assert "没拆封" not in said
