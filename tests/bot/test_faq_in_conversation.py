"""A bare follow-up is answered within what the shopper asked before in the conversation."""

from bot.actions.common import earlier_texts
from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import user_event


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
