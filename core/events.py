"""The append-only log of named events that reports are built from.

Every package records what happens (an order placed, a message received, a case opened) as an
`Event`; rows are only ever inserted. Reports read events, never live state.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.clock import utcnow
from core.database import Base, UTCDateTime


class AppendOnly:
    """Marker for tables whose rows are only ever inserted (events, audit trails)."""


class Event(AppendOnly, Base):
    """One thing that happened, named `<subject>.<verb>` (e.g. `order.shipped`)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, default=utcnow)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a row of an append-only table."""


@event.listens_for(Session, "before_flush")
def _forbid_append_only_changes(session: Session, _context: object, _instances: object) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AppendOnly) and (obj in session.deleted or session.is_modified(obj)):
            table = type(obj).__tablename__
            raise AppendOnlyError(f"{table} is append-only; refused to change row {obj.id}")


def record_event(
    session: Session,
    name: str,
    subject_type: str,
    subject_id: str | int,
    payload: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> Event:
    """Add an event to `session` (committed with the caller's transaction)."""
    row = Event(
        name=name,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=payload or {},
        occurred_at=occurred_at or utcnow(),
    )
    session.add(row)
    return row
