"""A book's printing fault (印反了, 两页空白, 缺页) is a quality problem, taken back at any time
by the books' own rule (trial 17, T531: the misprint got the book's stock, then a lost-parcel
check, then "both windows have passed, nothing can be registered": harmful)."""

import pytest

from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.presale import ActionAnswerProductInfo, ActionAnswerStock
from shop.problems import ProblemKind, read_problem
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    demo_order,
    make_tracker,
    user_event,
    verified_after,
)

MISPRINT = "在吗 买的python那本书 中间有一沓印反了 还有两页空白"


@pytest.mark.parametrize(
    "words",
    [
        MISPRINT,
        "书缺页了",
        "有几页印刷错误",
        "书是倒装的",
        "那本书中间少了十几页 页码从88直接跳到了103",
        # trial 25, T863: read as a missing item of the parcel, then as nothing
        "儿子说这本书中间少了好多页",
        "大概第200页到230页没有 直接跳过去了",
    ],
)
def test_a_printing_fault_is_a_quality_problem(words):
    assert read_problem(words).kinds == (ProblemKind.QUALITY_DEFECT,)


def test_pages_missing_beside_a_book_missing_are_both_told():
    assert read_problem("书缺了几页 还少了一本").kinds == (
        ProblemKind.QUALITY_DEFECT,
        ProblemKind.MISSING_ITEM,
    )


async def test_a_misprint_told_of_a_book_bought_asks_for_the_order_not_its_stock(db, dispatcher):
    tracker = make_tracker({"current_product": "P7003"}, text=MISPRINT, intent="ask_stock")
    await ActionAnswerStock().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "仅剩" not in said
    assert "订单号" in said


async def test_a_book_misprinted_weeks_after_signing_is_still_taken_back(db, dispatcher):
    # the demo's book, signed weeks ago (the first order of the situation is clothing)
    tracker, _ = verified_after("not_returnable", "request_return_exchange", MISPRINT, which=1)
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "没法直接登记" not in said
    assert "已经过了" not in said
    assert "没有收到这个包裹" not in said
    assert "不限时间包换" in said  # the books' own rule, said back for the yes


async def test_a_refund_asked_after_a_misprint_is_never_told_both_windows_have_passed(
    db, dispatcher
):
    # trial 21, T693 (harmful): 能直接退款吗 after the any-time exchange was offered got "both
    # windows have passed, nothing can be registered"
    tracker, _ = verified_after("not_returnable", "request_return_exchange", MISPRINT, which=1)
    tracker.events.append(user_event("能直接退款吗 我在别处买一本算了", "cancel_order"))
    tracker.latest_message = {
        "text": "能直接退款吗 我在别处买一本算了",
        "intent": {"name": "cancel_order"},
        "entities": [],
    }
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "已经过了" not in said
    assert "没法直接登记" not in said
    assert "不限时间" in said


@pytest.mark.parametrize("intent", ["ask_product_info", "ask_stock"])
async def test_a_printing_fault_told_as_a_product_question_on_the_verified_order_is_served(
    db, dispatcher, intent
):
    # trial 22, T748: "那缺页的书怎么换 中间十几页空白", the book's order verified, read as a
    # product question, got "商品详情里暂时没有写明"
    order_no, tail = demo_order("not_returnable", which=1)
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail,
         "current_product": "P7003"},
        text="印错页的这本书怎么换 有十来页是空白的",
        intent=intent,
    )  # fmt: skip
    action = ActionAnswerStock() if intent == "ask_stock" else ActionAnswerProductInfo()
    events = await action.run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "没有写明" not in said
    assert "不限时间包换" in said  # the books' own rule, said back for the yes
    assert any(e.get("name") == "pending_request" and e.get("value") for e in events)


async def test_a_printing_fault_asked_about_before_buying_is_no_problem_served(db, dispatcher):
    order_no, tail = demo_order("not_returnable", which=1)
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail,
         "current_product": "P7003"},
        text="这本书会不会缺页啊",
        intent="ask_product_info",
    )  # fmt: skip
    events = await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    assert not any(e.get("name") == "pending_request" and e.get("value") for e in events)


def _said_next(tracker, events, text: str, intent: str):
    """The tracker after the bot's turn (`events`) and the shopper's next message."""
    for event in events:
        if event.get("event") == "slot":
            tracker.slots[event["name"]] = event["value"]
    tracker.events += [
        {"event": "action", "name": "action_handle_order_request"},
        *events,
        {"event": "action", "name": "action_listen"},
        user_event(text, intent),
    ]
    tracker.latest_message = {"text": text, "intent": {"name": intent}, "entities": []}
    return tracker


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我是说不换书了 直接退款可以吗", "cancel_order"),  # trial 28, T990 t6
        ("都快一个月了还能换吗", "report_delivery_delay"),  # T990 t3: the prompt alone
        ("能不能干脆退钱", "nlu_fallback"),  # T990 t5: the postage again
    ],
)
async def test_asked_again_while_the_misprint_waits_the_book_is_still_taken_back_any_time(
    db, dispatcher, text, intent
):
    tracker, _ = verified_after("not_returnable", "request_return_exchange", MISPRINT, which=1)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert any(e.get("name") == "pending_request" and e.get("value") for e in events)
    dispatcher.messages.clear()
    tracker = _said_next(tracker, events, text, intent)
    action = ActionClarify() if intent == "nlu_fallback" else ActionHandleOrderRequest()
    await action.run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "不限时间包换" in said or "不受签收天数限制" in said
    assert "期限（签收后" not in said
    assert "运费由我们承担，不用您出" not in said
