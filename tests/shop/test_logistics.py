"""Logistics cases start from the order's real tracking and follow the shop's policy file."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.events import EventName, Subject
from shop.logistics import (
    CaseAlreadyOpen,
    CaseFollowUp,
    CaseOpened,
    FollowUpReason,
    NoParcelYet,
    NotDeliveredYet,
    OnSchedule,
    ParcelReport,
    open_case,
    recheck_open_cases,
)
from shop.models import (
    CaseKind,
    CaseStatus,
    LogisticsCase,
    Remedy,
    ShipmentStatus,
    TrackingEvent,
)
from shop.policy import PolicyError, load_policy
from shop.tracking import Parcel, Scan, order_progress
from tests.shop.conftest import demo_order, demo_orders


def _last(db, situation: str):
    """The situation's last demo order (the bot's action tests commit cases on the first)."""
    return demo_order(db, situation, which=-1)


def _cases(db, order) -> list[LogisticsCase]:
    return list(db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)))


def _scan(db, order, when, description="快件已恢复派送", location="天津"):
    """A new carrier scan on the order's parcel."""
    order.latest_shipment.events.append(
        TrackingEvent(occurred_at=when, location=location, description=description)
    )
    db.flush()


def test_a_stalled_parcel_opens_a_case_with_the_facts_and_the_policys_remedies(
    db, seeded_at, recorded
):
    order = _last(db, "stalled")
    shipment = order.latest_shipment
    rule = load_policy().cases[CaseKind.DELAYED]
    outcome = open_case(
        db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-1", detail="好慢"
    )

    assert isinstance(outcome, CaseOpened)
    assert outcome.order_no == order.order_no
    assert outcome.report == ParcelReport(
        CaseKind.DELAYED,
        Parcel.of(shipment),
        Scan.of(shipment.events[-1]),
        quiet_days=(seeded_at - shipment.last_scan_at).days,
        stalled=True,
        past_promised_date=True,
    )
    assert outcome.report.quiet_days >= load_policy().stall_after_days
    assert outcome.promised == tuple(rule.remedies) == (Remedy.URGE_CARRIER, Remedy.COUPON)
    assert (outcome.awaiting_approval, outcome.needs_approval) == ((), False)
    assert (outcome.coupon_yuan, outcome.needs_photo) == (rule.coupon_yuan, False)
    assert outcome.reply_by == seeded_at + timedelta(hours=rule.reply_within_hours)

    [case] = _cases(db, order)
    assert case.id == outcome.case_id
    assert (case.kind, case.status) == (CaseKind.DELAYED, CaseStatus.OPEN)
    assert (case.carrier, case.tracking_no) == (shipment.carrier, shipment.tracking_no)
    assert (case.conversation_id, case.detail) == ("c-1", "好慢")
    assert case.remedies == ["urge_carrier", "coupon"]
    assert (case.opened_at, case.reply_by) == (seeded_at, outcome.reply_by)
    assert case.last_seen_scan_at == shipment.last_scan_at

    [event] = recorded(EventName.CASE_OPENED)
    assert (event.subject_type, event.subject_id) == (Subject.CASE, str(case.id))
    assert (event.order_no, event.carrier, event.cause) == (
        order.order_no,
        shipment.carrier,
        "delayed",
    )
    assert (event.conversation_id, event.payload) == ("c-1", {"remedies": case.remedies})
    assert recorded(EventName.CASE_APPROVAL_REQUESTED) == []


@pytest.mark.parametrize(  # a late order not shipped is chased instead (tests/shop/test_chasing.py)
    ("situation", "kind", "offer_human"),
    [("cancelled", CaseKind.DELAYED, False), ("ship_overdue", CaseKind.DAMAGED, True)],
)
def test_an_order_without_a_parcel_opens_no_case_and_says_where_it_stands(
    db, seeded_at, recorded, situation, kind, offer_human
):
    order = demo_order(db, situation, which=-1)
    outcome = open_case(db, order, kind, seeded_at)
    assert outcome == NoParcelYet(order_progress(order, seeded_at))
    assert outcome.offer_human is offer_human
    assert _cases(db, order) == []
    assert recorded(EventName.CASE_OPENED) == []


def test_reporting_the_same_problem_again_reuses_the_open_case(db, seeded_at, recorded):
    order = _last(db, "stalled")
    first = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-1")
    later = seeded_at + timedelta(hours=1)
    again = open_case(db, order, CaseKind.DELAYED, later, conversation_id="c-1")
    assert again == CaseAlreadyOpen(first.case_id, again.report, first.reply_by)
    assert again.report.kind == CaseKind.DELAYED
    assert len(_cases(db, order)) == 1
    assert len(recorded(EventName.CASE_OPENED)) == 1


def test_a_different_problem_on_the_same_order_opens_its_own_case(db, seeded_at):
    order = _last(db, "wrong_item")
    wrong = open_case(db, order, CaseKind.WRONG_ITEM, seeded_at, conversation_id="c-2")
    missing = open_case(db, order, CaseKind.MISSING_ITEM, seeded_at, conversation_id="c-2")
    assert isinstance(wrong, CaseOpened)
    assert isinstance(missing, CaseOpened)
    assert wrong.case_id != missing.case_id
    assert {c.kind for c in _cases(db, order)} == {CaseKind.WRONG_ITEM, CaseKind.MISSING_ITEM}


def test_a_parcel_on_schedule_gets_no_case_and_an_honest_answer(db, seeded_at, recorded):
    order = _last(db, "in_transit")
    outcome = open_case(db, order, CaseKind.DELAYED, seeded_at)
    assert isinstance(outcome, OnSchedule)
    report = outcome.report
    assert (report.kind, report.stalled, report.past_promised_date) == (
        CaseKind.DELAYED,
        False,
        False,
    )
    assert report.last_scan == Scan.of(order.latest_shipment.events[-1])
    assert _cases(db, order) == []
    assert recorded(EventName.CASE_OPENED) == []


def test_a_late_parcel_past_its_promised_date_opens_a_case_before_it_stalls(db, seeded_at):
    outcome = open_case(db, _last(db, "late"), CaseKind.DELAYED, seeded_at)
    assert isinstance(outcome, CaseOpened)
    assert (outcome.report.stalled, outcome.report.past_promised_date) == (False, True)


def test_delivered_but_not_received_is_investigated_with_the_carrier(db, seeded_at, recorded):
    order = _last(db, "delivered_not_received")
    outcome = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-3")
    assert isinstance(outcome, CaseOpened)
    assert outcome.report.kind == CaseKind.LOST
    assert outcome.report.parcel.signed_by == "菜鸟驿站代收"
    assert outcome.report.parcel.delivered_at == order.latest_shipment.delivered_at
    assert outcome.remedies == (Remedy.CARRIER_INVESTIGATION, Remedy.RESHIP_OR_REFUND)
    assert _cases(db, order)[0].kind == CaseKind.LOST
    assert recorded(EventName.CASE_OPENED)[0].cause == "lost"


def test_a_lost_report_on_a_parcel_still_moving_is_a_delay(db, seeded_at):
    outcome = open_case(db, _last(db, "stalled"), CaseKind.LOST, seeded_at)
    assert isinstance(outcome, CaseOpened)
    assert outcome.report.kind == CaseKind.DELAYED


def test_damage_asks_for_photos_and_cannot_be_reported_before_delivery(db, seeded_at):
    damaged = open_case(db, demo_order(db, "damaged_on_arrival", 1), CaseKind.DAMAGED, seeded_at)
    assert isinstance(damaged, CaseOpened)
    assert damaged.needs_photo
    assert damaged.promised == (Remedy.RESHIP_OR_REFUND,)
    hours = load_policy().cases[CaseKind.DAMAGED].reply_within_hours
    assert damaged.reply_by == seeded_at + timedelta(hours=hours)


@pytest.mark.parametrize("kind", [CaseKind.DAMAGED, CaseKind.WRONG_ITEM, CaseKind.MISSING_ITEM])
def test_a_problem_with_the_goods_cannot_be_reported_before_delivery(db, seeded_at, kind):
    order = _last(db, "in_transit")
    assert open_case(db, order, kind, seeded_at) == NotDeliveredYet(order.order_no)
    assert _cases(db, order) == []


def test_open_cases_follow_up_when_the_parcel_moves_and_when_the_reply_is_overdue(
    db, seeded_at, recorded
):
    order = _last(db, "stalled")
    opened = open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-9")
    [case] = _cases(db, order)

    def mine(when):
        return [f for f in recheck_open_cases(db, when) if f.conversation_id == "c-9"]

    assert mine(seeded_at) == []

    moved_at = seeded_at + timedelta(hours=1)
    _scan(db, order, moved_at)
    [moved] = mine(seeded_at + timedelta(hours=2))
    assert moved == CaseFollowUp(
        "c-9",
        opened.case_id,
        CaseKind.DELAYED,
        order.order_no,
        FollowUpReason.MOVED,
        Scan(moved_at, "天津", "快件已恢复派送"),
        resolved=False,
    )
    assert case.last_seen_scan_at == moved_at
    assert case.status == CaseStatus.OPEN

    overdue_at = case.reply_by + timedelta(minutes=1)
    assert mine(overdue_at) == [
        CaseFollowUp(
            "c-9", opened.case_id, CaseKind.DELAYED, order.order_no, FollowUpReason.OVERDUE
        )
    ]
    assert case.overdue_notified_at == overdue_at
    assert mine(case.reply_by + timedelta(hours=2)) == []  # an agent is told once

    followed = [e for e in recorded(EventName.CASE_FOLLOWED_UP) if e.conversation_id == "c-9"]
    assert [e.payload["reason"] for e in followed] == ["moved", "overdue"]
    assert {(e.order_no, e.carrier, e.cause) for e in followed} == {
        (order.order_no, case.carrier, "delayed")
    }


def test_a_late_parcel_that_arrives_closes_its_case(db, seeded_at, recorded):
    order = _last(db, "stalled")
    open_case(db, order, CaseKind.DELAYED, seeded_at, conversation_id="c-10")
    [case] = _cases(db, order)
    delivered_at = seeded_at + timedelta(hours=3)
    _scan(db, order, delivered_at, description="已签收", location="收件人")
    order.latest_shipment.status = ShipmentStatus.DELIVERED
    order.latest_shipment.delivered_at = delivered_at
    checked_at = seeded_at + timedelta(hours=4)

    [arrived] = [f for f in recheck_open_cases(db, checked_at) if f.conversation_id == "c-10"]
    assert (arrived.reason, arrived.resolved) == (FollowUpReason.MOVED, True)
    assert (case.status, case.resolved_at) == (CaseStatus.RESOLVED, checked_at)
    [event] = recorded(EventName.CASE_RESOLVED)
    assert (event.order_no, event.cause, event.actor) == (order.order_no, "delayed", "carrier")
    assert event.value == (checked_at - seeded_at).total_seconds()
    assert [f for f in recheck_open_cases(db, checked_at) if f.conversation_id == "c-10"] == []


def test_a_case_opened_outside_a_conversation_has_no_one_to_follow_up(db, seeded_at, recorded):
    order = _last(db, "stalled")
    opened = open_case(db, order, CaseKind.DELAYED, seeded_at)
    _scan(db, order, seeded_at + timedelta(hours=1))
    follow_ups = recheck_open_cases(db, seeded_at + timedelta(days=3))
    assert [f for f in follow_ups if f.case_id == opened.case_id] == []


@pytest.mark.parametrize(
    ("policy", "reason"),
    [
        (
            "cases:\n  delayed: {remedies: [urge_carrier], reply_within_hours: 24}\n",
            "cases missing for",
        ),
        (
            "cases:\n  delayed: {remedies: [teleport], reply_within_hours: 24}\n",
            r"(?s)cases\.delayed\.remedies.*teleport",
        ),
    ],
)
def test_an_invalid_policy_file_is_refused_with_the_reason(tmp_path, policy, reason):
    bad = tmp_path / "policy.yaml"
    bad.write_text(f"stall_after_days: 3\nfollow_up_every_minutes: 30\n{policy}", "utf-8")
    with pytest.raises(PolicyError, match=reason):
        load_policy(bad)


def test_a_refund_or_reship_on_a_valuable_order_waits_for_an_agents_approval(
    db, seeded_at, recorded
):
    threshold = load_policy().approval.order_value_above_yuan
    damaged = demo_orders(db, "damaged_on_arrival")
    valuable = max(damaged, key=lambda o: o.total_amount)
    cheap = min(damaged, key=lambda o: o.total_amount)
    assert valuable.total_amount > threshold >= cheap.total_amount

    waiting = open_case(db, valuable, CaseKind.DAMAGED, seeded_at, conversation_id="c-approval")
    assert waiting.needs_approval
    assert waiting.awaiting_approval == (Remedy.RESHIP_OR_REFUND,)
    assert waiting.promised == ()  # not promised before the supervisor confirms it
    [approval] = recorded(EventName.CASE_APPROVAL_REQUESTED)
    assert (approval.subject_id, approval.order_no) == (str(waiting.case_id), valuable.order_no)
    assert (approval.cause, approval.conversation_id) == ("damaged", "c-approval")
    assert approval.value == valuable.total_amount
    assert approval.carrier == valuable.latest_shipment.carrier
    assert approval.payload == {"remedies": ["reship_or_refund"], "held": ["reship_or_refund"]}

    settled = open_case(db, cheap, CaseKind.DAMAGED, seeded_at, conversation_id="c-no-approval")
    assert not settled.needs_approval
    assert settled.promised == (Remedy.RESHIP_OR_REFUND,)
    assert len(recorded(EventName.CASE_APPROVAL_REQUESTED)) == 1


def test_an_approval_rule_naming_an_unknown_remedy_is_refused(tmp_path):
    policy = (Path(__file__).parents[2] / "shop" / "logistics_policy.yaml").read_text("utf-8")
    bad = tmp_path / "policy.yaml"
    bad.write_text(
        policy.replace(
            "remedies: [reship_or_refund]\n  order_value", "remedies: [refund_twice]\n  order_value"
        ),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match=r"(?s)approval\.remedies.*refund_twice"):
        load_policy(bad)
