"""A yes to a return said back that names what it is wanted as (trial 17 T529: 确认 换卡其色33
got a second confirmation, and the colour and size were never written down): the return is
requested, the wish written on it and said back."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from tests.bot.conftest import DOMAIN, bot_said, next_message, order_in, verified_after

RETURN = "request_return_exchange"


@pytest.mark.parametrize("intent", ["affirm", RETURN])
async def test_a_yes_naming_the_colour_and_size_wanted_requests_the_return_with_that_wish(
    db, intent
):
    tracker, _ = verified_after("returnable", RETURN, "裤子想换个颜色")
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    pending = next(e["value"] for e in events if e.get("name") == "pending_request")
    assert pending == RETURN
    next_message(tracker, "确认 换卡其色33", intent, pending, dispatcher=out)
    action = ActionAnswerPendingRequest() if intent == "affirm" else ActionHandleOrderRequest()
    await action.run(out, tracker, DOMAIN)
    said = bot_said(out)
    assert "已为您提交退换货申请（您想换成「卡其色33」" in said
    assert "想跟您确认一下" not in said
    (request,) = order_in(db, "returnable").after_sales
    assert "卡其色33" in request.reason
