"""A return's pick-up that never came (等了好几天没人上门取件) is the return's matter, not a late
parcel: on an order whose return was approved, the return is said (where to send it, by when,
where the waybill goes), with no delay case and no menu of parcel problems (shop/problems.py
`waits_for_pickup`, bot/actions/order_requests.py `_act`)."""

import pytest

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.problems import ProblemKind, read_problem, waits_for_pickup
from tests.bot.conftest import verified_after
from tests.bot.test_problem_cases import _cases, _slot


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你们什么意思啊 退货同意了就没下文了 等了好几天没人上门取件", "report_delivery_delay"),
        ("退货申请都通过了 快递员一直没来取件", "report_delivery_delay"),
        ("说好的上门取件呢 三天了都没人来", "report_lost_parcel"),
        ("约的取件时间早过了 也没人联系我", "report_delivery_delay"),
    ],
)
async def test_a_pickup_that_never_came_says_the_approved_return_and_opens_no_case(
    db, dispatcher, text, intent
):
    tracker, order_no = verified_after("return_awaiting", intent, text)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "审核通过" in said
    assert "寄到" in said  # where it goes
    assert "物流太慢" not in said
    payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert "/report_delivery_delay" not in payloads
    assert _slot(events, "pending_request") is None
    assert _cases(db, order_no)[0] == []


@pytest.mark.parametrize(
    "text", ["去驿站取件没找到", "快递柜取件码没收到", "快递好几天了还没到", "物流一直没更新"]
)
def test_collecting_a_parcel_or_a_late_one_is_no_pickup_of_a_return(text):
    assert not waits_for_pickup(text)


def test_a_late_parcel_is_still_late():
    assert ProblemKind.LATE in read_problem("等了好几天了快递还没到").kinds
    assert ProblemKind.LATE not in read_problem("等了好几天没人上门取件").kinds
