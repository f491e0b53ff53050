"""What a shopper says while something waits for their yes, or in answer to a choice, is taken
for what it says (trial 11, T309 t2, T314 t3, T291 t5–6, T299 t5): a yes typed with the detail
said back is the yes; the pieces bought, said to a 价保 said back, are counted, never a
hesitation; a remedy chosen in words while the carrier checks a lost parcel is written on the
case, never "您选哪种都可以" again; a remedy chosen for bad fresh food is said back without asking
the counts again."""

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from bot.actions import problem_cases
from bot.actions.case_replies import CASE_OPEN, ActionCheckCaseReply, ActionReplyInCase
from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from shop.case_questions import CHOSEN_MARK, CaseChoice, chosen_remedy, decided_choice
from shop.models import CaseKind, LogisticsCase, PriceProtectionClaim
from shop.price_claims import pieces_said
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    case_opened,
    make_tracker,
    next_message,
    responses,
    verified_after,
)
from tests.bot.test_changes_waiting_for_yes import Chat, _code
from tests.bot.test_order_services import _said_back_then, _verified


def _slot(events: list[dict[str, Any]], name: str) -> Any:
    return next((e["value"] for e in reversed(events) if e.get("name") == name), "unset")


# --- a yes typed with the detail said back (T309 t2) ----------------------------------------


class ChatToTheEnd(Chat):
    """The change chat, where a yes filled by the form's own extraction ends the form as Rasa
    ends it once every slot is filled."""

    async def say(self, text: str, intent: str = "inform") -> CollectingDispatcher:
        out = await super().say(text, intent)
        if self.slots.get("change_confirmed") is True and not self.ended:
            self.ended = True
            from bot.actions.order_changes import ActionApplyOrderChange

            out = CollectingDispatcher()
            await ActionApplyOrderChange().run(out, self._tracker(text, intent, []), DOMAIN)
        return out


@pytest.mark.parametrize(
    "text", ["对 周六下午", "对，就周六下午", "是的 周六下午", "嗯 周六下午可以", "对的 周六下午送"]
)
async def test_a_yes_typed_with_the_day_said_back_passes_the_delivery_wish_on(db, text):
    chat = ChatToTheEnd("in_transit", "delivery_time", _code("周六下午"), "change_confirmed")
    out = await chat.say(text)
    assert chat.ended
    said = " ".join(m.get("text") or "" for m in out.messages)
    assert "已经把您的要求" in said
    assert "确认帮您转达吗" not in said


@pytest.mark.parametrize(
    "text", ["对 周六上午", "对 周六下午 能送到吗", "不对 周日下午", "对 改成周日下午吧"]
)
async def test_a_yes_with_another_time_or_a_question_is_not_taken_for_the_yes(db, text):
    chat = ChatToTheEnd("in_transit", "delivery_time", _code("周六下午"), "change_confirmed")
    out = await chat.say(text)
    assert not chat.ended
    assert chat.slots.get("change_confirmed") is not True
    assert "已经把您的要求" not in " ".join(m.get("text") or "" for m in out.messages)


# --- the pieces bought, said to a 价保 said back (T314 t3) ----------------------------------


async def _price_protection_said_back(dispatcher, text: str, intent: str):
    tracker, _ = _verified("price_dropped", "降价了 能补差价吗", "price_protection")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert _slot(events, "pending_request") == "price_protection"
    dispatcher.messages.clear()
    return _said_back_then(tracker, events, text, intent)


async def _answered_while_price_protection_waits(db, dispatcher, text: str, intent: str) -> str:
    """What the bot says to `text` while a 价保 said back waits; it still waits, nothing applied."""
    tracker = await _price_protection_said_back(dispatcher, text, intent)
    events = await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert _slot(events, "pending_request") == "unset"  # it still waits for its yes
    assert db.scalar(select(func.count()).select_from(PriceProtectionClaim)) == 0
    return bot_said(dispatcher)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("我买的两瓶哦", "inform"), ("买了2件的", "inform"), ("是两瓶", "affirm"),
     ("两瓶都算吗", "faq"), ("我拍了两瓶", "nlu_fallback")],
)  # fmt: skip
async def test_the_pieces_bought_said_to_a_price_protection_said_back_are_counted(
    db, dispatcher, text, intent
):
    said = await _answered_while_price_protection_waits(db, dispatcher, text, intent)
    assert "2件都算上了" in said
    assert "× 2 = ¥60.00" in said
    assert "utter_request_waits" not in responses(dispatcher)


@pytest.mark.parametrize(("text", "intent"), [("退到哪里 多久到", "faq"), ("钱退到哪", "inform")])
async def test_where_the_difference_goes_asked_before_the_yes_is_its_way_back_not_the_window(
    db, dispatcher, text, intent
):
    """Trial 28, T986 t2: 退到哪里 多久到 on a 价保 said back got how the 30 days are counted."""
    said = await _answered_while_price_protection_waits(db, dispatcher, text, intent)
    assert "差价 ¥60.00 会原路退回" in said
    assert "自然日" not in said


async def test_more_pieces_than_the_order_holds_are_answered_from_the_record(db, dispatcher):
    tracker = await _price_protection_said_back(dispatcher, "我买的三瓶哦", "inform")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    said = bot_said(dispatcher)
    assert "记录里降价的是2件" in said
    assert "¥60.00" in said
    assert db.scalar(select(func.count()).select_from(PriceProtectionClaim)) == 0


@pytest.mark.parametrize("text", ["等一下 我想想", "两块钱都不到吧", "过两天再说"])
def test_words_without_pieces_bought_are_no_count(text):
    assert pieces_said(text) is None


# --- a remedy chosen while the carrier checks a lost parcel (T291 t5–6) -----------------------


async def _in_lost_case(
    db, dispatcher, text: str, intent: str, situation="delivered_not_received", kind=CaseKind.LOST
):
    conversation, order = case_opened(db, situation, kind)
    tracker = make_tracker({"verified_order_no": order.order_no}, text=text, intent=intent)
    tracker.sender_id = conversation
    checked = await ActionCheckCaseReply().run(CollectingDispatcher(), tracker, DOMAIN)
    if checked:
        tracker.slots[CASE_OPEN] = True
        await ActionReplyInCase().run(dispatcher, tracker, DOMAIN)
    else:
        await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    db.expire_all()
    case = db.scalars(select(LogisticsCase).where(LogisticsCase.conversation_id == conversation))
    return case.one(), order


@pytest.mark.parametrize(
    ("text", "intent", "choice"),
    [
        ("退钱还是重发啊 我要重发", "inform", CaseChoice.RESHIP),
        ("我说了要重发 就寄原来那个地址", "inform", CaseChoice.RESHIP),
        ("重新发一个吧", "affirm", CaseChoice.RESHIP),
        ("要是真丢了 我要补发", "request_return_exchange", CaseChoice.RESHIP),
        ("还是退款吧 不用补发了", "inform", CaseChoice.REFUND),
    ],
)
async def test_a_remedy_chosen_while_a_lost_parcel_is_checked_is_written_on_the_case(
    db, dispatcher, text, intent, choice
):
    case, order = await _in_lost_case(db, dispatcher, text, intent)
    said = bot_said(dispatcher)
    assert chosen_remedy(case) == choice
    assert "您选哪种都可以" not in said
    assert "核实包裹确实丢了之后" in said
    if choice == CaseChoice.RESHIP:
        assert order.shipping_address in said  # where the new one goes
    else:
        assert order.payment_method in said
    assert case.status.value == "open"  # nothing sent or refunded before the check


async def test_a_refund_wished_now_on_a_late_parcel_gets_the_ways_out_and_nothing_is_noted(
    db, dispatcher
):
    text = "不要券了 直接给我退款 我去线下买"
    case, _order = await _in_lost_case(
        db, dispatcher, text, "inform", situation="late", kind=CaseKind.DELAYED
    )
    said = bot_said(dispatcher)
    assert chosen_remedy(case) is None  # nothing written on the case without a yes
    assert "拒收" in said
    assert "没法直接取消" in said
    assert "记下了" not in said


async def test_a_refund_wished_on_a_late_dispatch_is_never_told_the_parcel_has_left(db, dispatcher):
    # trial 23, T791 (harmful): "退钱吧" on the jacket not yet shipped, its dispatch chased,
    # got "包裹现在还在运输途中，已经发出的订单没法直接取消退款"
    conversation, order = case_opened(db, "ship_overdue", CaseKind.DELAYED)
    tracker = make_tracker(
        {"verified_order_no": order.order_no}, text="不想等了 退钱吧", intent="nlu_fallback"
    )
    tracker.sender_id = conversation
    events = await ActionClarify().run(dispatcher, tracker, DOMAIN)
    [case] = db.scalars(select(LogisticsCase).where(LogisticsCase.conversation_id == conversation))
    said = bot_said(dispatcher)
    assert "运输途中" not in said
    assert "已经发出" not in said
    assert chosen_remedy(case) is None
    assert order.payment_method in said  # not shipped: the cancel and its refund said back
    assert ("pending_request", "cancel_order") in [(e.get("name"), e.get("value")) for e in events]
    assert order.status.value == "awaiting_shipment"  # nothing done before the yes


@pytest.mark.parametrize("text", ["补发还是退款啊", "丢了的话会给补发吗", "多久能退钱"])
async def test_a_question_about_the_remedies_of_a_lost_parcel_chooses_nothing(db, dispatcher, text):
    case, _ = await _in_lost_case(db, dispatcher, text, "inform")
    assert CHOSEN_MARK not in (case.detail or "")
    assert decided_choice(text) is None


# --- a remedy chosen for bad fresh food: the counts never asked again (T299 t5) --------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [("退钱吧 不用补发了", "deny"), ("还是退款吧", "inform"), ("退钱就行", "affirm")],
)
async def test_a_refund_chosen_for_bad_fruit_is_said_back_without_asking_the_counts_again(
    db, dispatcher, text, intent
):
    tracker, _ = verified_after(
        "fresh_delivered", "report_damaged_item", "橙子烂了好几个 给我补发吧"
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert _slot(events, "pending_request") == problem_cases.FRESH_CLAIM
    next_message(tracker, text, intent, problem_cases.FRESH_CLAIM, dispatcher=dispatcher)
    checked = await ActionCheckCaseReply().run(CollectingDispatcher(), tracker, DOMAIN)
    tracker.slots[CASE_OPEN] = True if checked else None
    action = ActionReplyInCase() if checked else ActionAnswerPendingRequest()
    events = await action.run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "按坏果比例退款" in said
    assert "告诉我一共多少个" not in said
    assert "确认提交吗" in said
    assert _slot(events, "pending_request") == problem_cases.FRESH_CLAIM


async def test_the_first_fresh_claim_said_back_still_offers_to_count(db, dispatcher):
    tracker, _ = verified_after("fresh_delivered", "report_damaged_item", "橙子烂了好几个")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "告诉我一共多少个" in bot_said(dispatcher)


@pytest.mark.parametrize(
    ("text", "intent"), [("从哪天算的", "faq"), ("30天是从哪天开始算", "nlu_fallback")]
)
async def test_where_the_price_protection_window_starts_is_said_from_the_payment(
    db, dispatcher, text, intent
):
    said = await _answered_while_price_protection_waits(db, dispatcher, text, intent)
    assert "价保的30天是从付款那天（" in said
    assert "算起的，按自然日算" in said
    assert "到 12月" in said


# --- a yes button shown is a yes heard (T485 t6-7) -------------------------------------------


async def test_the_yes_to_a_case_said_again_after_questions_in_between_opens_it(db, dispatcher):
    """T485: a damage case said back, two questions in between (照片怎么给你, 外箱也压坏了
    要一起拍吗) each answered with the case said again and its 确认 button; the 确认 tapped then
    got "nothing to confirm". The button shown is the yes to the case still waiting."""
    tracker, _ = verified_after("damaged_on_arrival", "report_damaged_item", "杯子凹进去了")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    pending = _slot(events, "pending_request")
    assert pending
    tracker.slots["pending_request"] = pending
    yes_button = {"title": "确认", "payload": "/affirm"}
    for question in ("照片怎么给你？", "外箱也压坏了，要一起拍吗？"):
        next_message(tracker, question, "faq", pending, after="action_answer_case_question")
        tracker.events.append({"event": "bot", "text": "…", "data": {"buttons": [yes_button]}})
    next_message(
        tracker, "确认", "affirm", pending, after="action_answer_faq", dispatcher=dispatcher
    )
    tracker.events.insert(-1, {"event": "bot", "text": "…", "data": {"buttons": [yes_button]}})
    cases = db.query(LogisticsCase).count()
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    assert "没有等您确认的操作" not in bot_said(dispatcher)
    assert db.query(LogisticsCase).count() == cases + 1


async def test_the_pieces_to_refund_said_as_a_return_are_the_price_protections(db, dispatcher):
    """T540: "两瓶都退吧" to the 价保 said back was read as a return of the goods ("七天无理由已
    过"); it counts the pieces of the 价保 refund, which still waits for its yes."""
    tracker = await _price_protection_said_back(dispatcher, "两瓶都退吧", "request_return_exchange")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "2件都算上了" in said
    assert "七天无理由" not in said
    assert _slot(events, "pending_request") == "price_protection"
    assert db.scalar(select(func.count()).select_from(PriceProtectionClaim)) == 0


async def test_words_about_the_goods_read_as_a_problem_leave_the_return_waiting(db, dispatcher):
    """T534: "用了两次 盒子配件都在" while a return waited, read as a wrong item, got a wrong-item
    case offered; it describes no problem, so the return is said to wait for its yes."""
    tracker, _ = verified_after("returnable", "request_return_exchange", "想退")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    pending = _slot(events, "pending_request")
    assert pending == "request_return_exchange"
    next_message(tracker, "用了两次 盒子配件都在", "report_wrong_or_missing_item", pending)
    dispatcher.messages.clear()
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "发错" not in said
    assert "还没" in said  # the return said again, still waiting
    assert _slot(events, "pending_request") == "unset"
