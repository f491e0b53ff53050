"""A count or a choice told while a fresh-food claim waits for its yes is taken in, and the
claim said again only with what it will now be (trial 10: T274.3 "五六个" after 箱里有 read as the
box's total and the whole block shown again word for word; T274.5 the refund chosen and the
whole block a third time)."""

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions import problem_cases
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.fresh_food import read_bad_share
from shop.models import CaseKind, Order
from shop.waiting_requests import RETURN
from tests.bot.conftest import DOMAIN, next_message, slots_set, verified_after

CLAIM = problem_cases.FRESH_CLAIM
INTRO = "签收后"  # the policy's opening line of the claim said back the first time
PHOTOS = "连同快递面单"  # the photo instructions of the claim said back the first time


@pytest.mark.parametrize(
    ("text", "bad", "total"),
    [("一箱里有五六个烂的 一捏就出水", 6, None),
     ("箱子里有三个都烂了", 3, None),
     ("里面有2个坏的 其他还行", 2, None),
     ("整箱有4个发霉了", 4, None),
     # near misses: a total stays a total
     ("一箱有二十个 烂了五个", 5, 20),
     ("一共12个烂了4个", 4, 12),
     ("一箱里有30个", None, 30)],
)  # fmt: skip
def test_a_count_after_the_box_with_a_bad_word_right_after_it_is_the_bad_pieces(text, bad, total):
    share = read_bad_share([text])
    assert (share.bad, share.total) == (bad, total)


async def _claim_said_back(dispatcher: CollectingDispatcher):
    tracker, order_no = verified_after("fresh_delivered", "report_damaged_item", "苹果烂了好几个")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    first = dispatcher.messages[0]["text"]
    assert INTRO in first
    assert PHOTOS in first
    return tracker, order_no


def _said(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("text", "intent", "heard"),
    [("一箱里有五六个烂的 一捏就出水", "report_damaged_item", "坏了6个"),
     ("里面有3个坏的", "inform", "坏了3个"),
     ("一共十个 烂了三个", "inform", "10个里坏了3个"),
     ("烂的差不多有一半", "report_damaged_item", "约50%")],
)  # fmt: skip
async def test_a_count_told_while_the_claim_waits_is_said_back_in_short_with_the_count(
    db, dispatcher, text, intent, heard
):
    tracker, order_no = await _claim_said_back(dispatcher)
    next_message(tracker, text, intent, CLAIM, "action_handle_order_request", dispatcher)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = _said(dispatcher)
    assert heard in said
    assert INTRO not in said
    assert PHOTOS not in said
    assert "确认提交吗" in said
    assert [e["value"] for e in events if e.get("name") == "pending_request"] == [CLAIM]
    db.expire_all()
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert order.after_sales == []  # still waiting for the yes


@pytest.mark.parametrize(
    ("text", "intent"),
    [("退钱吧 不用补发了", "cancel_order"),
     ("还是退款吧 不要补发", "report_damaged_item"),
     ("按比例退钱就行", "request_return_exchange")],
)  # fmt: skip
async def test_the_refund_chosen_while_it_waits_is_said_back_in_short_not_the_whole_block(
    db, dispatcher, text, intent
):
    tracker, _ = await _claim_said_back(dispatcher)
    next_message(tracker, text, intent, CLAIM, "action_handle_order_request", dispatcher)
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = _said(dispatcher)
    assert "按坏果比例退款" in said
    assert INTRO not in said
    assert PHOTOS not in said
    assert "直接说“补发”" not in said  # the choice made is never offered again


# --- another need asked while a case waits for its yes (T261.4) -----------------------------


async def _damage_case_said_back(dispatcher: CollectingDispatcher):
    """A damage case said back for a yes on an order whose band is under warranty."""
    tracker, _ = verified_after(
        "in_warranty", "report_damaged_item", "手环摔坏了 屏幕碎了", which=1
    )
    return tracker, problem_cases.CASE_PENDING[CaseKind.DAMAGED]


@pytest.mark.parametrize(
    "text",
    [
        "那保修咋弄 寄哪里 运费谁出",
        "保修咋整 运费谁出",
        "那保修寄哪里啊 邮费谁出",
        "那保修的话 运费谁出",
    ],
)
async def test_a_warranty_question_while_a_case_waits_gets_the_items_warranty_and_a_reminder(
    db, dispatcher, text
):
    tracker, pending = await _damage_case_said_back(dispatcher)
    next_message(tracker, text, "faq", pending, "action_handle_order_request", dispatcher)
    events = await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = _said(dispatcher)
    assert "小米手环" in said
    assert "保修" in said
    assert "截至" in said
    assert "售后同事" in said
    assert "还没有提交" in said  # the case still waits, said in one line
    assert slots_set(events).get("pending_request", pending) == pending


async def test_how_to_go_on_with_the_return_said_back_still_gets_its_steps(db, dispatcher):
    tracker, _ = verified_after("returnable", "request_return_exchange", "不想要了 想退")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    next_message(tracker, "退货怎么弄", "faq", RETURN, "action_handle_order_request", dispatcher)
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = _said(dispatcher)
    assert "接下来是这样" in said
    assert "保修" not in said
