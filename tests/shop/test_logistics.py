"""Logistics cases start from the order's real tracking and follow the shop's policy file."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.logistics import open_case, recheck_open_cases
from shop.models import CaseStatus, Order, TrackingEvent
from shop.policy import PolicyError, load_policy
from tests.shop.conftest import demo_order


def _last(db, situation: str):
    """The situation's last demo order (the bot's action tests commit cases on the first)."""
    return demo_order(db, situation, which=-1)


def test_a_stalled_parcel_opens_a_case_with_the_facts_and_the_policys_remedies(db, seeded_at):
    outcome = open_case(
        db,
        _last(db, "stalled"),
        "delayed",
        seeded_at,
        conversation_id="c-1",
    )
    assert outcome.case is not None
    assert outcome.case.status == CaseStatus.OPEN
    assert "天没有动了" in outcome.message
    assert "加急催件" in outcome.message
    assert f"{load_policy().cases['delayed'].coupon_yuan}元" in outcome.message
    assert "前给您答复" in outcome.message


@pytest.mark.parametrize(
    ("situation", "said", "offer_human"),
    [("cancelled", "已经取消了", False), ("ship_overdue", "还没有发货", True)],
)
def test_an_order_without_a_parcel_opens_no_case_and_says_where_it_stands(
    db, seeded_at, situation, said, offer_human
):
    outcome = open_case(db, demo_order(db, situation), "delayed", seeded_at)
    assert outcome.case is None
    assert said in outcome.message
    assert outcome.offer_human is offer_human


def test_reporting_the_same_problem_again_reuses_the_open_case(db, seeded_at):
    order = _last(db, "stalled")
    first = open_case(db, order, "delayed", seeded_at, conversation_id="c-1")
    again = open_case(db, order, "delayed", seeded_at, conversation_id="c-1")
    assert again.case is first.case
    assert "已经在跟进" in again.message


def test_a_parcel_on_schedule_gets_no_case_and_an_honest_answer(db, seeded_at):
    outcome = open_case(db, _last(db, "in_transit"), "delayed", seeded_at)
    assert outcome.case is None
    assert "正常时效" in outcome.message


def test_delivered_but_not_received_is_investigated_with_the_carrier(db, seeded_at):
    outcome = open_case(db, _last(db, "delivered_not_received"), "delayed", seeded_at)
    assert outcome.case.kind == "lost"
    assert "菜鸟驿站代收" in outcome.message
    assert "核查派送记录" in outcome.message


def test_damage_asks_for_photos_and_cannot_be_reported_before_delivery(db, seeded_at):
    damaged = open_case(db, _last(db, "damaged_on_arrival"), "damaged", seeded_at)
    assert "拍几张照片" in damaged.message
    early = open_case(db, _last(db, "in_transit"), "damaged", seeded_at)
    assert early.case is None


def test_open_cases_follow_up_when_the_parcel_moves_and_when_the_reply_is_overdue(db, seeded_at):
    case = open_case(
        db,
        _last(db, "stalled"),
        "delayed",
        seeded_at,
        conversation_id="c-9",
    ).case
    assert [f for f in recheck_open_cases(db, seeded_at) if f.conversation_id == "c-9"] == []

    shipment = case.order.shipments[-1]
    shipment.events.append(
        TrackingEvent(
            occurred_at=seeded_at + timedelta(hours=1),
            location="天津",
            description="快件已恢复派送",
        )
    )
    db.flush()
    moved = [
        f
        for f in recheck_open_cases(db, seeded_at + timedelta(hours=2))
        if f.conversation_id == "c-9"
    ]
    assert len(moved) == 1
    assert "快件已恢复派送" in moved[0].text
    assert moved[0].escalate_order_no is None

    def mine(when):
        return [f for f in recheck_open_cases(db, when) if f.conversation_id == "c-9"]

    overdue = mine(case.reply_by + timedelta(minutes=1))
    assert overdue[0].escalate_order_no == case.order.order_no
    assert mine(case.reply_by + timedelta(hours=2)) == []


def test_an_invalid_policy_file_is_refused_with_the_reason(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text(
        "stall_after_days: 3\nfollow_up_every_minutes: 30\n"
        "cases:\n  delayed: {remedies: [teleport], reply_within_hours: 24}\n"
        "remedy_texts: {}\nphoto_request: 请拍照\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="cases missing for"):
        load_policy(bad)


def test_a_refund_or_reship_on_a_valuable_order_waits_for_an_agents_approval(db, seeded_at):
    threshold = load_policy().approval.order_value_above_yuan
    damaged = [
        db.scalars(select(Order).where(Order.order_no == s["order_no"])).one()
        for s in load_yaml(ORDERS_FILE)["orders"]
        if s["situation"] == "damaged_on_arrival"
    ]
    valuable = max(damaged, key=lambda o: o.total_amount)
    cheap = min(damaged, key=lambda o: o.total_amount)
    assert valuable.total_amount > threshold >= cheap.total_amount
    promise = load_policy().remedy_texts["reship_or_refund"]
    waiting = open_case(db, valuable, "damaged", seeded_at, conversation_id="c-approval")
    assert waiting.needs_approval
    assert "主管确认" in waiting.message
    assert promise not in waiting.message  # not promised before the supervisor confirms it
    settled = open_case(db, cheap, "damaged", seeded_at, conversation_id="c-no-approval")
    assert not settled.needs_approval
    assert promise in settled.message
    assert "主管" not in settled.message


def test_an_approval_rule_naming_an_unknown_remedy_is_refused(tmp_path):
    policy = (Path(__file__).parents[2] / "shop" / "logistics_policy.yaml").read_text("utf-8")
    bad = tmp_path / "policy.yaml"
    bad.write_text(
        policy.replace(
            "remedies: [reship_or_refund]\n  order_value", "remedies: [refund_twice]\n  order_value"
        ),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="approval: unknown remedies"):
        load_policy(bad)
