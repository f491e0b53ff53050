"""Chasing a late order: the warehouse chase of an order not yet shipped, the dispatch it can
still make by the warehouse's cut-off, the shipping notice, and what chasing shoppers say."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from core.clock import SHOP_TZ
from core.events import EventName
from shop.chasing import (
    WAREHOUSE,
    ChaseTalk,
    Dispatch,
    WarehouseChased,
    chase_answer,
    next_dispatch,
    read_chase_talk,
)
from shop.logistics import (
    FollowUpReason,
    NotDeliveredYet,
    case_check,
    chase_without_asking,
    open_case,
    recheck_open_cases,
)
from shop.models import (
    CaseKind,
    CaseStatus,
    LogisticsCase,
    OrderStatus,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from shop.policy import POLICY_FILE, PolicyError, load_policy
from shop.tracking import order_progress
from tests.shop.conftest import demo_order
from words.render import say


def _overdue(db):
    return demo_order(db, "ship_overdue", which=-1)


def _cases(db, order) -> list[LogisticsCase]:
    return list(db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)))


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 5, hour, minute, tzinfo=SHOP_TZ)


def _ship(db, order, when: datetime) -> Shipment:
    """The warehouse hands the order to a carrier."""
    shipment = Shipment(
        carrier="中通",
        tracking_no="ZT7700112233",
        status=ShipmentStatus.IN_TRANSIT,
        shipped_at=when,
    )
    shipment.events.append(TrackingEvent(occurred_at=when, location="杭州", description="已揽收"))
    order.shipments.append(shipment)
    order.status = OrderStatus.SHIPPED
    db.flush()
    return shipment


# --- the warehouse's dispatch -----------------------------------------------------------------


def test_before_the_cut_off_an_order_can_still_make_todays_dispatch():
    cutoff = load_policy().warehouse.ship_cutoff_hour
    assert next_dispatch(_at(6, 15)) == Dispatch(_at(cutoff), True)


def test_too_close_to_the_cut_off_or_after_it_the_next_dispatch_is_tomorrows():
    rule = load_policy().warehouse
    tomorrow = Dispatch(_at(rule.ship_cutoff_hour) + timedelta(days=1), False)
    late_in_the_day = _at(rule.ship_cutoff_hour) - timedelta(minutes=rule.pack_minutes - 1)
    assert next_dispatch(late_in_the_day) == tomorrow
    assert next_dispatch(_at(20)) == tomorrow


def test_an_invalid_warehouse_rule_is_refused_with_a_clear_error(tmp_path: Path):
    good = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    bad = tmp_path / "logistics.yaml"
    bad.write_text(yaml.safe_dump({**good, "warehouse": {"ship_cutoff_hour": 30}}), "utf-8")
    with pytest.raises(PolicyError, match="ship_cutoff_hour"):
        load_policy.__wrapped__(bad)


# --- the chase of an order not yet shipped ------------------------------------------------------


def test_a_late_order_not_shipped_reported_late_is_chased_with_the_warehouse_at_once(
    db, seeded_at, recorded
):
    order = _overdue(db)
    outcome = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch1")
    assert isinstance(outcome, WarehouseChased)
    assert not outcome.again
    assert outcome.promised_ship_by == order.promised_ship_by
    assert outcome.dispatch == next_dispatch(seeded_at)
    assert outcome.reply_by == outcome.dispatch.at  # answered by the dispatch it aims at
    [case] = _cases(db, order)
    assert (case.kind, case.carrier, case.status) == (CaseKind.DELAYED, WAREHOUSE, CaseStatus.OPEN)
    assert case.conversation_id == "c-ch1"
    assert len(recorded(EventName.CASE_OPENED)) == 1


def test_a_lost_parcel_reported_on_an_order_not_shipped_is_chased_too(db, seeded_at):
    order = _overdue(db)
    assert isinstance(open_case(db, order, CaseKind.LOST, seeded_at), WarehouseChased)


def test_a_second_chase_is_recorded_on_the_open_one(db, seeded_at, recorded):
    order = _overdue(db)
    first = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch2")
    again = open_case(db, order, CaseKind.DELAYED, seeded_at + timedelta(hours=1))
    assert isinstance(again, WarehouseChased)
    assert again.again
    assert isinstance(first, WarehouseChased)
    assert again.case_id == first.case_id
    assert len(_cases(db, order)) == 1
    assert len(recorded(EventName.CASE_CHASED)) == 1


def test_an_order_not_shipped_within_its_promise_is_not_chased(db, seeded_at):
    order = demo_order(db, "awaiting_shipment", which=-1)
    assert not isinstance(open_case(db, order, CaseKind.DELAYED, seeded_at), WarehouseChased)
    assert _cases(db, order) == []


def test_the_chase_says_the_record_the_apology_the_answer_time_and_the_notice(db, seeded_at):
    order = _overdue(db)
    chased = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch3")
    assert isinstance(chased, WarehouseChased)
    text = say(chased)
    assert order.order_no in text
    assert "原定" in text
    assert "还没有发货" in text
    assert "非常抱歉" in text
    assert "登记了催发货" in text
    assert say(chased.dispatch) in text  # honest about today, by the cut-off
    assert "发货后我会在这个对话里把快递公司和运单号告诉您" in text


def test_today_is_never_promised_only_said_possible_before_the_cut_off():
    today = say(Dispatch(_at(16), True))
    assert "赶得上今天" in today
    assert "没法跟您打包票" in today
    tomorrow = say(Dispatch(_at(16) + timedelta(days=1), False))
    assert "今天发不出去" in tomorrow
    assert "最早" in tomorrow


def test_the_chased_order_shipping_tells_the_shopper_its_waybill_and_ends_the_chase(
    db, seeded_at, recorded
):
    order = _overdue(db)
    open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch4")
    _ship(db, order, seeded_at + timedelta(hours=2))
    follow_ups = [
        f
        for f in recheck_open_cases(db, seeded_at + timedelta(hours=3))
        if f.conversation_id == "c-ch4"
    ]
    [shipped] = follow_ups
    assert shipped.reason == FollowUpReason.SHIPPED
    assert shipped.resolved
    text = say(shipped)
    assert "已经发货了" in text
    assert "中通" in text
    assert "ZT7700112233" in text
    [case] = _cases(db, order)
    assert case.status == CaseStatus.RESOLVED
    assert case.tracking_no == "ZT7700112233"
    assert len(recorded(EventName.CASE_RESOLVED)) == 1
    assert [
        f
        for f in recheck_open_cases(db, seeded_at + timedelta(hours=4))
        if f.conversation_id == "c-ch4"
    ] == []


def test_a_chase_the_warehouse_has_not_answered_in_time_goes_to_a_person(db, seeded_at):
    order = _overdue(db)
    chased = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch5")
    assert isinstance(chased, WarehouseChased)
    quiet = recheck_open_cases(db, chased.reply_by - timedelta(minutes=1))
    assert [f for f in quiet if f.conversation_id == "c-ch5"] == []
    [overdue] = [
        f
        for f in recheck_open_cases(db, chased.reply_by + timedelta(minutes=1))
        if f.conversation_id == "c-ch5"
    ]
    assert overdue.reason == FollowUpReason.OVERDUE


def test_where_a_chased_order_stands_says_it_is_being_chased_and_whether_it_ships_today(
    db, seeded_at
):
    order = _overdue(db)
    chased = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch6")
    assert isinstance(chased, WarehouseChased)
    progress = order_progress(order, seeded_at)
    assert progress.chase_reply_by == chased.reply_by
    assert progress.dispatch == next_dispatch(seeded_at)
    text = say(progress)
    assert "已经帮您催过仓库了" in text
    assert say(progress.dispatch) in text


# --- a late parcel reported as another problem before it arrived ----------------------------------


@pytest.mark.parametrize("situation", ["stalled", "late"])
def test_a_late_parcel_reported_as_damaged_before_delivery_says_it_is_late(
    db, seeded_at, situation
):
    order = demo_order(db, situation, which=-1)
    outcome = open_case(db, order, CaseKind.DAMAGED, seeded_at)
    assert isinstance(outcome, NotDeliveredYet)
    assert outcome.late is not None
    text = say(outcome)
    assert "还在路上" not in text
    assert ("没有动了" in text) or ("超过了承诺的送达时间" in text)
    assert "非常抱歉" in text
    assert "帮我催一下" in text
    assert _cases(db, order) == []


def test_a_parcel_on_time_reported_as_damaged_before_delivery_is_still_on_its_way(db, seeded_at):
    order = demo_order(db, "in_transit", which=-1)
    outcome = open_case(db, order, CaseKind.DAMAGED, seeded_at)
    assert outcome == NotDeliveredYet(order.order_no)
    assert "还在路上" in say(outcome)


# --- what chasing shoppers say -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "talk"),
    [
        ("今天能发吗", ChaseTalk.WHEN_SHIP),
        ("你就说能不能发", ChaseTalk.WHEN_SHIP),
        ("今天发得出去不", ChaseTalk.WHEN_SHIP),
        ("到底几点才发货啊", ChaseTalk.WHEN_SHIP),
        ("明天能寄出吗", ChaseTalk.WHEN_SHIP),
        ("发了之后告诉我一声", ChaseTalk.NOTIFY),
        ("发货了跟我说下", ChaseTalk.NOTIFY),
        ("有动静了通知我哈", ChaseTalk.NOTIFY),
        ("那先别取消 我急着用", ChaseTalk.KEEP_ORDER),
        ("先不取消了 你们一定帮我催催", ChaseTalk.KEEP_ORDER),
        ("不要取消 还要的", ChaseTalk.KEEP_ORDER),
    ],
)
def test_a_chasing_shoppers_follow_up_is_read_for_what_it_asks(text, talk):
    assert read_chase_talk(text) == talk


@pytest.mark.parametrize(
    "text",
    [
        "帮我取消订单",
        "取消吧",
        "能发顺丰吗",
        "能发到新疆吗",
        "发票什么时候发",
        "赠品能发吗",
        "你好",
        "这个质量怎么样",
    ],
)
def test_other_needs_are_not_read_as_chasing(text):
    assert read_chase_talk(text) is None


def test_when_it_ships_on_a_late_order_says_how_late_and_the_dispatch_honestly(db, seeded_at):
    order = _overdue(db)
    answer = chase_answer(order, ChaseTalk.WHEN_SHIP, None, seeded_at)
    assert answer.late_to_ship
    assert answer.dispatch == next_dispatch(seeded_at)
    text = say(answer)
    assert "原定" in text
    assert "非常抱歉" in text
    assert say(answer.dispatch) in text
    assert "帮我催一下" in text  # not chased yet: how to ask for it


def test_a_notice_asked_on_a_chased_order_says_where_it_will_come(db, seeded_at):
    order = _overdue(db)
    open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch7")
    [case] = _cases(db, order)
    text = say(chase_answer(order, ChaseTalk.NOTIFY, case, seeded_at))
    assert "发货后我会在这个对话里把快递公司和运单号告诉您" in text
    assert "价保" not in text


def test_a_notice_asked_without_a_chase_is_honest_about_where_to_look(db, seeded_at):
    order = demo_order(db, "awaiting_shipment", which=-1)
    text = say(chase_answer(order, ChaseTalk.NOTIFY, None, seeded_at))
    assert "订单详情" in text
    assert "没法单独给您发发货提醒" in text


def test_keeping_the_order_is_reassurance_never_a_cancel(db, seeded_at):
    order = _overdue(db)
    open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-ch8")
    [case] = _cases(db, order)
    text = say(chase_answer(order, ChaseTalk.KEEP_ORDER, case, seeded_at))
    assert "不会取消" in text
    assert "已经帮您催过仓库了" in text
    assert order.status == OrderStatus.AWAITING_SHIPMENT


@pytest.mark.parametrize(
    ("situation", "kind", "without_asking"),
    [
        ("late", CaseKind.DELAYED, True),
        ("stalled", CaseKind.DELAYED, True),
        ("ship_overdue", CaseKind.DELAYED, True),
        ("in_transit", CaseKind.DELAYED, False),  # on time: nothing to chase
        ("delivered_not_received", CaseKind.DELAYED, False),  # a lost parcel: asked first
        ("awaiting_shipment", CaseKind.DELAYED, False),
    ],
)
def test_only_a_delay_the_tracking_confirms_is_chased_without_a_yes(
    db, seeded_at, situation, kind, without_asking
):
    order = demo_order(db, situation, which=-1)
    assert chase_without_asking(case_check(db, order, kind, seeded_at)) is without_asking
