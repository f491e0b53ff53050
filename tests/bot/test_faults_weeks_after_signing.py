"""A fault told weeks after the order was signed for came in use, not in transport: it is a
quality or warranty matter (the return windows said, the item's own warranty offered for a
yes), never a transport-damage case with a reship or full refund (shop/problems.py
`read_problem` with the signed date, bot/actions/order_requests.py `_repair`)."""

import pytest

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.orders import load_order
from shop.problems import ProblemKind, read_problem
from tests.bot.test_problem_cases import _cases, _slot, _verified


@pytest.mark.parametrize(
    "text",
    [
        "在吗 之前在你们家买的东西坏了 开不了机",
        "手环突然不亮了",
        "充电器坏了 插上没反应",
        "东西出问题了 充不进电",
        "买的手环黑屏了",
    ],
)
async def test_a_fault_told_two_months_after_signing_is_never_a_transport_damage_case(
    db, dispatcher, text
):
    tracker, order_no = _verified("in_warranty", "report_damaged_item", text)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "补发" not in said
    assert "全额退款" not in said
    assert "破损" not in said
    assert "过了" in said  # the return windows are said to have passed
    assert _slot(events, "pending_request") in (None, "request_repair")
    assert _cases(db, order_no)[0] == []


async def test_can_it_just_be_returned_two_months_on_says_the_windows_and_the_warranty(
    db, dispatcher
):
    tracker, order_no = _verified(
        "in_warranty", "request_return_exchange", "小米手环开不了机 才用两个月 能直接退吗"
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = dispatcher.messages[-1]["text"]
    assert "七天无理由" in said
    assert "质量问题退换" in said
    assert "保修期内" in said
    assert _slot(events, "pending_request") == "request_repair"  # a repair, only on a yes
    assert _cases(db, order_no)[0] == []


def test_a_crushed_box_or_a_fault_found_on_opening_days_after_signing_is_still_the_parcel(db):
    order = load_order(db, _verified("damaged_on_arrival", "report_damaged_item", "x")[1])
    signed = order.latest_shipment.delivered_at
    for text in ("坏了 开不了机", "箱子压扁了 杯子碎了"):
        reading = read_problem(text, order, now=signed)
        assert ProblemKind.TRANSPORT_DAMAGE in reading.kinds, text


def test_a_fault_found_on_opening_an_unopened_parcel_weeks_on_is_still_the_parcel(db):
    order = load_order(db, _verified("in_warranty", "report_damaged_item", "x")[1])
    from datetime import timedelta

    much_later = order.latest_shipment.delivered_at + timedelta(days=30)
    reading = read_problem("一直没拆 今天打开发现开不了机", order, now=much_later)
    assert reading.kind == ProblemKind.TRANSPORT_DAMAGE
    assert read_problem("开不了机", order, now=much_later).kind == ProblemKind.QUALITY_DEFECT
