"""A no to a cancel or a return weighed a few turns ago (算了不取消了 千万别给我取消) is told
plainly that the order stays as it is, never a bare goodbye (trial 10: T270.4)."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.case_replies import (
    CASE_OPEN,
    ActionCheckCaseReply,
    ActionReplyInCase,
    ReplyKind,
    read_case_reply,
)
from core.clock import utcnow
from shop.models import OrderStatus
from tests.bot.conftest import DOMAIN, after_an_order_request, order_in, responses


def _after_a_cancel_weighed(text: str, intent: str):
    """A cancel asked about, then answered questions in between: nothing waits any more."""
    tracker, order_no = after_an_order_request(
        "awaiting_shipment", "我想取消这个订单", "cancel_order", text, intent
    )
    return tracker, order_no


@pytest.mark.parametrize(
    ("text", "intent"),
    [("算了不取消了 就这样吧 你千万别给我取消啊", "deny"),
     ("那还是不取消了", "deny"),
     ("先不取消了 我再等等", "goodbye"),
     ("不退了 留着吧", "deny"),
     ("千万别取消啊 我等着用呢", "deny")],
)  # fmt: skip
async def test_a_no_to_a_cancel_weighed_earlier_is_told_the_order_stays(
    db, dispatcher, text, intent
):
    tracker, _ = _after_a_cancel_weighed(text, intent)
    checked = await ActionCheckCaseReply().run(CollectingDispatcher(), tracker, DOMAIN)
    assert checked == [{"event": "slot", "timestamp": None, "name": CASE_OPEN, "value": True}]
    tracker.slots[CASE_OPEN] = True
    await ActionReplyInCase().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_request_kept"]
    assert order_in(db, "awaiting_shipment").status == OrderStatus.AWAITING_SHIPMENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [("好的 谢谢 再见", "goodbye"), ("不用了", "deny"), ("别给我取消 不过帮我改个地址", "deny")],
)
def test_a_goodbye_or_a_no_that_asks_for_more_is_no_order_kept(db, text, intent):
    tracker, _ = _after_a_cancel_weighed(text, intent)
    reply = read_case_reply(db, tracker, utcnow())
    assert reply is None or reply.kind != ReplyKind.KEPT
