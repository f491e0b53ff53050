"""A damaged, wrong or missing item is settled before a case opens: the problem heard, the
order's items listed for the piece and the count, the case said back for a yes; what the
shopper adds while it waits is written on the case (bot/actions/order_requests.py,
bot/actions/problem_cases.py)."""

from sqlalchemy import select

from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from conversations.needs import other_needs
from shop.models import LogisticsCase, Order
from tests.bot.conftest import next_message, slots_set, verified_after


def _cases(db, order_no):
    db.expire_all()
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    return db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)).all()


async def test_a_missing_piece_on_an_order_of_several_items_lists_them_and_opens_nothing_yet(
    db, dispatcher
):
    tracker, order_no = verified_after(
        "wrong_item", "report_wrong_or_missing_item", "东西少发了", 2
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "这单里有" in text
    assert "哪件少了" in text
    assert slots_set(events)["pending_request"] == "case_missing_item"
    assert _cases(db, order_no) == []


async def test_the_count_told_while_the_damage_case_waits_is_heard_and_kept_on_the_case(
    db, dispatcher
):
    tracker, order_no = verified_after("damaged_on_arrival", "report_damaged_item", "收到就是碎的")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    counted = next_message(tracker, "只有一个裂开了 别的没事", "inform", "case_damaged")
    events = await ActionAnswerPendingRequest().run(dispatcher, counted, {})
    assert "只有一个裂开了" in dispatcher.messages[-1]["text"]  # heard, never a no
    assert not [e for e in events if e.get("name") == "pending_request"]  # still waits
    assert _cases(db, order_no) == []
    await ActionAnswerPendingRequest().run(
        dispatcher, next_message(tracker, "确认", "affirm", "case_damaged"), {}
    )
    [case] = _cases(db, order_no)
    assert "只有一个裂开了" in case.detail


async def test_a_parcel_case_is_never_opened_at_once_while_another_case_waits_for_its_yes(
    db, dispatcher
):
    """Trial 10 T260: "那快点补啊 我等着用" while a missing item waited opened a signed-not-received
    case with no yes."""
    tracker, order_no = verified_after("delivered_not_received", "report_lost_parcel", "少东西了")
    pressed = next_message(
        tracker, "那快点补啊 我等着用", "report_lost_parcel", "case_missing_item"
    )
    events = await ActionHandleOrderRequest().run(dispatcher, pressed, {})
    assert _cases(db, order_no) == []
    assert [e["value"] for e in events if e.get("name") == "pending_request"][-1].startswith(
        "case_"
    )


def test_a_problem_the_shopper_denies_is_never_offered_as_a_second_need():
    assert other_needs("其实没有破损 就是少寄了一个", "report_wrong_or_missing_item") == []


def test_when_it_arrives_asked_in_a_complaint_is_its_one_need_not_a_second_one():
    assert other_needs("少来这套 我就想知道几号能到", "complain") == []
    assert other_needs("少来这套 我就想知道几号能到", "report_delivery_delay") == []
