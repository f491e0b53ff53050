"""After a case is opened, the shopper's follow-ups are answered from it, whatever the NLU said."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.presale import ActionAnswerProductInfo
from conversations.models import Escalation, EscalationReason
from core.clock import utcnow
from core.events import Event, EventName
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind, LogisticsCase, Order
from tests.bot.conftest import demo_order, make_tracker, responses, user_event


def _case_opened(db, situation: str, kind: CaseKind) -> tuple[str, str, str]:
    """A conversation in which a case was opened on a verified demo order."""
    conversation = uuid.uuid4().hex
    order_no, tail = demo_order(situation)
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert isinstance(
        open_case(db, order, kind, utcnow(), conversation_id=conversation), CaseOpened
    )
    return conversation, order_no, tail


def _asking(conversation: str, order_no: str, text: str, intent: str):
    tracker = make_tracker({"verified_order_no": order_no}, text=text, intent=intent)
    tracker.sender_id = conversation
    return tracker


async def test_a_photo_question_the_nlu_finds_out_of_scope_is_answered_from_the_case(
    db, dispatcher
):
    conversation, order_no, _ = _case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order_no, "照片怎么发给你", "out_of_scope")
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "申请售后" in text
    assert order_no in text
    assert "发不了图片" in text  # honest: the chat takes no pictures


async def test_out_of_scope_without_an_open_case_is_declined(db, dispatcher):
    tracker = make_tracker(text="明天杭州下雨吗", intent="out_of_scope")
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_out_of_scope"]


async def test_a_vague_how_long_read_as_faq_is_about_the_case_not_refunds(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    await ActionAnswerFaq().run(dispatcher, _asking(conversation, order_no, "要多久", "faq"), {})
    text = dispatcher.messages[0]["text"]
    assert "前给您答复" in text
    assert "小时内发出" in text


async def test_a_sure_faq_answer_still_wins_over_the_case(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order_no, "退款一般多久到账", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "前给您答复" not in dispatcher.messages[0]["text"]


async def test_hurry_up_read_as_a_new_delay_report_chases_the_open_case(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order_no, "能不能快点", "report_delivery_delay")
    tracker.events = [user_event("能不能快点", "report_delivery_delay")]
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "优先处理" in dispatcher.messages[0]["text"]
    chased = db.scalars(select(Event).where(Event.name == EventName.CASE_CHASED)).all()
    assert [e.conversation_id for e in chased][-1] == conversation
    kinds = {c.kind for c in db.scalars(select(LogisticsCase)) if c.conversation_id == conversation}
    assert kinds == {CaseKind.DAMAGED}  # no second case opened


async def test_what_if_it_is_lost_is_answered_from_the_policy(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "stalled", CaseKind.DELAYED)
    text = "真丢了怎么办 给补发吗"
    tracker = _asking(conversation, order_no, text, "report_lost_parcel")
    tracker.events = [user_event(text, "report_lost_parcel")]
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "如果核实包裹确实丢了" in dispatcher.messages[0]["text"]


async def test_how_long_read_as_a_return_is_not_asked_to_confirm_a_return(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "wrong_item", CaseKind.WRONG_ITEM)
    text = "多久能给我换好"
    tracker = _asking(conversation, order_no, text, "request_return_exchange")
    tracker.events = [user_event(text, "request_return_exchange")]
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "换给您的正确商品" in dispatcher.messages[0]["text"]
    pending = [e for e in events if e.get("name") == "pending_request"]
    assert pending[0]["value"] is None


async def test_a_wait_question_read_as_a_product_question_is_about_the_case(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "stalled", CaseKind.DELAYED)
    tracker = _asking(conversation, order_no, "还要等多久啊", "ask_product_info")
    await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "前给您答复" in dispatcher.messages[0]["text"]


async def test_a_product_question_in_focus_is_not_taken_for_the_case(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "stalled", CaseKind.DELAYED)
    tracker = _asking(conversation, order_no, "这个保温多久", "ask_product_info")
    tracker.slots["current_product"] = "P9003"
    await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert "保温效果" in dispatcher.messages[0]["text"]


async def test_a_chase_after_the_promised_time_goes_to_a_person(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "stalled", CaseKind.DELAYED)
    case = db.scalars(
        select(LogisticsCase).where(LogisticsCase.conversation_id == conversation)
    ).one()
    case.reply_by = utcnow() - timedelta(hours=1)
    db.flush()
    await ActionClarify().run(
        dispatcher, _asking(conversation, order_no, "催一下", "nlu_fallback"), {}
    )
    assert "转给人工客服" in dispatcher.messages[0]["text"]
    escalation = db.scalars(
        select(Escalation).where(Escalation.conversation_id == conversation)
    ).one()
    assert (escalation.reason, escalation.case_id) == (EscalationReason.CASE_OVERDUE, case.id)


async def test_how_long_read_as_tracking_is_about_a_damaged_items_case(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order_no, "还要等多久啊", "track_order")
    tracker.events = [user_event("还要等多久啊", "track_order")]
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "前给您答复" in dispatcher.messages[0]["text"]


async def test_how_long_read_as_tracking_on_a_late_parcel_shows_the_tracking(db, dispatcher):
    conversation, order_no, _ = _case_opened(db, "stalled", CaseKind.DELAYED)
    tracker = _asking(conversation, order_no, "还要等多久啊", "track_order")
    tracker.events = [user_event("还要等多久啊", "track_order")]
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "最新物流" in dispatcher.messages[0]["text"]


async def test_out_of_scope_with_an_order_in_hand_offers_this_chats_agents(db, dispatcher):
    # trial 22, T753: "那怎么办 财务过不了" after an invoice answer got "这个问题我帮不上忙"
    order_no, tail = demo_order("in_warranty")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail}, text="那怎么办 财务过不了",
        intent="out_of_scope",
    )  # fmt: skip
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]
    assert "人工客服" in said["text"]
    assert "帮不上忙" not in said["text"]
    assert "电话" not in said["text"]  # no phone was asked for
    assert [b["payload"] for b in said["buttons"]] == ["/request_human"]


async def test_a_return_after_the_late_parcel_arrives_is_told_its_postage_not_the_case(
    db, dispatcher
):
    """Trial 24, T818: 那我收到以后再退呢 运费谁出 while the late boots were chased got
    "这个问题不需要您寄回任何东西，运费也不用您出": false, a no-reason return's postage is the
    shopper's."""
    conversation, order_no, _ = _case_opened(db, "stalled", CaseKind.DELAYED)
    for text in ("那我收到以后再退呢 运费谁出", "收到以后不想要了 七天无理由退 寄回运费谁出"):
        dispatcher.messages.clear()
        await ActionAnswerFaq().run(dispatcher, _asking(conversation, order_no, text, "faq"), {})
        said = " ".join(m["text"] or "" for m in dispatcher.messages)
        assert "不需要您寄回任何东西" not in said
        assert "由您承担" in said, said
