"""Recurring complaints become queue items: the consumer of the events table, the items' life
(acknowledge, assign, close) and what an item shows (count, trend, evidence, links).

The consumer (`consume`) reads the events after its cursor in id order, turns the complaint
events into complaints (recurring.complaints) and counts them toward their key's open item, or
opens one when the key's complaints cross the policy's threshold within its window; the cursor
moves in the same transaction, so each event counts once. One consumer runs at a time
(`one_at_a_time`); one open item per key is the database's guarantee (`open_key` is unique).

Ids are handed out before commit, so on PostgreSQL an event can become visible after a later
one: an id the cursor passed without seeing is kept as a hole and looked for again on every run
until it appears or HOLE_TTL has passed (a rolled-back insert leaves a hole for ever).

Every change of an item is an event (`queue_item.*`) and, when the queue sink is configured,
an outbox row for that version of the item, in the same transaction.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import String, event, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import outbox
from core.clock import to_shop_time, utcnow
from core.database import one_at_a_time, unit_of_work
from core.events import Actor, Event, EventName, record_event
from core.outbox import Topic, Work
from core.settings import get_settings
from recurring.complaints import COMPLAINT_EVENTS, Complaint, complaints_of
from recurring.models import (
    ASSIGNEE_LENGTH,
    NOTE_LENGTH,
    ComplaintSource,
    ItemState,
    Queue,
    RecurringComplaint,
    RecurringCursor,
    RecurringIssue,
)
from recurring.policy import RecurringPolicy, load_recurring_policy
from reviews.causes import ReviewCause

CURSOR = "recurring"  # the consumer's cursor, and the name of its one-at-a-time lock
BATCH_SIZE = 500  # events read per transaction
HOLE_TTL = timedelta(minutes=10)  # longer than any transaction that records events
MAX_HOLES = 10_000
SAMPLES = 3  # evidence excerpts an item shows
LINKS_SHOWN = 100  # reviews, cases, conversations and orders an item links, newest first
SINK = "queue_sink"  # the outbox destination of the queue sink
_COMPLAINT_NAMES = frozenset(name.value for name in COMPLAINT_EVENTS)
_IN_CHUNK = 500  # ids per IN (…) list


class ItemAction(StrEnum):
    """What happened to an item (its event, and the sink payload's `action`)."""

    OPENED = "opened"
    UPDATED = "updated"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    CLOSED = "closed"


EVENT_OF = {
    ItemAction.OPENED: EventName.QUEUE_ITEM_OPENED,
    ItemAction.UPDATED: EventName.QUEUE_ITEM_UPDATED,
    ItemAction.ACKNOWLEDGED: EventName.QUEUE_ITEM_ACKNOWLEDGED,
    ItemAction.ASSIGNED: EventName.QUEUE_ITEM_ASSIGNED,
    ItemAction.CLOSED: EventName.QUEUE_ITEM_CLOSED,
}
# The states an action may start from.
ALLOWED_FROM = {
    ItemAction.ACKNOWLEDGED: {ItemState.OPEN},
    ItemAction.ASSIGNED: {ItemState.OPEN, ItemState.ACKNOWLEDGED, ItemState.ASSIGNED},
    ItemAction.CLOSED: {ItemState.OPEN, ItemState.ACKNOWLEDGED, ItemState.ASSIGNED},
}


class NoSuchItemError(LookupError):
    """No queue item has that id."""


class IllegalTransitionError(ValueError):
    """The item's state does not allow the action (closing a closed item)."""

    def __init__(self, item: RecurringIssue, action: ItemAction, why: str | None = None) -> None:
        super().__init__(why or f"item {item.id} is {item.state.value}: it cannot be {action}")
        self.state = item.state
        self.action = action


# --- waking the consumer after a commit that recorded complaint events ----------------------

Waker = Callable[[], None]
_wakers: list[Waker] = []
_RECORDED = "recurring.complaint_events"  # session.info key: this transaction recorded some


def on_commit(waker: Waker) -> None:
    """Call `waker` after each commit that recorded a complaint event (the job runner registers
    one that queues the consumer; its periodic run catches whatever no wake announced)."""
    if waker not in _wakers:
        _wakers.append(waker)


@event.listens_for(Session, "before_flush")
def _note_complaint_events(session: Session, _context: object, _instances: object) -> None:
    if _RECORDED not in session.info and any(
        isinstance(o, Event) and o.name in COMPLAINT_EVENTS for o in session.new
    ):
        session.info[_RECORDED] = True


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    if session.info.pop(_RECORDED, False):
        for waker in list(_wakers):
            waker()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_RECORDED, None)


# --- the consumer --------------------------------------------------------------------------


@dataclass(frozen=True)
class Consumed:
    """What one consumer transaction did."""

    events: int  # events read (of every kind)
    complaints: int  # new complaints counted
    opened: tuple[int, ...] = ()  # items opened
    updated: tuple[int, ...] = ()  # open items that gained complaints
    more: bool = False  # the batch was full: there may be more to read


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start : start + _IN_CHUNK]


def _names(session: Session, *where: Any, limit: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of events, the name as stored (an old, unregistered name must not fail)."""
    query = select(Event.id, type_coerce(Event.name, String)).where(*where).order_by(Event.id)
    if limit is not None:
        query = query.limit(limit)
    return [(int(i), str(n)) for i, n in session.execute(query)]


def consume(
    session: Session,
    now: datetime | None = None,
    policy: RecurringPolicy | None = None,
    batch_size: int = BATCH_SIZE,
) -> Consumed:
    """Read the next events after the cursor (and the holes that appeared), count their
    complaints, move the cursor: all in the caller's transaction."""
    one_at_a_time(session, CURSOR)
    now = now or utcnow()
    policy = policy or load_recurring_policy()
    cursor = session.get(RecurringCursor, CURSOR, populate_existing=True)
    if cursor is None:
        cursor = RecurringCursor(name=CURSOR, last_event_id=0, holes={}, updated_at=now)
        session.add(cursor)
    holes = {int(i): datetime.fromisoformat(seen) for i, seen in (cursor.holes or {}).items()}
    appeared = [
        found for chunk in _chunks(sorted(holes)) for found in _names(session, Event.id.in_(chunk))
    ]
    rows = _names(session, Event.id > cursor.last_event_id, limit=batch_size)
    clock = utcnow()  # holes age on the wall clock, whatever `now` the counting uses
    expected = cursor.last_event_id + 1
    for event_id, _name in rows:  # of a gap wider than MAX_HOLES ids, its last MAX_HOLES
        holes.update(dict.fromkeys(range(max(expected, event_id - MAX_HOLES), event_id), clock))
        expected = event_id + 1
    for event_id, _name in appeared:
        holes.pop(event_id, None)
    kept = sorted(i for i, seen in holes.items() if clock - seen < HOLE_TTL)[-MAX_HOLES:]
    wanted = sorted(i for i, name in (*appeared, *rows) if name in _COMPLAINT_NAMES)
    events = [
        found
        for chunk in _chunks(wanted)
        for found in session.scalars(select(Event).where(Event.id.in_(chunk)).order_by(Event.id))
    ]
    complaints = complaints_of(session, events)
    opened, updated, counted = _count(session, complaints, now, policy)
    if rows:
        cursor.last_event_id = rows[-1][0]
    cursor.holes = {str(i): holes[i].isoformat() for i in kept}
    cursor.updated_at = now
    session.flush()
    return Consumed(
        len(rows) + len(appeared), counted, opened, updated, more=len(rows) >= batch_size
    )


def consume_all(max_batches: int = 100, attempts: int = 3) -> list[Consumed]:
    """Read everything new, one transaction per batch (the job's work). A batch that lost a
    race with an admin's change of an item (a stale version) is read again."""
    done: list[Consumed] = []
    for _ in range(max_batches):
        for attempt in range(1, attempts + 1):
            try:
                with unit_of_work() as session:
                    result = consume(session)
                break
            except StaleDataError:
                if attempt == attempts:
                    raise
        done.append(result)
        if not result.more:
            break
    return done


def crosses(times: Sequence[datetime], moment: datetime, window: timedelta, threshold: int) -> bool:
    """Whether some span of `window` that holds `moment` holds `threshold` of the sorted
    `times` (`moment` among them)."""
    end = 0
    for start, first in enumerate(times):
        if first > moment:
            break
        while end < len(times) and times[end] <= first + window:
            end += 1
        if first + window >= moment and end - start >= threshold:
            return True
    return False


def _count(
    session: Session, complaints: Sequence[Complaint], now: datetime, policy: RecurringPolicy
) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """Store the new complaints and count them: toward their key's open item, or opening one.
    Returns (opened ids, updated ids, complaints stored); each changed item gets its event."""
    opened: dict[int, RecurringIssue] = {}
    grown: dict[int, tuple[RecurringIssue, int]] = {}
    stored = 0
    for complaint in complaints:
        key, source_id = complaint.key.text, complaint.source_id[:64]
        seen = session.scalar(
            select(RecurringComplaint.id).where(
                RecurringComplaint.source == complaint.source,
                RecurringComplaint.source_id == source_id,
                RecurringComplaint.key == key,
            )
        )
        if seen is not None:
            continue
        row = RecurringComplaint(
            queue=complaint.key.queue,
            key=key,
            source=complaint.source,
            source_id=source_id,
            event_id=complaint.event_id,
            conversation_id=complaint.conversation_id,
            order_no=complaint.order_no,
            occurred_at=complaint.occurred_at,
            excerpt=complaint.excerpt,
            recorded_at=now,
        )
        session.add(row)
        stored += 1
        item = session.scalar(select(RecurringIssue).where(RecurringIssue.open_key == key))
        if item is not None:
            row.item_id = item.id
            item.complaint_count += 1
            item.first_complaint_at = min(item.first_complaint_at, complaint.occurred_at)
            item.last_complaint_at = max(item.last_complaint_at, complaint.occurred_at)
            item.updated_at = now
            if item.id not in opened:
                grown[item.id] = (item, grown.get(item.id, (item, 0))[1] + 1)
            continue
        if complaint.occurred_at < now - policy.lookback:
            continue  # history: it counts in trends, it opens nothing
        new = _open_if_crossed(session, complaint, now, policy)
        if new is not None:
            opened[new.id] = new
    session.flush()  # the versions below are final
    for item in opened.values():
        _changed(session, item, ItemAction.OPENED, now)
    for item, added in grown.values():
        _changed(session, item, ItemAction.UPDATED, now, added=added)
    return tuple(opened), tuple(grown), stored


def _open_if_crossed(
    session: Session, complaint: Complaint, now: datetime, policy: RecurringPolicy
) -> RecurringIssue | None:
    """Open the key's item when its complaints not yet in an item cross the threshold within
    the window around this one; it takes those within one window of it."""
    rule = policy.queues[complaint.key.queue]
    moment, window = complaint.occurred_at, rule.window
    session.flush()
    loose = list(
        session.scalars(
            select(RecurringComplaint)
            .where(
                RecurringComplaint.key == complaint.key.text,
                RecurringComplaint.item_id.is_(None),
                RecurringComplaint.occurred_at >= moment - window,
                RecurringComplaint.occurred_at <= moment + window,
            )
            .order_by(RecurringComplaint.occurred_at, RecurringComplaint.id)
        )
    )
    if not crosses([c.occurred_at for c in loose], moment, window, rule.threshold):
        return None
    key = complaint.key
    item = RecurringIssue(
        queue=key.queue,
        cause=key.cause,
        product_id=key.product_id,
        carrier=key.carrier,
        region=key.region,
        key=key.text,
        open_key=key.text,
        state=ItemState.OPEN,
        complaint_count=len(loose),
        first_complaint_at=loose[0].occurred_at,
        last_complaint_at=loose[-1].occurred_at,
        opened_at=now,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    for row in loose:
        row.item_id = item.id
    return item


# --- an item's life ------------------------------------------------------------------------


def get_item(session: Session, item_id: int) -> RecurringIssue:
    item = session.get(RecurringIssue, item_id)
    if item is None:
        raise NoSuchItemError(f"no queue item {item_id}")
    return item


def _may(item: RecurringIssue, action: ItemAction) -> None:
    if item.state not in ALLOWED_FROM[action]:
        raise IllegalTransitionError(item, action)


def acknowledge(session: Session, item_id: int, by: str, now: datetime) -> RecurringIssue:
    """Someone has seen the item (only a new one can be acknowledged)."""
    item = get_item(session, item_id)
    _may(item, ItemAction.ACKNOWLEDGED)
    item.state, item.updated_at = ItemState.ACKNOWLEDGED, now
    session.flush()
    _changed(session, item, ItemAction.ACKNOWLEDGED, now, by=by)
    return item


def assign(session: Session, item_id: int, assignee: str, by: str, now: datetime) -> RecurringIssue:
    """Give the item to `assignee` (again to someone else: reassigned)."""
    assignee = assignee.strip()
    if not assignee or len(assignee) > ASSIGNEE_LENGTH:
        raise ValueError(f"the assignee is 1 to {ASSIGNEE_LENGTH} characters")
    item = get_item(session, item_id)
    _may(item, ItemAction.ASSIGNED)
    if item.state == ItemState.ASSIGNED and item.assignee == assignee:
        raise IllegalTransitionError(
            item, ItemAction.ASSIGNED, f"item {item.id} is already assigned to {assignee}"
        )
    previous = item.assignee
    item.state, item.assignee, item.updated_at = ItemState.ASSIGNED, assignee, now
    session.flush()
    _changed(session, item, ItemAction.ASSIGNED, now, by=by, previous_assignee=previous)
    return item


def close(
    session: Session, item_id: int, by: str, now: datetime, note: str | None = None
) -> RecurringIssue:
    """Done: the key's later complaints count toward a new item."""
    if note is not None and len(note) > NOTE_LENGTH:
        raise ValueError(f"the note is at most {NOTE_LENGTH} characters")
    item = get_item(session, item_id)
    _may(item, ItemAction.CLOSED)
    item.state, item.open_key, item.closed_at, item.updated_at = ItemState.CLOSED, None, now, now
    item.close_note = (note or "").strip() or None
    session.flush()
    _changed(session, item, ItemAction.CLOSED, now, by=by)
    return item


def _changed(
    session: Session,
    item: RecurringIssue,
    action: ItemAction,
    now: datetime,
    by: str | None = None,
    **extra: Any,
) -> None:
    """The item's event, and its new version for the queue sink (when there is one)."""
    record_event(
        session,
        EVENT_OF[action],
        item.id,
        occurred_at=now,
        cause=ReviewCause(item.queue.value),
        product_id=item.product_id,
        carrier=item.carrier,
        actor=Actor.SYSTEM if by is None else Actor.AGENT,
        agent=None if by is None else by[:64],
        payload={
            "sub_cause": item.cause,
            "region": item.region,
            "state": item.state.value,
            "assignee": item.assignee,
            "complaints": item.complaint_count,
            "version": item.version,
            **extra,
        },
    )
    if sink_on():
        (view,) = item_views(session, [item], now)
        payload = {"action": action.value, "by": by, "item": view.as_payload()}
        outbox.add(session, Topic.QUEUE_SINK, [Work(SINK, f"{item.id}:{item.version}", payload)])


def sink_on() -> bool:
    """Whether the queue sink is configured (QUEUE_SINK_URL)."""
    return bool(get_settings().queue_sink_url)


# --- what an item shows -------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    day: date  # the shop's local date
    count: int


@dataclass(frozen=True)
class Trend:
    """The key's complaints per day (oldest first) and in this window against the one before."""

    days: tuple[DayCount, ...]
    this_window: int
    previous_window: int

    @property
    def direction(self) -> str:
        if self.this_window > self.previous_window:
            return "rising"
        return "falling" if self.this_window < self.previous_window else "steady"


@dataclass(frozen=True)
class Sample:
    source: ComplaintSource
    source_id: str
    excerpt: str
    occurred_at: datetime


@dataclass(frozen=True)
class Links:
    """What the item's complaints came from, newest first (at most LINKS_SHOWN of each)."""

    review_ids: tuple[int, ...] = ()
    case_ids: tuple[int, ...] = ()
    conversation_ids: tuple[str, ...] = ()
    order_nos: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemView:
    id: int
    queue: Queue
    cause: str
    product_id: str | None
    carrier: str | None
    region: str | None
    state: ItemState
    assignee: str | None
    close_note: str | None
    complaint_count: int
    first_complaint_at: datetime
    last_complaint_at: datetime
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    version: int
    window_days: int
    trend: Trend
    samples: tuple[Sample, ...] = ()
    links: Links = field(default_factory=Links)

    def as_payload(self) -> dict[str, Any]:
        """The item as JSON (the queue sink's body)."""

        def when(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "id": self.id,
            "version": self.version,
            "queue": self.queue.value,
            "cause": self.cause,
            "product_id": self.product_id,
            "carrier": self.carrier,
            "region": self.region,
            "state": self.state.value,
            "assignee": self.assignee,
            "close_note": self.close_note,
            "complaint_count": self.complaint_count,
            "first_complaint_at": when(self.first_complaint_at),
            "last_complaint_at": when(self.last_complaint_at),
            "opened_at": when(self.opened_at),
            "updated_at": when(self.updated_at),
            "closed_at": when(self.closed_at),
            "trend": {
                "days": [{"day": d.day.isoformat(), "count": d.count} for d in self.trend.days],
                "window_days": self.window_days,
                "this_window": self.trend.this_window,
                "previous_window": self.trend.previous_window,
                "direction": self.trend.direction,
            },
            "samples": [
                {
                    "source": s.source.value,
                    "source_id": s.source_id,
                    "excerpt": s.excerpt,
                    "occurred_at": when(s.occurred_at),
                }
                for s in self.samples
            ],
            "links": {
                "review_ids": list(self.links.review_ids),
                "case_ids": list(self.links.case_ids),
                "conversation_ids": list(self.links.conversation_ids),
                "order_nos": list(self.links.order_nos),
            },
        }


def trend(times: Iterable[datetime], now: datetime, days: int, window: timedelta) -> Trend:
    """Per-day counts over the last `days` shop-local days (today included), and the count of
    the window that ends now against the window before it."""
    today = to_shop_time(now).date()
    per_day = dict.fromkeys((today - timedelta(days=n) for n in range(days - 1, -1, -1)), 0)
    this_window = previous_window = 0
    for moment in times:
        local = to_shop_time(moment).date()
        if local in per_day:
            per_day[local] += 1
        if moment > now - window:
            this_window += 1
        elif moment > now - 2 * window:
            previous_window += 1
    return Trend(tuple(DayCount(d, n) for d, n in per_day.items()), this_window, previous_window)


def _links(rows: Sequence[RecurringComplaint]) -> Links:
    def first(values: Iterable[Any]) -> tuple[Any, ...]:
        return tuple(dict.fromkeys(v for v in values if v is not None))[:LINKS_SHOWN]

    return Links(
        review_ids=first(int(r.source_id) for r in rows if r.source == ComplaintSource.REVIEW),
        case_ids=first(int(r.source_id) for r in rows if r.source == ComplaintSource.CASE),
        conversation_ids=first(r.conversation_id for r in rows),
        order_nos=first(r.order_no for r in rows),
    )


def _samples(rows: Sequence[RecurringComplaint]) -> tuple[Sample, ...]:
    """The newest excerpts, each said once."""
    seen: set[str] = set()
    found = []
    for row in rows:
        if row.excerpt and row.excerpt not in seen:
            seen.add(row.excerpt)
            found.append(Sample(row.source, row.source_id, row.excerpt, row.occurred_at))
        if len(found) == SAMPLES:
            break
    return tuple(found)


def item_views(
    session: Session,
    items: Sequence[RecurringIssue],
    now: datetime | None = None,
    policy: RecurringPolicy | None = None,
) -> list[ItemView]:
    """The items with their trend, evidence and links (two queries for all of them)."""
    if not items:
        return []
    now = now or utcnow()
    policy = policy or load_recurring_policy()
    ids = [item.id for item in items]
    complaints: dict[int, list[RecurringComplaint]] = {i: [] for i in ids}
    for row in session.scalars(
        select(RecurringComplaint)
        .where(RecurringComplaint.item_id.in_(ids))
        .order_by(RecurringComplaint.occurred_at.desc(), RecurringComplaint.id.desc())
    ):
        if row.item_id is not None:
            complaints[row.item_id].append(row)
    longest = max(policy.queues[item.queue].window for item in items)
    since = min(now - timedelta(days=policy.trend_days + 1), now - 2 * longest)
    times: dict[str, list[datetime]] = {item.key: [] for item in items}
    for key, moment in session.execute(
        select(RecurringComplaint.key, RecurringComplaint.occurred_at).where(
            RecurringComplaint.key.in_(list(times)), RecurringComplaint.occurred_at >= since
        )
    ):
        times[key].append(moment)
    views = []
    for item in items:
        rule = policy.queues[item.queue]
        rows = complaints[item.id]
        views.append(
            ItemView(
                id=item.id,
                queue=item.queue,
                cause=item.cause,
                product_id=item.product_id,
                carrier=item.carrier,
                region=item.region,
                state=item.state,
                assignee=item.assignee,
                close_note=item.close_note,
                complaint_count=item.complaint_count,
                first_complaint_at=item.first_complaint_at,
                last_complaint_at=item.last_complaint_at,
                opened_at=item.opened_at,
                updated_at=item.updated_at,
                closed_at=item.closed_at,
                version=item.version,
                window_days=rule.window_days,
                trend=trend(times[item.key], now, policy.trend_days, rule.window),
                samples=_samples(rows),
                links=_links(rows),
            )
        )
    return views


def items(
    session: Session, queue: Queue, state: ItemState | None = None, limit: int = 100
) -> list[RecurringIssue]:
    """A queue's items, the latest changed first: those not closed, or those in `state`."""
    query = select(RecurringIssue).where(RecurringIssue.queue == queue)
    if state is None:
        query = query.where(RecurringIssue.state != ItemState.CLOSED)
    else:
        query = query.where(RecurringIssue.state == state)
    query = query.order_by(RecurringIssue.updated_at.desc(), RecurringIssue.id.desc())
    return list(session.scalars(query.limit(limit)))
