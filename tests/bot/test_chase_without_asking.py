"""An obvious chase is registered at once, never asked with a yes/no first: a verified order
whose tracking confirms it is late (in transit past its promise or stalled, or late to ship)
and a shopper who reports it (能不能快点 周六之前必须到). A question about what would happen
(那要是到时候还没到呢) and "不急 不用催" open nothing; a parcel shown delivered is still asked
first, one on time is told so, and damaged/wrong/lost cases are unchanged."""

from sqlalchemy import select

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.chasing import WAREHOUSE
from shop.models import CaseKind, LogisticsCase, Order
from tests.bot.conftest import verified_after


def _cases(db, order_no: str) -> list[LogisticsCase]:
    db.expire_all()
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    return list(db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)))


def _pending(events) -> str | None:
    values = [e["value"] for e in events if e.get("name") == "pending_request"]
    return values[-1] if values else None


def _text(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def _asked_yes_no(dispatcher) -> bool:
    return "确认登记吗" in _text(dispatcher) or any(m.get("buttons") for m in dispatcher.messages)


async def _handle(dispatcher, situation: str, intent: str, text: str):
    tracker, order_no = verified_after(situation, intent, text)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    return events, order_no


async def test_a_late_parcel_reported_in_words_that_name_no_lateness_is_chased_at_once(
    db, dispatcher
):
    words = "周六之前必须到 孩子过生日要用的"
    events, order_no = await _handle(dispatcher, "late", "report_delivery_delay", words)
    text = _text(dispatcher)
    assert "已经为您登记了物流跟进单" in text  # says what was done
    assert "加急催件" in text
    assert not _asked_yes_no(dispatcher)
    assert _pending(events) is None
    [case] = _cases(db, order_no)
    assert (case.kind, case.detail) == (CaseKind.DELAYED, words)


async def test_a_shopper_who_asks_to_hurry_a_late_parcel_gets_the_chase_without_a_yes_no(
    db, dispatcher
):
    _, order_no = await _handle(
        dispatcher, "late", "report_delivery_delay", "能不能快点 周六之前必须到"
    )
    assert "已经为您登记了物流跟进单" in _text(dispatcher)
    assert not _asked_yes_no(dispatcher)
    assert [c.kind for c in _cases(db, order_no)] == [CaseKind.DELAYED]


async def test_an_order_late_to_ship_reported_in_other_words_is_chased_with_the_warehouse(
    db, dispatcher
):
    _, order_no = await _handle(dispatcher, "ship_overdue", "report_delivery_delay", "周末就要用了")
    assert "登记了催发货" in _text(dispatcher)
    assert not _asked_yes_no(dispatcher)
    assert [c.carrier for c in _cases(db, order_no)] == [WAREHOUSE]


async def test_what_if_it_has_still_not_come_by_then_opens_nothing_and_is_asked_first(
    db, dispatcher
):
    events, order_no = await _handle(
        dispatcher, "late", "report_delivery_delay", "那要是到时候还没到呢"
    )
    assert _asked_yes_no(dispatcher)
    assert _pending(events) == "case_delayed"
    assert _cases(db, order_no) == []


async def test_a_shopper_who_says_no_hurry_no_chase_has_nothing_opened_without_a_yes(
    db, dispatcher
):
    _, order_no = await _handle(
        dispatcher, "late", "report_delivery_delay", "还没到 不过不急 不用催"
    )
    assert _asked_yes_no(dispatcher)
    assert _cases(db, order_no) == []


async def test_a_parcel_shown_delivered_is_still_asked_before_a_case_opens(db, dispatcher):
    events, order_no = await _handle(
        dispatcher, "delivered_not_received", "report_delivery_delay", "东西呢"
    )
    assert "确认登记吗" in _text(dispatcher)
    assert _pending(events) == "case_lost"
    assert _cases(db, order_no) == []


async def test_a_parcel_on_time_is_told_so_and_nothing_is_chased(db, dispatcher):
    events, order_no = await _handle(
        dispatcher, "in_transit", "report_delivery_delay", "周六之前必须到"
    )
    assert "已经为您登记" not in _text(dispatcher)
    assert _pending(events) is None
    assert _cases(db, order_no) == []


async def test_a_vague_damage_report_on_an_order_late_to_ship_chases_nothing(db, dispatcher):
    _, order_no = await _handle(dispatcher, "ship_overdue", "report_damaged_item", "东西有点问题")
    assert "登记了催发货" not in _text(dispatcher)
    assert _cases(db, order_no) == []


async def test_a_vague_damage_report_on_a_delivered_parcel_is_still_said_back(db, dispatcher):
    events, order_no = await _handle(
        dispatcher, "damaged_on_arrival", "report_damaged_item", "东西有点问题"
    )
    assert "确认登记吗" in _text(dispatcher)
    assert _pending(events) == "case_damaged"
    assert _cases(db, order_no) == []
