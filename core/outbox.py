"""The transactional outbox: work that must happen exactly once, written beside its cause.

A row is added in the same transaction as what causes it (a review stored, a case opened), under
a unique key, so the work is neither lost (it commits with its cause) nor doubled (a second add
of the same key is a no-op). The job runner only ever *reads* work from here: a row is pending
until a delivery marks it sent, or dead after its last attempt. A periodic sweep re-enqueues
what no job finished (a worker killed mid-task leaves its rows "sending": they are released when
that worker is known dead, or after a lease longer than any delivery takes), so the outbox, not
the runner's queue, is the source of truth.

Every attempt is logged in `outbox_attempts` (append-only): when, how long, the outcome and the
receiver's own error code.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import (
    InstrumentedAttribute,
    Mapped,
    Session,
    mapped_column,
    relationship,
    selectinload,
)
from sqlalchemy.sql.elements import ColumnElement

from core.clock import utcnow
from core.database import Base, UTCDateTime, enum_column, unit_of_work
from core.events import AppendOnly

MAX_ERROR = 500  # characters of a receiver's error kept per attempt
MAX_ATTEMPTS = 8
FIRST_RETRY_S = 5.0  # then ×3 per attempt: 5 s, 15 s, 45 s, … about 3 h in all
MAX_RETRY_S = 3600.0


class Topic(StrEnum):
    """What a row's work is (one job kind per topic)."""

    REVIEW_ALERT = "review_alert"  # tell one alert channel about one negative review
    QUEUE_SINK = "queue_sink"  # recurring/: one version of a queue item to the queue sink


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting for its next attempt (next_attempt_at)
    SENDING = "sending"  # claimed by a job (claimed_at); back to pending after its lease
    SENT = "sent"
    DEAD = "dead"  # its last attempt failed, or a receiver refused it for good: admins see it


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed; tried again later
    DEAD = "dead"  # failed for the last time, or for good


class OutboxItem(Base):
    """One piece of work for one destination, unique by (topic, destination, subject_id)."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("topic", "destination", "subject_id"),
        Index("ix_outbox_state_destination_next", "state", "destination", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[Topic] = mapped_column(enum_column(Topic, 32))
    destination: Mapped[str] = mapped_column(String(64))  # e.g. the alert channel's name
    subject_id: Mapped[str] = mapped_column(String(64))  # e.g. the review's id
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[OutboxState] = mapped_column(
        enum_column(OutboxState, 16), default=OutboxState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))  # the worker: host:pid
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The message that carries it: set when claimed, so a row a dead worker may have sent is
    # sent again as that same message (the same id: a receiver can tell it is a repeat).
    message_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(MAX_ERROR))

    log: Mapped[list["OutboxAttempt"]] = relationship(
        order_by="OutboxAttempt.id", viewonly=True
    )  # every attempt, oldest first (load with `with_log` where many rows are shown)


class OutboxAttempt(AppendOnly, Base):
    """One delivery attempt of one message (which may carry several rows: a digest)."""

    __tablename__ = "outbox_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_s: Mapped[float] = mapped_column(Float)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, 16))
    error_code: Mapped[str | None] = mapped_column(String(32))  # e.g. WeCom's errcode
    error: Mapped[str | None] = mapped_column(String(MAX_ERROR))


# --- adding work, and waking the runner once it is committed -------------------------------

Waker = Callable[[set[tuple[Topic, str]]], None]
_wakers: list[Waker] = []
_ADDED = "outbox.added"  # session.info key: (topic, destination) pairs added in this transaction


def on_commit(waker: Waker) -> None:
    """Call `waker` with the (topic, destination) pairs that gained rows, after each commit
    that added some (the job runner registers one that enqueues their jobs)."""
    if waker not in _wakers:
        _wakers.append(waker)


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    added: set[tuple[Topic, str]] = session.info.pop(_ADDED, set())
    if added:
        for waker in _wakers:
            waker(added)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_ADDED, None)


@dataclass(frozen=True)
class Work:
    """One piece of work to add: for which destination, about which subject, with what."""

    destination: str
    subject_id: str
    payload: dict[str, Any]


def add(session: Session, topic: Topic, work: Sequence[Work]) -> list[OutboxItem]:
    """Add the work, except what is already there under the same (topic, destination,
    subject): that is skipped, so adding twice never does the work twice."""
    if not work:
        return []
    subjects = {w.subject_id for w in work}
    rows = session.execute(
        select(OutboxItem.destination, OutboxItem.subject_id).where(
            OutboxItem.topic == topic, OutboxItem.subject_id.in_(subjects)
        )
    )
    existing = {(destination, subject) for destination, subject in rows}
    added = []
    for w in work:
        if (w.destination, w.subject_id) in existing:
            continue
        existing.add((w.destination, w.subject_id))
        added.append(
            OutboxItem(
                topic=topic, destination=w.destination, subject_id=w.subject_id, payload=w.payload
            )
        )
    session.add_all(added)
    session.info.setdefault(_ADDED, set()).update((topic, i.destination) for i in added)
    return added


# --- claiming and finishing work (one job at a time per destination) ------------------------


def claim(
    session: Session,
    topic: Topic,
    destination: str,
    now: datetime,
    limit: int,
    worker: str,
    message_id: str,
) -> list[OutboxItem]:
    """The due pending rows of a destination, oldest first, marked sending as one message
    (commit before delivering, so a crash leaves them to the sweep).

    The message is `message_id`, unless the oldest due rows were left by a dead worker in the
    middle of a message: then exactly those rows are claimed again, under their message's id.
    Two workers never claim the same row: the update takes only rows still pending when it
    runs (under SQLite's write lock, or PostgreSQL's row locks), and says which it took.
    """
    due_rows = (
        OutboxItem.topic == topic,
        OutboxItem.destination == destination,
        OutboxItem.state == OutboxState.PENDING,
        OutboxItem.next_attempt_at <= now,
    )
    oldest = session.scalar(
        select(OutboxItem.message_id).where(*due_rows).order_by(OutboxItem.id).limit(1)
    )
    due = select(OutboxItem.id).where(*due_rows).order_by(OutboxItem.id).limit(limit)
    if oldest is not None:  # a message that may have reached the receiver: the same again
        message_id = oldest
        due = due.where(OutboxItem.message_id == oldest)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    candidates = list(session.scalars(due))
    if not candidates:
        return []
    taken = session.scalars(
        update(OutboxItem)
        .where(OutboxItem.id.in_(candidates), OutboxItem.state == OutboxState.PENDING)
        .values(
            state=OutboxState.SENDING,
            claimed_at=now,
            claimed_by=worker[:100],
            attempts=OutboxItem.attempts + 1,
            message_id=message_id,
        )
        .returning(OutboxItem.id)
        .execution_options(synchronize_session=False)
    ).all()
    return list(
        session.scalars(
            select(OutboxItem)
            .where(OutboxItem.id.in_(taken))
            .order_by(OutboxItem.id)
            .execution_options(populate_existing=True)
        )
    )


def release(session: Session, items: Sequence[OutboxItem]) -> None:
    """Give claimed rows back, untried (they did not fit in this message)."""
    for item in items:
        item.state, item.claimed_at, item.claimed_by = OutboxState.PENDING, None, None
        item.attempts, item.message_id = item.attempts - 1, None
    session.flush()


@dataclass(frozen=True)
class Delivery:
    """What one attempt to deliver one message gave."""

    message_id: str
    duration_s: float
    error: str | None = None  # None: delivered
    error_code: str | None = None
    permanent: bool = False  # the receiver refused it for good (bad key, bad request)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the `attempts`-th failure: 5 s, 15 s, 45 s, … (≤ 1 h)."""
    return timedelta(seconds=min(FIRST_RETRY_S * 3 ** (attempts - 1), MAX_RETRY_S))


def finish(
    session: Session, items: Sequence[OutboxItem], delivery: Delivery, now: datetime
) -> Outcome:
    """Record the attempt for each row and move the rows on: sent, back to pending with
    back-off, or dead."""
    outcome = Outcome.SENT
    for item in items:
        if delivery.error is None:
            item.state, item.sent_at, item.last_error = OutboxState.SENT, now, None
            outcome = Outcome.SENT
        elif delivery.permanent or item.attempts >= MAX_ATTEMPTS:
            item.state, item.last_error = OutboxState.DEAD, delivery.error[:MAX_ERROR]
            outcome = Outcome.DEAD
        else:
            item.state, item.last_error = OutboxState.PENDING, delivery.error[:MAX_ERROR]
            item.next_attempt_at = now + retry_delay(item.attempts)
            item.message_id = None  # the receiver refused it: the next try is a new message
            outcome = Outcome.RETRY
        item.claimed_at = item.claimed_by = None
        session.add(
            OutboxAttempt(
                item_id=item.id,
                message_id=delivery.message_id,
                attempted_at=now,
                duration_s=round(delivery.duration_s, 4),
                outcome=outcome,
                error_code=(delivery.error_code or "")[:32] or None,
                error=None if delivery.error is None else delivery.error[:MAX_ERROR],
            )
        )
    session.flush()
    return outcome


# --- the sweep, and what admins see and do ---------------------------------------------------


def _same(column: InstrumentedAttribute[Any], value: object) -> ColumnElement[bool]:
    """`column` holds `value` (IS NULL for None)."""
    return column.is_(None) if value is None else column == value


def sweep(
    session: Session, now: datetime, lease: timedelta, gone: Callable[[str], bool]
) -> set[tuple[Topic, str]]:
    """Release the rows a dead worker left sending: those whose worker is `gone` (known dead),
    and those claimed longer than `lease` ago (a worker on another machine that never came
    back); return the (topic, destination) pairs with due rows, for the runner to enqueue."""
    sending = session.execute(
        select(OutboxItem.id, OutboxItem.claimed_by, OutboxItem.claimed_at).where(
            OutboxItem.state == OutboxState.SENDING
        )
    ).all()
    stuck = [
        (item_id, claimed_by, claimed_at)
        for item_id, claimed_by, claimed_at in sending
        if claimed_at is None or claimed_at < now - lease or gone(claimed_by or "")
    ]
    for item_id, claimed_by, claimed_at in stuck:  # only the claim read: not one made since
        session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id == item_id,
                OutboxItem.state == OutboxState.SENDING,
                _same(OutboxItem.claimed_by, claimed_by),
                _same(OutboxItem.claimed_at, claimed_at),
            )
            .values(state=OutboxState.PENDING, claimed_at=None, claimed_by=None)
        )  # their message_id stays: they are sent again as that message
    due = session.execute(
        select(OutboxItem.topic, OutboxItem.destination)
        .where(OutboxItem.state == OutboxState.PENDING, OutboxItem.next_attempt_at <= now)
        .distinct()
    ).all()
    return {(topic, destination) for topic, destination in due}


def next_due(session: Session, topic: Topic, destination: str) -> datetime | None:
    """When the destination's next pending row is due (None: nothing pending)."""
    return session.scalar(
        select(OutboxItem.next_attempt_at)
        .where(
            OutboxItem.topic == topic,
            OutboxItem.destination == destination,
            OutboxItem.state == OutboxState.PENDING,
        )
        .order_by(OutboxItem.next_attempt_at)
        .limit(1)
    )


def with_log() -> Any:
    """Load each row's delivery log in one query for all the rows (not one per row)."""
    return selectinload(OutboxItem.log)


def items(
    session: Session,
    state: OutboxState | None = None,
    destination: str | None = None,
    limit: int = 100,
) -> list[OutboxItem]:
    """Rows for admins, newest first."""
    query = select(OutboxItem).options(with_log()).order_by(OutboxItem.id.desc()).limit(limit)
    if state is not None:
        query = query.where(OutboxItem.state == state)
    if destination is not None:
        query = query.where(OutboxItem.destination == destination)
    return list(session.scalars(query))


def counts(session: Session, topic: Topic) -> dict[tuple[str, OutboxState], int]:
    """How many of the topic's rows each destination has in each state."""
    query = (
        select(OutboxItem.destination, OutboxItem.state, func.count())
        .where(OutboxItem.topic == topic)
        .group_by(OutboxItem.destination, OutboxItem.state)
    )
    return {(destination, state): n for destination, state, n in session.execute(query)}


def revive(session: Session, item_id: int, now: datetime) -> OutboxItem | None:
    """Give a dead row another round of attempts (an admin fixed the channel); None if there
    is no such row or it is not dead."""
    item = session.get(OutboxItem, item_id)
    if item is None or item.state != OutboxState.DEAD:
        return None
    item.state, item.attempts, item.next_attempt_at = OutboxState.PENDING, 0, now
    session.info.setdefault(_ADDED, set()).add((item.topic, item.destination))
    session.flush()
    return item


def refuse_due(topic: Topic, destination: str, worker: str, reason: str) -> None:
    """A destination that was switched off: its due rows go dead with `reason`, visible to
    admins (revived when it is on again)."""
    now = utcnow()
    message_id = f"{destination}-off"
    with unit_of_work() as session:
        rows = claim(session, topic, destination, now, 1000, worker, message_id)
        if rows:
            finish(session, rows, Delivery(message_id, 0.0, reason, permanent=True), now)
