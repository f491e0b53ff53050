"""An exchange asked for goods not yet sent is a change of the order, and a question about a
return once they arrive is the no-reason rule: neither is the order's cancel said back (trial
24, T801: 那黑色L 帮我换一下 was offered the whole T-shirt order's cancel; T802: 到了不喜欢能退吧
我不拆不开机, the phone's)."""

import pytest

from bot.actions.bare_yes import ActionSayGoodbye
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.order_requests import asks_a_later_return
from tests.bot.conftest import DOMAIN, after_an_order_request, bot_said, verified_after


def _followups(events):
    return [e["name"] for e in events if e["event"] == "followup"]


@pytest.mark.parametrize("text", ["那黑色L 帮我换一下", "帮我换成黑色L"])
async def test_an_exchange_before_dispatch_starts_the_change_not_a_cancel(db, dispatcher, text):
    tracker, _ = verified_after("awaiting_shipment", "request_return_exchange", text)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert _followups(events) == ["modify_order_form"]
    assert "取消" not in bot_said(dispatcher)


async def test_a_return_once_it_arrives_asked_before_dispatch_is_told_the_rule(db, dispatcher):
    tracker, _ = verified_after(
        "awaiting_shipment", "request_return_exchange", "到了不喜欢能退吧 我不拆不开机"
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "确认帮您取消吗" not in said
    assert "7天" in said or "七天" in said
    assert not [e for e in events if e.get("name") == "pending_request" and e.get("value")]


async def test_not_wanting_it_before_dispatch_is_still_its_cancel_said_back(db, dispatcher):
    tracker, _ = verified_after("awaiting_shipment", "request_return_exchange", "不想要了 退了吧")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "确认帮您取消吗" in bot_said(dispatcher)


def test_a_return_once_it_arrives_is_told_apart_from_not_received_yet():
    assert asks_a_later_return("到了不喜欢能退吧 我不拆不开机")
    assert asks_a_later_return("收到以后不合适可以换吗")
    assert not asks_a_later_return("还没收到 能退吗")
    assert not asks_a_later_return("不想要了 退了吧")


async def test_a_return_asked_in_words_read_as_a_goodbye_is_that_return(db, dispatcher):
    """Trial 24, T830: 卡其31没有？那退了吧 不换了 (read as a goodbye) ended the chat."""

    tracker, _ = after_an_order_request(
        "returnable", "裤子长了 想换31码的", "request_return_exchange",
        "卡其31没有？那退了吧 不换了", "goodbye",
    )  # fmt: skip
    events = await ActionSayGoodbye().run(dispatcher, tracker, DOMAIN)
    assert _followups(events) == ["order_lookup_form"]
    assert "光临" not in bot_said(dispatcher)
