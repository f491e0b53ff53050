"""Trial 9: a pre-sale question taken for an order request ends the form at once, as Rasa calls
its validation (the form already the active loop, nothing asked yet); a spec question about the
product in focus is answered from its page; an invoice or 价保 asked before buying gets the policy,
never the order's lookup; a real request still asks for the order."""

import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker

from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_changes import ActionApplyOrderChange, ValidateModifyOrderForm
from bot.actions.order_lookup import ValidateOrderLookupForm
from tests.bot.conftest import DOMAIN, make_tracker, responses, slots_set, user_event


def _activating(text: str, intent: str, form: str, slots: dict[str, Any] | None = None) -> Tracker:
    """The tracker Rasa sends the form's validation when the message starts the form: the form
    is the active loop already, and nothing has been asked yet."""
    tracker = make_tracker(slots or {}, text, intent, form, earlier=[])
    tracker.sender_id = uuid.uuid4().hex
    return tracker


async def test_a_delivery_day_asked_before_ordering_ends_the_change_form_as_rasa_starts_it(
    dispatcher,
):
    tracker = _activating("下单以后可以约个晚上送吗", "modify_order", "modify_order_form")
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events).get("requested_slot", "unset") is None


async def test_a_return_asked_before_buying_ends_the_lookup_as_rasa_starts_it(dispatcher):
    tracker = _activating(
        "耳塞拆封了试听不满意能退吗", "request_return_exchange", "order_lookup_form"
    )
    events = await ValidateOrderLookupForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events).get("requested_slot", "unset") is None


async def test_a_real_change_still_asks_for_the_order_as_rasa_starts_the_form(dispatcher):
    tracker = _activating("能不能把收货地址改一下", "modify_order", "modify_order_form")
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert "requested_slot" not in slots_set(events)  # the form goes on to ask for the order


async def test_a_form_that_asked_for_the_number_keeps_asking(dispatcher):
    slots = {"requested_slot": "order_id"}
    tracker = _activating("能不能约周日送", "modify_order", "modify_order_form", slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events).get("requested_slot", "unset") != None  # noqa: E711


async def test_a_spec_question_taken_as_a_change_is_answered_from_the_product_page(dispatcher):
    text = "科沃斯T30 PRO 家里门坎1.8厘米 它过得去吗"
    tracker = make_tracker({}, text, "modify_order", earlier=[user_event(text, "modify_order")])
    tracker.sender_id = uuid.uuid4().hex
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "越障高度" in said
    assert "utter_order_not_verified" not in responses(dispatcher)


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("一下单就可以开发票吗 大概几天开好", "发票"),
        ("价保怎么算 买完一周内降价给补差价吗", "30天"),
    ],
)
async def test_an_invoice_or_price_drop_asked_before_buying_gets_the_policy_not_the_lookup(
    dispatcher, text, policy
):
    tracker = make_tracker({}, text, "faq")
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    assert "order_need" not in slots_set(events)
    assert policy in dispatcher.messages[0]["text"]


async def test_an_own_orders_invoice_is_still_looked_up(dispatcher):
    tracker = make_tracker({}, "我这单的发票开了没", "faq")
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events).get("order_need")
