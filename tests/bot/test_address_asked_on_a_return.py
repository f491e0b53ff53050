"""地址发我 on a return (trial 10, T262.5, T271.5): the NLU pipeline reads it as the return it
is about, whatever the classifier made of it (a change of address, a goodbye); the return's flow
then says the approved return's address and where the waybill goes, or that the address comes
once the return it says back is approved. 改地址 stays a change."""

import pytest

from bot.actions.order_lookup import ActionHandleOrderRequest
from tests.bot.conftest import after_an_order_request, order_in
from tests.bot.test_conditional_requests import classified

RETURN = "request_return_exchange"


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return classified(
        [
            ("行 那就退吧 地址发我", "modify_order"),
            ("算了 地址再发我一遍 单号填哪", "goodbye"),
            ("退货地址给我一下", "inform"),
            ("寄回哪里啊", "deny"),
            ("地址改成杭州市西湖区文三路100号", "modify_order"),
            ("我要改地址", "modify_order"),
            ("算了 不用了", "goodbye"),
            ("地址发我", "track_order"),
        ]
    )


def test_a_request_for_the_address_read_as_a_change_or_a_goodbye_is_the_return(results):
    assert [r["intent"]["name"] for r in results[:4]] == [RETURN] * 4
    assert results[0]["intent"]["confidence"] == 0.6
    assert results[0]["ranking"][0] == RETURN


def test_a_change_of_address_and_a_plain_goodbye_stay_as_they_are(results):
    assert [r["intent"]["name"] for r in results[4:7]] == ["modify_order"] * 2 + ["goodbye"]


def test_another_reading_of_the_address_request_is_left_alone(results):
    assert results[7]["intent"]["name"] == "track_order"


async def test_the_address_asked_again_on_an_approved_return_is_said_with_the_waybill_step(
    db, dispatcher
):
    tracker, order_no = after_an_order_request(
        "return_awaiting", "我自己寄?? 还得我掏运费", RETURN, "算了 地址再发我一遍 单号填哪", RETURN
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "文一西路1888号" in text
    assert "运单号" in text
    assert order_in(db, "return_awaiting").order_no == order_no


async def test_the_address_asked_before_a_return_is_requested_says_when_it_comes(db, dispatcher):
    tracker, _order_no = after_an_order_request(
        "returnable", "不想要了 能退吗", RETURN, "行 那就退吧 地址发我", RETURN
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    message = dispatcher.messages[-1]
    assert "通过后把寄回地址发给您" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert RETURN in [e.get("value") for e in events if e.get("name") == "pending_request"]
    assert order_in(db, "returnable").after_sales == []


@pytest.mark.parametrize("text", ["寄到哪", "地址发我"])
async def test_where_to_send_it_read_as_tracking_on_an_approved_return_is_the_returns_address(
    db, dispatcher, text
):
    tracker, _ = after_an_order_request(
        "return_awaiting", "退货同意了 怎么寄", RETURN, text, "track_order"
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "文一西路1888号" in said
    assert "已于" not in said  # not the order's own delivery again


async def test_where_the_money_goes_asked_while_a_return_waits_for_its_yes_keeps_it_waiting(
    db, dispatcher
):
    tracker, order_no = after_an_order_request(
        "returnable", "不想要了 能退吗", RETURN, "钱退到哪", "ask_refund_status"
    )
    tracker.slots["pending_request"] = RETURN
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    order = order_in(db, "returnable")
    assert f"退款会原路退回{order.payment_method}" in said
    assert "没有退款申请" not in said
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirm", "/deny"]
    assert RETURN in [e.get("value") for e in events if e.get("name") == "pending_request"]
    assert order.after_sales == []
    assert order.order_no == order_no
