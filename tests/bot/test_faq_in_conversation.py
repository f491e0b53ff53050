"""A bare follow-up is answered within what the shopper asked before in the conversation."""

import uuid

import pytest
from sqlalchemy import select

from bot.actions.common import earlier_texts
from bot.actions.faq import ActionAnswerFaq
from conversations.models import Escalation
from tests.bot.conftest import bot_said, make_tracker, user_event


async def test_a_bare_follow_up_after_a_refund_question_gets_the_refund_times(
    dispatcher, tracker_with
):
    earlier = [user_event("退款多久到账", "faq")]
    tracker = tracker_with(text="那大概要多久啊", intent="faq", earlier=earlier)
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "工作日" in dispatcher.messages[0]["text"]


async def test_the_same_follow_up_with_nothing_before_it_is_asked_back(dispatcher, tracker_with):
    await ActionAnswerFaq().run(dispatcher, tracker_with(text="那大概要多久啊", intent="faq"), {})
    assert dispatcher.messages[0]["response"] == "utter_faq_clarify"


def test_the_earlier_messages_are_this_sessions_before_the_latest(tracker_with):
    earlier = [
        user_event("上次的问题", "faq"),
        {"event": "session_started"},
        user_event("退款多久到账", "faq"),
        {"event": "bot", "text": "退款一般…"},
    ]
    tracker = tracker_with(text="那要多久", intent="faq", earlier=earlier)
    assert earlier_texts(tracker) == ["退款多久到账"]


def test_the_earlier_messages_leave_out_requests_and_data(tracker_with):
    earlier = [
        user_event("帮我查下快递 7507529170342366 尾号3508", "track_order"),
        user_event("没收到货 不知道咋回事", "nlu_fallback"),
        user_event("退款多久到账", "faq"),
    ]
    tracker = tracker_with(text="那要多久", intent="faq", earlier=earlier)
    assert earlier_texts(tracker) == ["没收到货 不知道咋回事", "退款多久到账"]


async def test_a_bare_follow_up_after_a_tracking_request_is_asked_back_not_read_as_privacy(
    dispatcher, tracker_with
):
    earlier = [user_event("帮我查下快递 7507529170342366 手机尾号3508", "track_order")]
    tracker = tracker_with(text="那要多久", intent="faq", earlier=earlier)
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_faq_clarify"


@pytest.mark.parametrize("text", ["照片发了 你们必须赔偿 我要找主管", "我要投诉 快递员态度太差"])
async def test_a_demand_for_a_person_read_as_a_policy_question_is_handed_over(db, dispatcher, text):
    """T516: "你们必须赔偿 我要找主管" got the anti-fraud entry (赔偿), twice; a demand for a
    person is met unless the knowledge base is sure of its answer on its own."""
    tracker = make_tracker(text=text, intent="faq")
    tracker.sender_id = uuid.uuid4().hex
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "诈骗" not in bot_said(dispatcher)
    escalations = db.scalars(select(Escalation)).all()
    assert [e.conversation_id for e in escalations].count(tracker.sender_id) == 1


async def test_a_question_about_the_people_is_answered_not_handed_over(db, dispatcher):
    tracker = make_tracker(text="人工客服几点上班", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "09:00" in bot_said(dispatcher) or "9点" in bot_said(dispatcher)
    assert tracker.sender_id not in [e.conversation_id for e in db.scalars(select(Escalation))]


async def test_a_clear_question_of_its_own_never_gets_the_answer_just_given_again(
    db, dispatcher, tracker_with
):
    # trial 27, T921 t7: the memory put the new-customer offer first again, and the repeat
    # became "这一点刚才的答复里没有写到" with a person offered
    asked = "新客立减20是自动减吗 我第一次在你们家买"
    await ActionAnswerFaq().run(dispatcher, tracker_with(text=asked, intent="faq"), {})
    offer = dispatcher.messages[0]["text"]
    dispatcher.messages.clear()
    earlier = [user_event(asked, "faq"), {"event": "bot", "text": offer}]
    tracker = tracker_with(text="到了不合身能退不 运费谁出", intent="faq", earlier=earlier)
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    said = bot_said(dispatcher)
    assert offer not in said
    assert "刚才的答复里没有写到" not in said
    assert "运费" in said
