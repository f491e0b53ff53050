"""Follow-ups and decisions inside an open problem: photos, split parcels, the trip back, a
remedy chosen in plain words (said back, recorded on yes, no second after-sale), a defect found
in use returned as a quality problem, fresh food's honest rule, and a polite close."""

import uuid

import pytest
from sqlalchemy import select

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_changes import ActionApplyOrderChange
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from bot.actions.problem_cases import CASE_PENDING, FRESH_CLAIM, QUALITY_RETURN, REMEDY_PENDING
from shop.case_questions import CaseChoice, chosen_remedy
from shop.models import CaseKind, LogisticsCase, Order
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    case_opened,
    in_open_case,
    make_tracker,
    order_in,
    responses,
    user_event,
)


def _asking(conversation: str, order: Order, text: str, intent: str, **slots):
    tracker = make_tracker({"verified_order_no": order.order_no, **slots}, text=text, intent=intent)
    tracker.sender_id = conversation
    return tracker


def _cases(db, conversation: str) -> list[LogisticsCase]:
    return [c for c in db.scalars(select(LogisticsCase)) if c.conversation_id == conversation]


def _pending(events) -> str | None:
    return next(e["value"] for e in events if e.get("name") == "pending_request")


async def test_a_shopper_who_asks_if_three_photos_are_enough_inside_a_damage_case_is_told_yes_and_where(  # noqa: E501
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    text = "我拍了外箱 面单 还有坏的地方 三张够吗"
    await ActionClarify().run(dispatcher, _asking(conversation, order, text, "nlu_fallback"), {})
    answer = dispatcher.messages[0]["text"]
    assert "3张就够了" in answer
    assert "申请售后" in answer
    assert "发不了图片" in answer


async def test_which_photos_for_fresh_food_said_back_are_the_bad_fruit_the_box_and_the_waybill(
    db, dispatcher
):
    order = order_in(db, "fresh_delivered")
    tracker = _asking(uuid.uuid4().hex, order, "照片要拍哪些", "out_of_scope")
    tracker.slots["pending_request"] = FRESH_CLAIM
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    assert "坏果" in answer
    assert "快递面单" in answer
    assert order.order_no in answer


async def test_where_the_photos_go_for_a_quality_return_said_back_is_the_orders_after_sale_page(
    db, dispatcher
):
    order = order_in(db, "returnable", which=2)
    tracker = _asking(uuid.uuid4().hex, order, "照片发哪", "out_of_scope")
    tracker.slots["pending_request"] = QUALITY_RETURN
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    assert "申请售后" in dispatcher.messages[0]["text"]
    assert responses(dispatcher) != ["utter_out_of_scope"]


async def test_which_photos_asked_after_an_invoice_talk_are_still_the_claims(db, dispatcher):
    """Trial 25, T861 t6: 照片要拍什么 while the apples' claim waited, after the computer's 专票
    talk, got an invoice offered for the apples."""
    order = order_in(db, "fresh_delivered")
    tracker = _asking(uuid.uuid4().hex, order, "照片要拍什么", "faq")
    tracker.events[:0] = [
        user_event("我有个电脑订单开了专票 税号财务说填错了", "faq"),
        {"event": "slot", "name": "order_need", "value": "invoice"},
        user_event("另外刚到的苹果有两个磕烂了", "report_damaged_item"),
    ]
    tracker.slots["pending_request"] = FRESH_CLAIM
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    assert "快递面单" in answer
    assert "发票" not in answer
    assert not [e for e in events if e.get("event") == "followup"]


async def test_a_photo_question_before_the_order_is_given_is_answered_from_the_described_damage(
    dispatcher,
):
    tracker = make_tracker(
        text="照片怎么发",
        intent="nlu_fallback",
        earlier=[user_event("收到的东西破了", "report_damaged_item")],
    )
    await ActionClarify().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    assert "快递面单" in answer
    assert "发不了图片" in answer


async def test_a_split_shipment_question_on_a_missing_item_checks_the_orders_parcels(
    db, dispatcher
):
    conversation, order = case_opened(db, "wrong_item", CaseKind.MISSING_ITEM, which=1)
    tracker = _asking(conversation, order, "会不会是分开发的", "ask_product_info")
    await ActionClarify().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    assert "没有分开发" in answer
    assert order.shipments[0].tracking_no in answer


async def test_a_reship_first_question_on_a_wrong_item_gets_what_the_policy_allows(db, dispatcher):
    conversation, order = case_opened(db, "wrong_item", CaseKind.WRONG_ITEM)
    text = "能不能先把对的发过来 我急用 错的我后面再寄"
    await ActionApplyOrderChange().run(
        dispatcher, _asking(conversation, order, text, "modify_order"), {}
    )
    answer = dispatcher.messages[0]["text"]
    assert "先给您发出" in answer
    assert "上门免费取件" in answer


async def test_a_refund_instead_inside_a_damage_case_is_said_back_then_recorded_on_the_yes(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    text = "我不想换了 能直接退款吗"
    asked = _asking(conversation, order, text, "cancel_order")
    events = await ActionHandleOrderRequest().run(dispatcher, asked, {})
    said_back = dispatcher.messages[0]["text"]
    assert f"¥{order.total_amount}" in said_back
    assert "确认这样改吗" in said_back
    assert _pending(events) == REMEDY_PENDING[CaseChoice.REFUND]
    assert chosen_remedy(_cases(db, conversation)[0]) is None  # nothing recorded yet

    after_sales = len(order.after_sales)
    yes = _asking(
        conversation,
        order,
        "嗯 那就退款吧",
        "affirm",
        pending_request=REMEDY_PENDING[CaseChoice.REFUND],
    )
    yes.events = [
        user_event(text, "cancel_order"),
        {"event": "action", "name": "action_handle_order_request"},
        user_event("嗯 那就退款吧", "affirm"),
    ]
    dispatcher.messages.clear()
    await ActionAnswerPendingRequest().run(dispatcher, yes, {})
    assert "改成全额退款" in dispatcher.messages[0]["text"]
    cases = _cases(db, conversation)
    assert [c.kind for c in cases] == [CaseKind.DAMAGED]  # the same case, no second one
    assert chosen_remedy(cases[0]) is CaseChoice.REFUND
    assert len(order.after_sales) == after_sales  # and no after-sale beside it


async def test_a_switch_to_a_refund_read_as_a_refund_question_is_said_back_too(db, dispatcher):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order, "换成退款", "ask_refund_status")
    tracker.events = [user_event("换成退款", "ask_refund_status")]
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "确认这样改吗" in dispatcher.messages[0]["text"]
    assert _pending(events) == REMEDY_PENDING[CaseChoice.REFUND]


async def test_a_return_asked_inside_a_damage_case_is_the_cases_remedy_not_a_second_after_sale(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order, "我要退货", "request_return_exchange")
    tracker.events = [user_event("我要退货", "request_return_exchange")]
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    assert "七天无理由" not in answer
    assert "全额退款" in answer
    assert _pending(events) is None


async def test_a_defect_found_in_use_asked_as_return_or_exchange_is_a_quality_return(
    db, dispatcher
):
    order = order_in(db, "returnable", which=2)
    text = "那能退吗 还是只能换"
    tracker = _asking(uuid.uuid4().hex, order, text, "request_return_exchange")
    tracker.events = [
        user_event("说错了 是这个音箱 用了一次就有杂音了", "request_repair"),
        user_event(text, "request_return_exchange"),
    ]
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    assert "质量问题" in answer
    assert "不走七天无理由" in answer
    assert "运费都由我们承担" in answer
    assert _pending(events) == QUALITY_RETURN


async def test_a_whole_box_of_bad_fruit_asked_back_as_a_no_reason_return_gets_the_fresh_rule(
    db, dispatcher
):
    order = order_in(db, "fresh_delivered")
    text = "能不能全部退了 我不想要了 七天无理由那种"
    tracker = _asking(uuid.uuid4().hex, order, text, "request_return_exchange")
    tracker.slots["pending_request"] = FRESH_CLAIM
    tracker.events = [
        user_event("亲 昨天到的橙子坏了好多", "report_damaged_item"),
        user_event(text, "request_return_exchange"),
    ]
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "不支持七天无理由" in dispatcher.messages[0]["text"]
    assert _pending(events) == FRESH_CLAIM


async def test_a_closing_remark_inside_a_case_gets_a_polite_close_not_out_of_scope(db, dispatcher):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order, "下次给我挑好点的哈", "out_of_scope")
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    assert responses(dispatcher) == [None]
    assert "前一定给您答复" in dispatcher.messages[0]["text"]


async def test_a_photo_question_the_faq_is_sure_of_still_gets_the_open_cases_photo_answer(
    db, dispatcher
):
    conversation, order = case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    await ActionAnswerFaq().run(dispatcher, _asking(conversation, order, "照片怎么发", "faq"), {})
    answer = dispatcher.messages[0]["text"]
    assert "申请售后" in answer
    assert "发不了图片" in answer


async def test_a_question_about_the_order_in_focus_is_not_answered_from_anothers_case(
    db, dispatcher
):
    """Trial 25, T864 t6 (harmful): 寄回去的运费谁出 about the charger just given, under
    warranty, got the boots' chase case's "不需要您寄回任何东西，运费也不用您出"."""
    tracker, boots = in_open_case(db, "late", CaseKind.DELAYED, "寄回去的运费谁出？", "faq")
    charger = "2042346853560688"  # the same shopper's charger, in warranty
    tracker.slots.update(verified_order_no=charger, order_id=charger)
    tracker.events.insert(-1, user_event(charger, "inform"))
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "不需要您寄回任何东西" not in said
    assert "保修" in said  # the charger order's own terms
    assert boots.order_no not in said


async def test_a_question_read_as_out_of_scope_that_the_knowledge_base_is_sure_of_is_answered(
    db, dispatcher
):
    """Trial 25, T868 t5: 人工几点上班, read as out of scope, got "这个问题我帮不上忙"."""
    tracker = make_tracker({}, text="人工几点上班", intent="out_of_scope")
    tracker.sender_id = uuid.uuid4().hex
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    said = bot_said(dispatcher)
    assert "09:00" in said
    assert "utter_out_of_scope" not in responses(dispatcher)


async def test_chat_the_knowledge_base_knows_nothing_of_is_still_declined(db, dispatcher):
    tracker = make_tracker({}, text="今天天气怎么样", intent="out_of_scope")
    tracker.sender_id = uuid.uuid4().hex
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_out_of_scope"]


@pytest.mark.parametrize(
    ("text", "intent", "said"),
    [
        # trial 25, T866 t4: the old parcel's delivery was said, and the case dropped
        ("今天能给我发吗", "track_order", "小时内给您答复"),
        # T866 t5: a repair was offered in the case's place
        ("你们保修5年是吧 以后数据丢了管恢复吗", "faq", "保修5年"),
    ],
)
async def test_a_question_while_a_damage_case_waits_is_answered_and_the_case_kept(
    db, dispatcher, text, intent, said
):
    order = order_in(db, "damaged_on_arrival", which=2)  # the 1TB SanDisk drive, 5 years
    pending = CASE_PENDING[CaseKind.DAMAGED]
    tracker = _asking(uuid.uuid4().hex, order, text, intent, pending_request=pending)
    tracker.events[:0] = [
        user_event("硬盘昨天到的 外壳裂了", "report_damaged_item"),
        {"event": "action", "name": "action_handle_order_request"},
    ]
    action = ActionHandleOrderRequest() if intent == "track_order" else ActionAnswerFaq()
    events = await action.run(dispatcher, tracker, DOMAIN)
    assert said in bot_said(dispatcher)
    assert all(e.get("value") == pending for e in events if e.get("name") == "pending_request")


async def test_a_photo_question_beside_photos_taken_is_answered_and_the_claim_still_waits(
    db, dispatcher
):
    """Trial 27, T952 t7: 照片拍了 面单也要拍吗 while the apples' claim waited got the claim said
    again, the question unanswered."""
    order = order_in(db, "fresh_delivered")
    tracker = _asking(uuid.uuid4().hex, order, "照片拍了 面单也要拍吗", "faq")
    tracker.slots["pending_request"] = FRESH_CLAIM
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "快递面单" in said
    assert "还没有提交" in said
    assert not any(e.get("name") == "pending_request" and e.get("value") is None for e in events)
