"""An FAQ entry the search is unsure of names no need on the shopper's own order (trial 23,
T787: 换货运费谁出 after the invoice talk looked the invoice up again, because the
conversation's memory put the invoice first; the postage question went unanswered)."""

from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import DOMAIN, bot_said, demo_order, make_tracker, slots_set, user_event


async def _asked_after(dispatcher, earlier: str, text: str) -> list[dict]:
    """The FAQ action's events for `text`, asked on the verified order after `earlier`."""
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=text,
        intent="faq",
        earlier=[user_event(earlier, "faq"), user_event(f"{order_no} {tail}", "inform")],
    )
    return await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)


async def test_a_postage_question_after_the_invoice_talk_is_answered_not_the_invoice(
    db, dispatcher
):
    events = await _asked_after(dispatcher, "发票开了吗", "换货运费谁出")
    assert slots_set(events).get("order_need") is None
    assert not [e for e in events if e["event"] == "followup"]
    assert "寄回运费" in bot_said(dispatcher)


async def test_an_invoice_follow_up_the_memory_is_sure_of_is_still_the_invoice(db, dispatcher):
    events = await _asked_after(dispatcher, "发票什么时候开", "开了没")
    assert slots_set(events).get("order_need") == "invoice"
