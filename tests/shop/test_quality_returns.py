"""A quality problem found in use: a return under the quality rule; and a parcel case checked
(said back) before it is opened."""

from datetime import timedelta

import pytest
import yaml

from core.events import EventName
from shop.aftersales import (
    ReturnRequested,
    ReturnRule,
    ReturnToConfirm,
    ReturnWindow,
    delivered_at,
    request_return,
    return_check,
)
from shop.logistics import CaseAlreadyOpen, CaseOpened, CaseToConfirm, case_check, open_case
from shop.models import CaseKind, LogisticsCase, Remedy
from shop.problem_policy import POLICY_FILE, ProblemPolicyError, load_problem_policy
from tests.shop.conftest import demo_order


def test_a_quality_problem_may_be_returned_for_the_policys_days_with_the_shipping_paid(db):
    order = demo_order(db, "not_returnable")  # 25 days: past the 7-day no-reason rule
    received = delivered_at(order)
    days = load_problem_policy().quality.return_within_days
    checked = return_check(order, received + timedelta(days=days - 1), quality=True)
    assert isinstance(checked, ReturnToConfirm)
    assert checked.window.rule == ReturnRule.QUALITY_WINDOW
    assert checked.window.deadline == received + timedelta(days=days)
    assert checked.window.return_shipping_paid


def test_a_quality_problem_past_the_policys_days_is_refused(db):
    order = demo_order(db, "not_returnable")
    checked = return_check(order, delivered_at(order) + timedelta(days=25), quality=True)
    assert isinstance(checked, ReturnWindow)
    assert (checked.allowed, checked.rule) == (False, ReturnRule.QUALITY_EXPIRED)


def test_a_books_printing_fault_is_taken_back_however_long_after_signing(db):
    order = demo_order(db, "not_returnable", which=1)  # a book alone, signed 25 days ago
    assert {i.variant.product.category.code for i in order.items} == {"books"}
    checked = return_check(order, delivered_at(order) + timedelta(days=200), quality=True)
    assert isinstance(checked, ReturnToConfirm)
    assert checked.window.rule == ReturnRule.QUALITY_ANY_TIME
    assert checked.window.deadline is None
    assert any("不限时间" in r.note for r in checked.window.rules)  # the category's own rule


def test_a_washed_item_is_no_longer_a_no_reason_return_but_a_quality_one(db):
    order = demo_order(db, "wrong_item")
    now = delivered_at(order) + timedelta(days=9)  # past 7 days, inside 15
    assert isinstance(return_check(order, now), ReturnWindow)
    assert isinstance(return_check(order, now, quality=True), ReturnToConfirm)


def test_a_quality_return_says_so_to_the_agent_and_in_its_event(db, recorded):
    order = demo_order(db, "wrong_item")
    now = delivered_at(order) + timedelta(days=1)
    outcome = request_return(db, order, now, "毛衣洗了一次就掉色了", quality=True)
    assert isinstance(outcome, ReturnRequested)
    assert order.after_sales[-1].reason == "质量问题：毛衣洗了一次就掉色了"
    [event] = recorded(EventName.AFTER_SALE_OPENED)
    assert event.payload["problem"] == "quality_defect"


def test_a_case_checked_for_a_yes_opens_nothing(db, recorded):
    order = demo_order(db, "damaged_on_arrival", -1)
    now = delivered_at(order) + timedelta(hours=3)
    checked = case_check(db, order, CaseKind.DAMAGED, now)
    assert isinstance(checked, CaseToConfirm)
    assert checked.report.kind == CaseKind.DAMAGED
    assert checked.needs_photo
    assert db.query(LogisticsCase).filter_by(order_id=order.id).count() == 0
    assert recorded(EventName.CASE_OPENED) == []


def test_the_case_said_back_is_the_case_opened(db):
    order = demo_order(db, "damaged_on_arrival", -1)
    now = delivered_at(order) + timedelta(hours=3)
    checked = case_check(db, order, CaseKind.DAMAGED, now)
    opened = open_case(db, order, CaseKind.DAMAGED, now)
    assert isinstance(checked, CaseToConfirm)
    assert isinstance(opened, CaseOpened)
    assert (opened.promised, opened.awaiting_approval) == (
        checked.promised, checked.awaiting_approval,
    )  # fmt: skip
    assert Remedy.RESHIP_OR_REFUND in opened.remedies
    assert isinstance(case_check(db, order, CaseKind.DAMAGED, now), CaseAlreadyOpen)


def test_a_late_report_on_a_delivered_parcel_is_checked_as_a_lost_one(db):
    order = demo_order(db, "delivered_not_received")
    checked = case_check(db, order, CaseKind.DELAYED, delivered_at(order) + timedelta(hours=3))
    assert isinstance(checked, CaseToConfirm)
    assert checked.report.kind == CaseKind.LOST


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"quality": {"return_within_days": 0, "shop_pays_return_shipping": True}}, "quality"),
        ({"fresh_food": {"categories": [], "report_within_hours": 24,
                         "remedies": ["resend"], "review_within_hours": 24}}, "categories"),
        ({"fresh_food": {"categories": ["fresh"], "report_within_hours": 24,
                         "remedies": ["voucher"], "review_within_hours": 24}}, "remedies"),
        ({"surprise": 1}, "surprise"),
    ],
)  # fmt: skip
def test_an_invalid_problem_policy_is_refused_with_what_is_wrong(tmp_path, change, complaint):
    policy = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "problem_policy.yaml"
    path.write_text(yaml.safe_dump(policy | change), encoding="utf-8")
    with pytest.raises(ProblemPolicyError, match=complaint):
        load_problem_policy(path)


def test_the_shipped_problem_policy_is_valid():
    policy = load_problem_policy()
    assert policy.fresh_food.report_within_hours == 24
    assert policy.quality.return_within_days == 15


def test_the_shoppers_words_kept_on_a_case_are_cut_to_their_length(db):
    order = demo_order(db, "damaged_on_arrival", -1)
    now = delivered_at(order) + timedelta(hours=3)
    opened = open_case(db, order, CaseKind.DAMAGED, now, detail="碎了" * 2000)
    assert isinstance(opened, CaseOpened)
    assert len(db.get_one(LogisticsCase, opened.case_id).detail) == 2000
