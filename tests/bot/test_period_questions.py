"""A short question about the period the bot just stated (trial 16: T489 t4, T500 t4, T513 t6,
T515 t3-4, T519 t4) is about that period: from which day it counts, whether weekends count,
until when; never an unrelated FAQ entry (the 驿站/快递柜 text) or "没理解"."""

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import PERIOD_IN_FOCUS, PERIOD_KEPT_MESSAGES
from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from shop.periods import asks_about_a_period
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    need_told_then_order,
    next_message,
    verified_after,
)

UNRELATED = "驿站"  # the delivery-rule entry that answered such questions before


def _applied(tracker: Tracker, events: list[dict[str, Any]]) -> Tracker:
    for event in events:
        if event.get("event") == "slot":
            tracker.slots[event["name"]] = event["value"]
    return tracker


async def _said_then(
    situation: str, request: str, words: str, then: str, intent: str, yes: bool = False
) -> tuple[str, Tracker]:
    """What the bot says to `then` after it answered the shopper's `request` (in `words`) on a
    verified demo order in `situation` (and, when `yes`, carried it out after a 确认)."""
    tracker, _ = verified_after(situation, request, words)
    tracker.slots["order_need"] = None
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    pending = _applied(tracker, events).slots.get("pending_request")
    if yes:
        next_message(tracker, "确认", "affirm", pending)
        events = await ActionAnswerPendingRequest().run(out, tracker, DOMAIN)
        pending = _applied(tracker, events).slots.get("pending_request")
    next_message(tracker, then, intent, pending, dispatcher=out)
    action = ActionAnswerFaq() if intent == "faq" else ActionClarify()
    events = await action.run(out, tracker, DOMAIN)
    _applied(tracker, events)
    return bot_said(out), tracker


async def _need_told_then_order(
    situation: str, told: str, need: str
) -> tuple[Tracker, CollectingDispatcher]:
    """The tracker and what the bot said after the shopper told `told` (the need `need`) and
    then gave the order in `situation`: the need answered on the verified order."""
    tracker = need_told_then_order(situation, told, need)
    out = CollectingDispatcher()
    _applied(tracker, await ActionHandleOrderRequest().run(out, tracker, DOMAIN))
    return tracker, out


async def test_when_a_cancelled_orders_refund_days_count_from_and_whether_weekends_count():
    said, _ = await _said_then(
        "awaiting_shipment", "cancel_order", "不要了 取消", "银行卡要3到7天？从哪天算 周末算吗",
        "faq", yes=True,
    )  # fmt: skip
    assert "个工作日是从退款发起那天算起的" in said
    assert "周末和法定节假日不算" in said
    assert UNRELATED not in said


@pytest.mark.parametrize(
    ("situation", "asked", "words", "text", "intent", "said_parts"),
    [("refunded", "ask_refund_status", "退款到哪了", "周末算不算", "nlu_fallback",
      ("发起的）", "最晚", "前到账")),  # from the day this refund was issued
     ("refunded", "ask_refund_status", "退款到哪了", "1到3个工作日从哪天算", "faq",
      ("发起的）", "最晚", "前到账")),
     ("refunded", "ask_refund_status", "退款到哪了", "你就告诉我最晚哪天到账", "nlu_fallback",
      ("最晚", "前到账")),  # trial 18 T595: 到账 names the refund, the period's own subject
     ("returnable", "request_return_exchange", "想换大一码", "有期限吗 从哪天算", "faq",
      ("无理由退换的7天是从签收那天", "按自然日算", "截止", "还没")),  # the return still waits
     ("return_awaiting", "ask_refund_status", "退货寄哪", "几天内要寄", "faq",
      ("天内寄回就可以", "前寄出")),
     # trial 21, T714: how long, the subject unsaid, got the shipping times
     ("refunded", "ask_refund_status", "退款到哪了", "一般几天啊 我怕被吞了哈哈", "faq",
      ("发起的）", "最晚", "前到账")),
     ("refunded", "ask_refund_status", "退款到哪了", "我问的是退款 一般几天到支付宝", "faq",
      ("发起的）", "最晚", "前到账"))],
)  # fmt: skip
async def test_a_period_question_is_answered_from_the_period_just_said(
    situation, asked, words, text, intent, said_parts
):
    said, tracker = await _said_then(situation, asked, words, text, intent)
    assert [part for part in said_parts if part not in said] == []
    assert "不太确定" not in said
    assert UNRELATED not in said
    if asked == "request_return_exchange":
        assert tracker.slots.get("pending_request")


async def test_a_period_question_with_no_period_said_is_left_to_the_other_answers():
    said, tracker = await _said_then(
        "in_transit", "track_order", "到哪了", "周末算不算", "nlu_fallback"
    )
    assert "工作日" not in said
    assert "自然日" not in said
    assert tracker.slots.get(PERIOD_IN_FOCUS) is None


async def test_a_period_said_long_ago_is_no_longer_what_a_bare_question_asks_about():
    _, tracker = await _said_then(
        "refunded", "ask_refund_status", "退款到哪了", "周末算不算", "nlu_fallback"
    )
    assert tracker.slots.get(PERIOD_IN_FOCUS) is not None
    for _ in range(PERIOD_KEPT_MESSAGES + 1):
        next_message(tracker, "好的", "affirm", None)
    out = CollectingDispatcher()
    next_message(tracker, "周末算不算", "nlu_fallback", None)
    await ActionClarify().run(out, tracker, DOMAIN)
    assert "周末和法定节假日不算" not in bot_said(out)


@pytest.mark.parametrize(
    ("text", "asks"),
    [("从哪天算", True), ("周末算不算", True), ("有期限吗 从哪天算", True), ("几天内要寄", True),
     ("30天是算工作日吗", True), ("好的谢谢", False), ("到哪了", False), ("一般几天啊", True),
     ("那要多久？", True), ("快递几天到", False), ("多久能修好", False)],
)  # fmt: skip
def test_what_asks_how_a_period_counts(text, asks):
    assert asks_about_a_period(text) is asks


async def test_a_period_question_read_as_the_request_again_is_answered_about_the_period():
    """T515 t3: "1到3个工作日从哪天算" read as a refund-status request said the refund again."""
    tracker, _ = verified_after("refunded", "ask_refund_status", "退款到哪了")
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    _applied(tracker, events)
    next_message(tracker, "1到3个工作日从哪天算", "ask_refund_status", None, dispatcher=out)
    await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    said = bot_said(out)
    assert "个工作日是从退款发起那天算起的" in said
    assert "签收" not in said


@pytest.mark.parametrize(("text", "intent"), [("才一个多月 凭什么不行", "complain"),
                                              ("凭什么不行", "nlu_fallback")])  # fmt: skip
async def test_a_shopper_pushing_back_on_a_window_said_over_hears_its_dates_and_a_person(
    text, intent
):
    from bot.actions.complaints import ActionAnswerComplaint

    tracker, out = await _need_told_then_order(
        "price_dropped_late", "我买的降价了 能退差价吗", "price_protection"
    )
    assert tracker.slots.get(PERIOD_IN_FOCUS)
    next_message(tracker, text, intent, None, dispatcher=out)
    action = ActionAnswerComplaint() if intent == "complain" else ActionClarify()
    await action.run(out, tracker, DOMAIN)
    said = bot_said(out)
    assert "非常理解您的心情" in said
    assert "价保的30天是从付款那天" in said
    assert "已经过了" in said
    assert "具体是哪里让您不满意" not in said
    assert out.messages[-1]["buttons"][0]["payload"] == "/request_human"


async def test_postage_asked_after_a_period_question_while_a_return_waits_is_the_returns_postage():
    # trial 18 T569: "那运费呢 来回都我出" after "从哪天算七天啊" got the signing-for entry,
    # which the earlier question pulled in
    _said, tracker = await _said_then(
        "returnable", "request_return_exchange", "裤子腰有点紧 想换大一码", "从哪天算七天啊", "faq"
    )
    out = CollectingDispatcher()
    next_message(tracker, "那运费呢 来回都我出？", "faq", "request_return_exchange", dispatcher=out)
    await ActionAnswerFaq().run(out, tracker, DOMAIN)
    postage = bot_said(out)
    assert "寄回运费由您承担" in postage
    assert "代收" not in postage
    assert out.messages[-1]["buttons"]  # the return still waits for its yes


async def test_when_an_invoices_working_days_count_from_is_answered_from_the_invoice(db):
    # trial 18 T575: "从哪天算啊 三个工作日 周末算不算" after the 专票 pending got the
    # signing-for entry
    tracker, out = await _need_told_then_order(
        "in_transit", "我们公司申请的专票开出来没有", "invoice"
    )
    assert "3个工作日" in bot_said(out)
    next_message(tracker, "从哪天算啊 三个工作日 周末算不算", "faq", None, dispatcher=out)
    await ActionAnswerFaq().run(out, tracker, DOMAIN)
    said = bot_said(out)
    assert "个工作日是从订单签收那天算起的" in said
    assert "周末和法定节假日不算" in said
    assert UNRELATED not in said
