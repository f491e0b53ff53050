"""On an order whose return is approved and waits for the shopper's parcel, "by when" (有期限吗,
我这周都没空) gets the send-by date, and the money after it (寄了以后多久退钱) its time first,
never the address block alone."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import make_tracker, order_in


async def _said(db, text: str, intent: str) -> str:
    order = order_in(db, "return_awaiting")
    dispatcher = CollectingDispatcher()
    action = ActionClarify() if intent == "nlu_fallback" else ActionAnswerFaq()
    await action.run(
        dispatcher, make_tracker({"verified_order_no": order.order_no}, text, intent), {}
    )
    return "\n".join(m["text"] or m["template"] or "" for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("我这周都没空 有期限吗", "nlu_fallback"), ("最晚哪天寄", "faq"), ("有截止时间吗", "faq")],
)
async def test_by_when_the_parcel_must_leave_gets_the_send_by_date(db, text, intent):
    said = await _said(db, text, intent)
    assert "前把商品寄到" in said


async def test_the_money_after_the_parcel_gets_the_refund_time_first(db):
    said = await _said(db, "寄了以后多久退钱", "faq")
    first = said.splitlines()[0]
    assert "个工作日内发起退款" in first
    assert "到账" in first
