"""The demo shop's generated past: deterministic, consistent with its events, shaped like a
shop's, and free of personal data."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from conversations.desk import resolve_idle
from conversations.models import Conversation, EscalationReason, Message, Sender
from core.clock import SHOP_TZ, utcnow
from core.events import EVENT_SPECS, Actor, Event, EventName, ValueUnit
from recurring.models import RecurringIssue
from reviews.alert_channels import ChannelKind
from reviews.causes import ReviewCause
from reviews.models import Review, ReviewAnalysis
from shop.demo.history import MODEL_VERSION, Seeded, seed_history
from shop.demo.history_plan import Planner, peak_factor
from shop.models import AfterSaleKind, CaseKind, Customer, Order

WEEKS, SCALE = 3, 0.4  # small: each test seeds its own, rolled back
VOCABULARIES: dict[str, type[StrEnum]] = {
    "ReviewCause": ReviewCause,
    "CaseKind": CaseKind,
    "EscalationReason": EscalationReason,
    "ChannelKind": ChannelKind,
    "AfterSaleKind": AfterSaleKind,
}


@pytest.fixture
def seeded(db: Session) -> tuple[Session, Seeded, datetime]:
    now = utcnow()
    return db, seed_history(db, now, weeks=WEEKS, scale=SCALE), now


def _history_events(session: Session, since: datetime) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.occurred_at >= since)))


def _plan_summary(now: datetime) -> list[tuple[object, ...]]:
    planner = Planner(now - timedelta(weeks=WEEKS), now, SCALE)
    return [
        (o.order_no, o.sku, o.total, o.carrier, o.province, o.placed_at, o.delivered_at)
        for day in planner.days()
        for o in day.orders
    ] + [(r.key, r.text, r.rating, tuple(r.sub_causes)) for d in planner.days() for r in d.reviews]


def test_the_same_moment_plans_the_same_history_and_another_seed_a_different_one() -> None:
    now = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    assert _plan_summary(now) == _plan_summary(now)
    other = Planner(now - timedelta(weeks=WEEKS), now, SCALE, seed=7)
    first = next(o for d in other.days() for o in d.orders)
    assert first.order_no != _plan_summary(now)[0][0]


def test_seeding_the_history_writes_what_it_counts_and_a_second_time_nothing(
    seeded: tuple[Session, Seeded, datetime],
) -> None:
    session, done, now = seeded
    assert (done.orders, done.reviews, done.negative) > (300, 100, 3)
    assert min(done.conversations, done.events // 20) > 100
    history = select(func.count()).select_from(Order).join(Customer).where(Customer.code.like("H%"))
    assert session.scalar(history) == done.orders
    stored = select(func.count()).select_from(ReviewAnalysis)
    assert session.scalar(stored.where(ReviewAnalysis.model_version == MODEL_VERSION)) == (
        done.reviews
    )
    assert seed_history(session, now, weeks=WEEKS, scale=SCALE) == Seeded()
    assert session.scalar(history) == done.orders


def test_every_negative_review_has_its_flagged_event_with_its_causes_and_alerts(
    seeded: tuple[Session, Seeded, datetime],
) -> None:
    session, done, _now = seeded
    negative = session.execute(
        select(Review, ReviewAnalysis)
        .join(ReviewAnalysis)
        .where(ReviewAnalysis.model_version == MODEL_VERSION, ReviewAnalysis.negative)
    ).all()
    assert len(negative) == done.negative
    flagged = {
        e.subject_id: e
        for e in session.scalars(
            select(Event).where(Event.name == EventName.REVIEW_FLAGGED_NEGATIVE)
        )
    }
    alerts = Counter(
        session.scalars(
            select(Event.subject_id).where(
                Event.name.in_([EventName.ALERT_SENT, EventName.ALERT_FAILED])
            )
        )
    )
    for review, analysis in negative:
        event = flagged[str(review.id)]
        assert event.cause == analysis.causes[0]
        assert event.sub_cause == analysis.sub_causes[0]
        assert event.payload["sub_causes"] == analysis.sub_causes
        assert (event.product_id, event.sku, event.order_no) == (
            review.product_id,
            review.sku,
            review.order_id,
        )
        assert None not in (event.region, event.carrier)
        assert alerts[str(review.id)] == 2  # one per channel, sent or failed
    received = select(func.count()).where(Event.name == EventName.REVIEW_RECEIVED)
    assert (session.scalar(received.where(Event.sku.is_not(None))) or 0) >= done.reviews


def test_each_conversation_is_resolved_once_and_the_bot_only_where_no_agent_wrote(
    seeded: tuple[Session, Seeded, datetime],
) -> None:
    session, _done, now = seeded
    ids = set(session.scalars(select(Conversation.id).where(Conversation.id.like("h%"))))
    resolved = list(
        session.scalars(select(Event).where(Event.name == EventName.CONVERSATION_RESOLVED))
    )
    by_conversation = Counter(e.conversation_id for e in resolved if e.conversation_id in ids)
    assert max(by_conversation.values(), default=0) == 1
    agent_wrote = set(
        session.scalars(select(Message.conversation_id).where(Message.sender == Sender.AGENT))
    )
    for event in resolved:
        if event.conversation_id not in ids:
            continue
        assert (event.actor == Actor.BOT) == (event.conversation_id not in agent_wrote)
        assert (event.value or 0) > 0
        assert event.occurred_at <= now
    taken = {
        e.conversation_id
        for e in session.scalars(select(Event).where(Event.name == EventName.CONVERSATION_TAKEN))
    }
    handed = {
        e.conversation_id
        for e in session.scalars(
            select(Event).where(Event.name == EventName.CONVERSATION_HANDED_OFF)
        )
    }
    assert taken & ids
    assert taken & ids <= handed


def test_no_event_of_the_history_breaks_its_spec(
    seeded: tuple[Session, Seeded, datetime],
) -> None:
    session, done, now = seeded
    events = _history_events(session, now - timedelta(weeks=WEEKS, days=1))
    assert len(events) >= done.events
    for event in events:
        spec = EVENT_SPECS[EventName(event.name)]
        for dimension in spec.required:
            assert getattr(event, dimension) is not None, (event.name, dimension)
        if spec.cause is not None and event.cause is not None:
            VOCABULARIES[spec.cause](event.cause)  # a word outside the vocabulary: ValueError
        if spec.unit == ValueUnit.NONE:
            assert event.value is None, event.name
        assert (event.actor == Actor.AGENT) == (event.agent is not None), event.name
        assert event.occurred_at <= now, (event.name, event.occurred_at - now)


@pytest.mark.parametrize("minute", range(0, 24 * 60, 37))
def test_a_review_written_just_before_now_is_not_planned_until_imported_and_handled(
    minute: int,
) -> None:
    now = datetime(2026, 12, 5, tzinfo=UTC) + timedelta(minutes=minute)
    planner = Planner(now - timedelta(weeks=WEEKS), now, SCALE)
    for day in (now - timedelta(days=d) for d in range(10)):
        for review in planner.day(day.astimezone(SHOP_TZ).date()).reviews:
            assert review.at < review.received_at <= now
            assert all(sent_at <= now for _channel, sent_at, _sent in review.alerts)
            if review.offer is not None:
                assert review.offer.drafted_at <= now


def test_a_history_ending_just_after_a_chat_began_holds_nothing_of_it_after_its_end() -> None:
    whole_day = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    day = (whole_day - timedelta(days=1)).astimezone(SHOP_TZ).date()
    cut_short = 0
    chats = Planner(whole_day - timedelta(weeks=WEEKS), whole_day, SCALE).day(day).conversations
    for chat in chats:
        end = chat.lines[0].at + timedelta(milliseconds=500)
        planner = Planner(end - timedelta(weeks=WEEKS), end, SCALE)
        for again in (c for c in planner.day(day).conversations if c.id == chat.id):
            cut_short += len(again.lines) < len(chat.lines)
            assert all(line.at <= end for line in again.lines), chat.id
            assert again.case is None or again.case.opened_at <= end
            assert again.handoff is None or again.handoff[0] <= end
    assert cut_short > 0


def test_generated_reviews_and_chats_hold_no_personal_data(
    seeded: tuple[Session, Seeded, datetime],
) -> None:
    session, _done, _now = seeded
    names = set(session.scalars(select(Customer.name).where(Customer.code.like("H%"))))
    texts = list(
        session.scalars(
            select(Review.text)
            .join(ReviewAnalysis)
            .where(ReviewAnalysis.model_version == MODEL_VERSION)
        )
    )
    texts += session.scalars(select(Message.text).where(Message.conversation_id.like("h%")))
    assert texts
    assert names
    for text in texts:
        assert not re.search(r"\d{7,}", text), text  # no phone or order numbers
        assert not any(name in text for name in names if len(name) >= 2), text
        assert not re.search(r"省|号楼|\d+室", text), text  # no addresses


def test_the_queue_items_open_and_close_in_the_past_as_the_complaints_came(
    db: Session,
) -> None:
    now = utcnow()
    done = seed_history(db, now, weeks=6, scale=0.6)
    assert done.queue_items > 0
    items = list(db.scalars(select(RecurringIssue).where(RecurringIssue.opened_at < now)))
    assert len(items) >= done.queue_items
    assert any(i.closed_at is not None and i.closed_at < now for i in items)
    opened = db.scalar(
        select(func.min(Event.occurred_at)).where(Event.name == EventName.QUEUE_ITEM_OPENED)
    )
    assert opened is not None
    assert opened < now - timedelta(days=7)


def test_the_history_has_a_festival_peak_a_bad_batch_and_a_slow_carrier() -> None:
    now = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    planner = Planner(now - timedelta(weeks=12), now, 1.0)
    days = list(planner.days())
    per_day = {d.day: len(d.orders) for d in days}
    ordinary = sorted(per_day.values())[len(per_day) // 2]
    assert per_day[datetime(2026, 11, 11).date()] > 2.5 * ordinary
    episode = planner.shape.quality[0]
    complaints = Counter(
        "during" if r.at < episode.fixed else "after"
        for d in days
        for r in d.reviews
        if r.order.item.code == episode.product
        and episode.sub_cause in r.sub_causes
        and r.at >= episode.start
    )
    assert complaints["during"] >= 5 * max(1, complaints["after"])
    slow = planner.shape.slow[0]
    lane = [
        o
        for d in days
        for o in d.orders
        if (o.carrier, o.province) == (slow.carrier, slow.province) and o.delivered_at
    ]
    during = [o.late_days for o in lane if o.shipped_at and slow.start <= o.shipped_at < slow.end]
    before = [o.late_days for o in lane if o.shipped_at and o.shipped_at < slow.start]
    assert len(during) > 20
    assert sum(during) / len(during) > sum(before) / len(before) + 1.5
    plain = {day: n for day, n in list(per_day.items())[1:-1] if peak_factor(day) == 1.0}
    weekend = [n for day, n in plain.items() if day.weekday() >= 5]
    weekdays = [n for day, n in plain.items() if day.weekday() < 5]
    assert sum(weekend) / len(weekend) > sum(weekdays) / len(weekdays)
    evening = Counter(o.placed_at.astimezone(SHOP_TZ).hour for d in days for o in d.orders)
    assert evening[21] > 3 * evening[4]


def test_the_desks_idle_job_never_resolves_a_history_conversation_a_second_time(
    seeded: tuple[Session, Seeded, datetime],
) -> None:
    session, _done, now = seeded
    resolve_idle(session, now + timedelta(days=2))
    resolved = session.scalars(
        select(Event.conversation_id).where(Event.name == EventName.CONVERSATION_RESOLVED)
    )
    counts = Counter(c for c in resolved if c and c.startswith("h"))
    assert counts
    assert max(counts.values()) == 1
