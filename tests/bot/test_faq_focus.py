"""The FAQ answer sets the topic in focus, and a bare follow-up is answered within it."""

from bot.actions.faq import ActionAnswerFaq


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_an_answer_puts_its_entry_in_focus(dispatcher, tracker_with):
    events = await ActionAnswerFaq().run(
        dispatcher, tracker_with(text="退款多久到账", intent="faq"), {}
    )
    assert _slots(events)["faq_topic"] == "refund_time"


async def test_a_bare_follow_up_gets_the_entry_in_focus(dispatcher, tracker_with):
    tracker = tracker_with({"faq_topic": "refund_time"}, text="那大概要多久啊", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "工作日" in dispatcher.messages[0]["text"]
