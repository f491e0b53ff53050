"""Tables of recurring issues: the queue items, the complaints they count, the consumer's cursor."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.database import Base, UTCDateTime, enum_column

KEY_LENGTH = 200  # "logistics|logistics.slow|顺丰|浙江": at most 9+1+64+1+64 characters
EXCERPT_LENGTH = 200
ASSIGNEE_LENGTH = 64
NOTE_LENGTH = 500
REGION_LENGTH = 16


class Queue(StrEnum):
    """The team a recurring issue goes to (the review causes' names: reports group by them)."""

    PRODUCT = "product"
    LOGISTICS = "logistics"
    SERVICE = "service"


class ItemState(StrEnum):
    OPEN = "open"  # new: nobody has looked at it yet
    ACKNOWLEDGED = "acknowledged"  # someone has seen it
    ASSIGNED = "assigned"  # someone owns it (assignee)
    CLOSED = "closed"  # done: later complaints of its key count toward a new item


class ComplaintSource(StrEnum):
    """Where a complaint came from (what its `source_id` names)."""

    REVIEW = "review"  # a negative review (its id)
    CASE = "case"  # a logistics case opened in the chat (its id)
    CONVERSATION = "conversation"  # a complaint handed to a person (the conversation's id)
    ORDER = "order"  # a fresh-food claim or a quality return from the chat (the order number)


class RecurringIssue(Base):
    """One item of a queue: the complaints of one key that crossed the policy's threshold.

    The key is (queue, cause, product_id) for the product queue, (queue, cause, carrier,
    region) for logistics and (queue, cause) for service; `cause` is a sub-cause
    (`product.defect`) or a coarse cause (`service`). `open_key` is the key while the item is not
    closed and NULL once it is: its unique constraint keeps one open item per key, whoever opens
    it. `version` counts the item's changes (optimistic locking: a change made from a stale
    read is refused), and names each version sent to the queue sink.
    """

    __tablename__ = "recurring_issues"
    __table_args__ = (Index("ix_recurring_issues_queue_state", "queue", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    queue: Mapped[Queue] = mapped_column(enum_column(Queue, 16))
    cause: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str | None] = mapped_column(String(64))
    carrier: Mapped[str | None] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(REGION_LENGTH))
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), index=True)
    open_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), unique=True)
    state: Mapped[ItemState] = mapped_column(enum_column(ItemState, 16), default=ItemState.OPEN)
    assignee: Mapped[str | None] = mapped_column(String(ASSIGNEE_LENGTH))
    close_note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    complaint_count: Mapped[int] = mapped_column(Integer, default=0)
    first_complaint_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_complaint_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class RecurringComplaint(Base):
    """One complaint of one key, from one source; joined to an item once its key opens one
    (`item_id` NULL until then). Unique by (source, source_id, key): a review that complains of
    the product and of the parcel counts once in each queue, and never twice in one."""

    __tablename__ = "recurring_complaints"
    __table_args__ = (
        UniqueConstraint("source", "source_id", "key"),
        Index("ix_recurring_complaints_key_occurred_at", "key", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("recurring_issues.id"), index=True)
    queue: Mapped[Queue] = mapped_column(enum_column(Queue, 16))
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    source: Mapped[ComplaintSource] = mapped_column(enum_column(ComplaintSource, 16))
    source_id: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[int] = mapped_column(Integer)  # the event it was read from
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    order_no: Mapped[str | None] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the complaint's own time
    excerpt: Mapped[str] = mapped_column(String(EXCERPT_LENGTH))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecurringCursor(Base):
    """How far a consumer has read the events table: every event up to `last_event_id` is done,
    except the `holes` (ids above an earlier cursor not visible when it was read: a transaction
    still open on PostgreSQL), kept as {id: when first missed} until they appear or expire."""

    __tablename__ = "recurring_cursor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    holes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
