"""Each report's numbers on a small hand-made set of events, in March 2024 (long before the demo
shop's own events): week boundaries in shop time, rates with nothing to divide by, the
percentiles, the budget, the filters, and the items behind a number."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from conversations.models import EscalationReason
from core.events import Actor, EventName, record_event
from reports import REPORTS, run
from reports.items import excerpt, items
from reports.model import FilterError, FilterProblem, ReportFilter, make_filter
from reports.service import business_seconds
from reviews.alert_channels import ChannelKind
from reviews.causes import ReviewCause
from reviews.models import Review
from reviews.offers import load_compensation_policy
from shop.models import CaseKind, Product

N = EventName
TODAY = date(2024, 3, 31)
WEEK1, WEEK2 = date(2024, 3, 4), date(2024, 3, 11)  # Mondays


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in shop time (UTC+8)."""
    return datetime.fromisoformat(f"{day.isoformat()}T{hour:02d}:{minute:02d}:00+08:00")


def two_weeks(**given: Any) -> ReportFilter:
    return make_filter(TODAY, WEEK1, WEEK2 + timedelta(days=6), **given)


def ev(db: Session, name: EventName, subject: str | int, when: datetime, **dims: Any) -> None:
    record_event(db, name, subject, occurred_at=when, **dims)


def review(db: Session, number: int, when: datetime, negative: ReviewCause | None = None,
           product: str = "P-A", sku: str = "A-1", **dims: Any) -> None:  # fmt: skip
    ev(db, N.REVIEW_RECEIVED, number, when, product_id=product, sku=sku)
    if negative is not None:
        ev(db, N.REVIEW_FLAGGED_NEGATIVE, number, when, cause=negative, product_id=product,
           sku=sku, **dims)  # fmt: skip


def by_key(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {r[key]: r for r in rows}


# --- complaints -----------------------------------------------------------------------------


def test_complaints_fall_into_the_shop_time_week_they_happened_in_and_count_each_kind(db):
    sunday_late = at(WEEK1 + timedelta(days=6), 23, 59)  # 15:59 UTC: still the first week
    monday_midnight = at(WEEK2, 0, 0)  # 16:00 UTC on Sunday: the second week
    review(db, 1, sunday_late, ReviewCause.PRODUCT)
    review(db, 2, sunday_late)
    review(db, 3, monday_midnight, ReviewCause.LOGISTICS)
    ev(db, N.CONVERSATION_HANDED_OFF, "c-1", at(WEEK2), conversation_id="c-1",
       cause=EscalationReason.COMPLAINT)  # fmt: skip
    ev(db, N.CONVERSATION_HANDED_OFF, "c-2", at(WEEK2), conversation_id="c-2",
       cause=EscalationReason.SHOPPER_ASKED)  # fmt: skip  # not a complaint
    ev(db, N.CASE_OPENED, 7, at(WEEK2), order_no="X1", carrier="顺丰", cause=CaseKind.LOST)
    review(db, 4, at(WEEK2 + timedelta(days=7)), ReviewCause.PRODUCT)  # after the range

    table = run(db, "complaints", two_weeks())

    first, second = table.rows
    assert (first["week"], first["reviews"], first["negatives"]) == (WEEK1, 2, 1)
    assert first["negative_rate"] == 0.5
    assert (first["complaint_conversations"], first["cases"], first["complaints"]) == (0, 0, 1)
    assert (second["week"], second["reviews"], second["negatives"]) == (WEEK2, 1, 1)
    assert (second["complaint_conversations"], second["cases"], second["complaints"]) == (1, 1, 3)
    assert second["drill"] == {"week": "2024-03-11"}
    assert table.totals["complaints"] == 4
    assert table.totals["negative_rate"] == 0.6667


def test_a_week_without_reviews_has_no_negative_rate_rather_than_a_division_by_zero(db):
    ev(db, N.CASE_OPENED, 8, at(WEEK1), order_no="X2", carrier="顺丰", cause=CaseKind.DAMAGED)

    first, second = run(db, "complaints", two_weeks()).rows

    assert first["reviews"] == 0
    assert first["negative_rate"] is None
    assert first["complaints"] == 1
    assert second == {**second, "complaints": 0, "negative_rate": None}


def test_a_product_filter_leaves_conversations_and_cases_out_as_not_applicable(db):
    review(db, 1, at(WEEK1), ReviewCause.PRODUCT, product="P-A")
    review(db, 2, at(WEEK1), ReviewCause.PRODUCT, product="P-B")
    ev(db, N.CASE_OPENED, 9, at(WEEK1), order_no="X3", carrier="顺丰", cause=CaseKind.LOST)

    first = run(db, "complaints", two_weeks(product_id="P-A")).rows[0]

    assert (first["reviews"], first["negatives"], first["complaints"]) == (1, 1, 1)
    assert first["cases"] is None
    assert first["complaint_conversations"] is None


def test_a_category_filter_keeps_the_products_of_that_category(db):
    product = db.scalars(select(Product).order_by(Product.id)).first()
    other = db.scalars(select(Product).where(Product.category_id != product.category_id)).first()
    review(db, 1, at(WEEK1), ReviewCause.PRODUCT, product=product.code)
    review(db, 2, at(WEEK1), ReviewCause.PRODUCT, product=other.code)

    table = run(db, "products", two_weeks(category=product.category_id))

    assert [(r["product_id"], r["product"]) for r in table.rows] == [(product.code, product.name)]


# --- causes, products, logistics --------------------------------------------------------------


def test_causes_count_each_cause_and_sub_cause_with_its_share(db):
    review(db, 1, at(WEEK1), ReviewCause.PRODUCT, sub_cause="product.defect")
    review(db, 2, at(WEEK1), ReviewCause.PRODUCT, sub_cause="product.defect")
    review(db, 3, at(WEEK2), ReviewCause.LOGISTICS, sub_cause="logistics.slow")
    review(db, 4, at(WEEK2), ReviewCause.PRODUCT)

    table = run(db, "causes", two_weeks())

    assert [(r["cause"], r["sub_cause"], r["negatives"], r["share"]) for r in table.rows] == [
        ("product", "product.defect", 2, 0.5),
        ("logistics", "logistics.slow", 1, 0.25),
        ("product", None, 1, 0.25),
    ]
    assert table.rows[2]["drill"] == {"cause": "product", "sub_cause": ""}


def test_products_count_reviews_and_negatives_per_sku_and_those_blaming_the_product(db):
    review(db, 1, at(WEEK1), ReviewCause.PRODUCT, sku="A-1")
    review(db, 2, at(WEEK1), ReviewCause.LOGISTICS, sku="A-1")
    review(db, 3, at(WEEK1), None, sku="A-1")
    review(db, 4, at(WEEK1), None, sku="A-2")

    rows = by_key(run(db, "products", two_weeks()).rows, "sku")

    assert rows["A-1"] | {"drill": None} == {
        "product": "P-A",  # not in the catalogue: its code
        "product_id": "P-A",
        "sku": "A-1",
        "reviews": 3,
        "negatives": 2,
        "negative_rate": 0.6667,
        "product_complaints": 1,
        "drill": None,
    }
    assert rows["A-2"]["negative_rate"] == 0.0


def test_logistics_counts_cases_by_kind_and_negative_reviews_per_carrier_and_region(db):
    for n, kind in enumerate([CaseKind.DELAYED, CaseKind.DELAYED, CaseKind.WRONG_ITEM]):
        ev(db, N.CASE_OPENED, 10 + n, at(WEEK1), order_no=f"O{n}", carrier="中通",
           cause=kind, region="广东")  # fmt: skip
    ev(db, N.CASE_OPENED, 20, at(WEEK1), order_no="O9", carrier="顺丰", cause=CaseKind.LOST)
    review(db, 1, at(WEEK1), ReviewCause.LOGISTICS, carrier="中通", region="广东")
    review(db, 2, at(WEEK1), ReviewCause.PRODUCT, carrier="中通", region="广东")  # not theirs

    rows = run(db, "logistics", two_weeks()).rows

    assert [(r["carrier"], r["region"], r["complaints"]) for r in rows] == [
        ("中通", "广东", 4),
        ("顺丰", None, 1),
    ]
    zto = rows[0]
    assert (zto["delayed"], zto["lost"], zto["wrong_or_missing"], zto["cases"]) == (2, 0, 1, 3)
    assert zto["negatives"] == 1
    assert rows[1]["drill"] == {"carrier": "顺丰", "region": ""}


# --- conversations ----------------------------------------------------------------------------


def test_bot_rates_count_the_weeks_resolutions_and_handoffs_over_its_conversations(db):
    def started(cid: str, when: datetime) -> None:
        ev(db, N.CONVERSATION_STARTED, cid, when, conversation_id=cid)

    def by_bot(cid: str, when: datetime) -> None:
        ev(db, N.CONVERSATION_RESOLVED, cid, when, conversation_id=cid, actor=Actor.BOT)

    for n in range(4):
        started(f"b{n}", at(WEEK1))
    by_bot("b0", at(WEEK1, 13))
    by_bot("b0", at(WEEK1, 14))  # resolved again: one conversation
    by_bot("b1", at(WEEK2, 9))  # resolved in the next week: counted there
    ev(db, N.CONVERSATION_HANDED_OFF, "b2", at(WEEK1, 13), conversation_id="b2",
       cause=EscalationReason.SHOPPER_ASKED)  # fmt: skip
    ev(db, N.CONVERSATION_RESOLVED, "b2", at(WEEK1, 15), conversation_id="b2",
       actor=Actor.AGENT, agent="小美")  # fmt: skip  # a person resolved it
    started("old", at(WEEK1 - timedelta(days=1)))  # before the range: not counted
    by_bot("old", at(WEEK1 - timedelta(days=1), 13))

    table = run(db, "bot", two_weeks(product_id="P-A"))

    first, second = table.rows
    assert (first["conversations"], first["bot_resolved"], first["handed_off"]) == (4, 1, 1)
    assert (first["bot_resolution_rate"], first["handoff_rate"]) == (0.25, 0.25)
    assert (second["conversations"], second["bot_resolved"]) == (0, 1)
    assert second["bot_resolution_rate"] is None  # no conversation started that week
    assert table.filters.product_id is None  # conversations name no product


def _handoff_answered(db: Session, cid: str, when: datetime, wait_s: int, taken: bool) -> None:
    ev(db, N.CONVERSATION_HANDED_OFF, cid, when, conversation_id=cid,
       cause=EscalationReason.SHOPPER_ASKED)  # fmt: skip
    answered = when + timedelta(seconds=wait_s)
    if taken:
        ev(db, N.CONVERSATION_TAKEN, cid, answered, conversation_id=cid, actor=Actor.AGENT,
           agent="小美", value=wait_s)  # fmt: skip
    else:
        ev(db, N.MESSAGE_SENT, cid, answered, conversation_id=cid, actor=Actor.AGENT, agent="小美")
    ev(db, N.MESSAGE_SENT, cid, answered + timedelta(minutes=5), conversation_id=cid,
       actor=Actor.AGENT, agent="小美")  # fmt: skip  # a later reply does not count


def test_first_response_and_resolution_percentiles_per_week(db):
    _handoff_answered(db, "r1", at(WEEK1, 10), 60, taken=False)
    _handoff_answered(db, "r2", at(WEEK1, 11), 120, taken=True)
    ev(db, N.CONVERSATION_HANDED_OFF, "r3", at(WEEK1, 12), conversation_id="r3",
       cause=EscalationReason.COMPLAINT)  # fmt: skip  # never answered
    for cid, seconds in (("r1", 600), ("r2", 1200)):
        ev(db, N.CONVERSATION_RESOLVED, cid, at(WEEK1, 15), conversation_id=cid,
           actor=Actor.AGENT, agent="小美", value=seconds)  # fmt: skip
    ev(db, N.CONVERSATION_RESOLVED, "bot", at(WEEK1, 15), conversation_id="bot",
       actor=Actor.BOT, value=5)  # fmt: skip  # no person: not in the resolution times

    first = run(db, "response", two_weeks()).rows[0]

    assert (first["handoffs"], first["answered"], first["resolved"]) == (3, 2, 2)
    assert (first["first_response_p50"], first["first_response_p90"]) == (90.0, 114.0)
    assert (first["resolution_p50"], first["resolution_p90"]) == (900.0, 1140.0)


def test_business_hours_count_only_the_agents_hours(db):
    from conversations.queue import load_agent_hours

    hours = load_agent_hours()  # 09:00–23:00
    evening = at(WEEK1, 22, 30)
    assert business_seconds(evening, evening + timedelta(hours=11), hours) == 3600
    _handoff_answered(db, "late", evening, 11 * 3600, taken=True)

    first = run(db, "response", two_weeks(business_hours=True)).rows[0]

    assert first["first_response_p50"] == 3600.0


# --- money and alerts --------------------------------------------------------------------------


def _offer(db: Session, name: EventName, review_id: int, when: datetime, value: float,
           remedy: str | None = None) -> None:  # fmt: skip
    actor = {"actor": Actor.SYSTEM} if name == N.REVIEW_OFFER_DRAFTED else {
        "actor": Actor.AGENT, "agent": "小美"}  # fmt: skip
    ev(db, name, review_id, when, cause=ReviewCause.LOGISTICS, product_id="P-A", value=value,
       payload={"remedy": remedy} if remedy else {}, **actor)  # fmt: skip


def test_compensation_per_remedy_with_the_money_accepted_against_the_budget(db):
    _offer(db, N.REVIEW_OFFER_DRAFTED, 1, at(WEEK1), 10, "reship")
    _offer(db, N.REVIEW_OFFER_APPROVED, 1, at(WEEK1, 13), 10)  # the remedy of its draft
    _offer(db, N.REVIEW_OFFER_ACCEPTED, 1, at(WEEK1, 14), 10)
    _offer(db, N.REVIEW_OFFER_DRAFTED, 2, at(WEEK1), 5, "coupon")
    _offer(db, N.REVIEW_OFFER_ACCEPTED, 2, at(WEEK1, 14), 5, "coupon")
    _offer(db, N.REVIEW_OFFER_DRAFTED, 3, at(WEEK1), 5, "coupon")  # drafted only

    table = run(db, "compensation", two_weeks())

    rows = by_key(table.rows, "remedy")
    assert (rows["reship"]["offers"], rows["reship"]["approved"]) == (1, 1)
    assert (rows["reship"]["accepted"], rows["reship"]["spent"]) == (1, Decimal("10.00"))
    assert (rows["coupon"]["offers"], rows["coupon"]["accepted"]) == (2, 1)
    assert rows["coupon"]["acceptance_rate"] == 0.5
    budget = load_compensation_policy().caps.shop_day * 14
    assert table.totals["spent"] == Decimal("15.00")
    assert table.totals["budget"] == budget
    assert table.totals["budget_used"] == round(15 / float(budget), 4)


def test_alerts_sent_and_failed_per_channel(db):
    for n in range(3):
        ev(db, N.ALERT_SENT, n, at(WEEK1), cause=ChannelKind.WECOM, value=10 * (n + 1))
    ev(db, N.ALERT_FAILED, 9, at(WEEK1), cause=ChannelKind.WECOM)
    ev(db, N.ALERT_FAILED, 9, at(WEEK1), cause=ChannelKind.EMAIL)

    rows = by_key(run(db, "alerts", two_weeks()).rows, "channel")

    assert (rows["wecom"]["sent"], rows["wecom"]["failed"]) == (3, 1)
    assert (rows["wecom"]["failure_rate"], rows["wecom"]["mean_delay"]) == (0.25, 20.0)
    assert (rows["email"]["sent"], rows["email"]["failure_rate"]) == (0, 1.0)


def test_recurring_items_open_in_the_range_with_how_long_they_stayed_open(db):
    def item(number: int, opened: datetime, closed: datetime | None, complaints: int) -> None:
        first = {"sub_cause": "product.defect", "complaints": 3}
        ev(db, N.QUEUE_ITEM_OPENED, number, opened, cause=ReviewCause.PRODUCT, product_id="P-A",
           actor=Actor.SYSTEM, payload=first)  # fmt: skip
        ev(db, N.QUEUE_ITEM_UPDATED, number, opened + timedelta(hours=1),
           cause=ReviewCause.PRODUCT, actor=Actor.SYSTEM,
           payload={"complaints": complaints})  # fmt: skip
        if closed is not None:
            ev(db, N.QUEUE_ITEM_CLOSED, number, closed, cause=ReviewCause.PRODUCT,
               actor=Actor.AGENT, agent="老陈", payload={"complaints": complaints})  # fmt: skip

    item(1, at(WEEK1 - timedelta(days=3)), at(WEEK1 + timedelta(days=1)), 5)  # 4 days
    item(2, at(WEEK2), at(WEEK2 + timedelta(days=2)), 4)  # 2 days
    item(3, at(WEEK1 - timedelta(days=9)), at(WEEK1 - timedelta(days=2)), 9)  # closed before
    item(4, at(WEEK2 + timedelta(days=6)), None, 3)  # still open at the range's end: 12 hours

    table = run(db, "recurring", two_weeks())

    rows = {r["drill"]["queue_item"]: r for r in table.rows}
    assert set(rows) == {"1", "2", "4"}
    assert rows["1"]["open_for"] == 4 * 86400
    assert rows["1"]["complaints"] == 5
    assert rows["1"]["opened"] == WEEK1 - timedelta(days=3)
    assert rows["4"]["closed"] is None
    assert rows["4"]["open_for"] == 12 * 3600
    assert table.totals["open_for"] == 2 * 86400  # the median


# --- filters, drill-down, excerpts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"start": date(2024, 3, 10), "end": date(2024, 3, 9)}, FilterProblem.TO_BEFORE_FROM),
        ({"start": date(2022, 1, 1), "end": date(2024, 1, 2)}, FilterProblem.TOO_LONG),
        ({"start": date(1, 1, 1), "end": date(1, 1, 2)}, FilterProblem.BAD_DATE),
        ({"drill": {"week": "2024-03-05"}}, FilterProblem.BAD_WEEK),
        ({"drill": {"day": "yesterday"}}, FilterProblem.BAD_DATE),
        ({"drill": {"queue_item": "x"}}, FilterProblem.BAD_DRILL),
        ({"drill": {"colour": "red"}}, FilterProblem.BAD_DRILL),
    ],
)
def test_a_filter_that_cannot_be_used_is_refused_with_its_problem(given, problem):
    with pytest.raises(FilterError) as refused:
        make_filter(TODAY, **given)
    assert refused.value.problem == problem


def test_the_default_range_is_the_twelve_weeks_ending_today():
    f = make_filter(TODAY)
    assert (f.start, f.end) == (date(2024, 1, 8), TODAY)
    assert (f.end - f.start).days + 1 == 84


def test_the_items_behind_a_number_are_exactly_those_of_its_row(db):
    review(db, 1, at(WEEK1), ReviewCause.PRODUCT)
    review(db, 2, at(WEEK2), ReviewCause.PRODUCT)
    review(db, 3, at(WEEK2), None)  # not a complaint
    ev(db, N.CASE_OPENED, 31, at(WEEK2), order_no="O31", carrier="顺丰", cause=CaseKind.LOST,
       conversation_id="talk-31")  # fmt: skip
    ev(db, N.CONVERSATION_HANDED_OFF, "talk-9", at(WEEK2, 13), conversation_id="talk-9",
       cause=EscalationReason.COMPLAINT)  # fmt: skip

    second = run(db, "complaints", two_weeks()).rows[1]
    found, total = items(db, "complaints", two_weeks(drill=second["drill"]))

    assert total == second["complaints"] == 3
    assert [(i.kind, i.id) for i in found] == [  # newest first
        ("conversation", "talk-9"),
        ("case", "31"),
        ("review", "2"),
    ]
    links = {i.kind: i.link for i in found}
    assert links == {
        "conversation": "/desk/conversations/talk-9",
        "review": "/desk/reviews/2",
        "case": "/desk/conversations/talk-31",
    }
    page, total = items(db, "complaints", two_weeks(drill=second["drill"]), limit=1, offset=2)
    assert total == 3
    assert len(page) == 1


def test_a_drill_on_an_unknown_value_finds_the_events_without_it(db):
    review(db, 1, at(WEEK1), ReviewCause.PRODUCT, sub_cause="product.defect")
    review(db, 2, at(WEEK1), ReviewCause.PRODUCT)

    found, total = items(db, "causes", two_weeks(drill={"cause": "product", "sub_cause": ""}))

    assert total == 1
    assert found[0].id == "2"


def test_an_item_excerpt_masks_personal_data_and_is_at_most_120_characters(db):
    text = "快递员态度很差，我的电话13812345678打了三次都不接，收件人王小明，" + "太失望了" * 40
    stored = Review(platform="taobao", platform_review_id="rep-1", text=text, rating=1)
    db.add(stored)
    db.flush()
    review(db, stored.id, at(WEEK1), ReviewCause.LOGISTICS)

    (item,), _ = items(db, "causes", two_weeks())

    assert "13812345678" not in item.excerpt
    assert "5678" not in item.excerpt
    assert len(item.excerpt) <= 120
    assert item.excerpt.endswith("…")
    assert excerpt("<img src=x onerror=alert(1)>") == "<img src=x onerror=alert(1)>"  # text


def test_every_report_answers_on_the_seeded_demo_database(db):
    f = make_filter(date.today())
    for name in REPORTS:
        table = run(db, name, f)
        assert table.name == name
        assert table.generated_in_ms >= 0
        assert all({c.key for c in table.columns} <= set(r) for r in table.rows)


def test_an_alert_that_failed_and_was_revived_and_sent_counts_as_sent_only(db):
    ev(db, N.ALERT_FAILED, 7, at(WEEK1), cause=ChannelKind.FEISHU)
    ev(db, N.ALERT_SENT, 7, at(WEEK1) + timedelta(hours=1), cause=ChannelKind.FEISHU, value=3600)
    ev(db, N.ALERT_FAILED, 8, at(WEEK1), cause=ChannelKind.FEISHU)  # never delivered

    row = by_key(run(db, "alerts", two_weeks()).rows, "channel")["feishu"]

    assert (row["sent"], row["failed"], row["failure_rate"]) == (1, 1, 0.5)
