"""The append-only log of named events that reports are built from.

Every package records what happens (an order placed, a message received, a case opened) as one
`Event` row, Chatwoot-style: a registered name, the moment, the dimensions reports filter and
group by (conversation, order, product, carrier, cause, actor, agent) as indexed columns, one
numeric `value` (seconds or yuan, as the event's spec says), and a JSON payload for the rest.
Rows are only ever inserted; reports read events, never live state.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Index, Integer, Numeric, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.clock import utcnow
from core.database import Base, UTCDateTime, enum_column


class Subject(StrEnum):
    """What an event is about; `subject_id` names which one."""

    ORDER = "order"
    CASE = "case"
    CONVERSATION = "conversation"
    REVIEW = "review"
    QUEUE_ITEM = "queue_item"  # a recurring issue in the product, logistics or service queue


class EventName(StrEnum):
    """Every event the system records: the one registry of names, `<subject>.<verb>`."""

    ORDER_PLACED = "order.placed"
    ORDER_SHIPPED = "order.shipped"
    ORDER_DELIVERED = "order.delivered"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_MODIFIED = "order.modified"
    ORDER_DELIVERY_SCHEDULED = "order.delivery_scheduled"  # a delivery appointment
    ORDER_VERIFICATION_FAILED = "order.verification_failed"  # a wrong phone tail for the order
    ORDER_VERIFICATION_LOCKED = "order.verification_locked"  # too many: not verified in chat
    AFTER_SALE_OPENED = "after_sale.opened"
    AFTER_SALE_REFUNDED = "after_sale.refunded"
    AFTER_SALE_WITHDRAWN = "after_sale.withdrawn"  # the shopper took a return request back
    INVOICE_REQUESTED = "invoice.requested"
    PRICE_PROTECTION_APPLIED = "price_protection.applied"
    FRESH_CLAIM_OPENED = "fresh_claim.opened"  # fresh food that arrived bad, confirmed
    CASE_OPENED = "case.opened"
    CASE_APPROVAL_REQUESTED = "case.approval_requested"
    CASE_FOLLOWED_UP = "case.followed_up"
    CASE_CHASED = "case.chased"  # the shopper asked to hurry an open case
    CASE_RESOLVED = "case.resolved"
    CONVERSATION_STARTED = "conversation.started"
    CONVERSATION_HANDED_OFF = "conversation.handed_off"
    CONVERSATION_HANDED_BACK = "conversation.handed_back"
    CONVERSATION_TAKEN = "conversation.taken"  # an agent took it from the desk's inbox
    CONVERSATION_RESOLVED = "conversation.resolved"
    MESSAGE_RECEIVED = "message.received"
    MESSAGE_SENT = "message.sent"
    REVIEW_RECEIVED = "review.received"
    REVIEW_FLAGGED_NEGATIVE = "review.flagged_negative"
    ALERT_SENT = "alert.sent"  # a 中差评 alert reached a channel (one per review and channel)
    ALERT_FAILED = "alert.failed"  # it could not: dead-lettered after its retries

    # What is done about a negative review (reviews.handling); value: the offer's money out
    REVIEW_OFFER_DRAFTED = "review.offer_drafted"
    REVIEW_OFFER_APPROVED = "review.offer_approved"
    REVIEW_OFFER_REJECTED = "review.offer_rejected"
    REVIEW_OFFER_ACCEPTED = "review.offer_accepted"
    REVIEW_OFFER_DECLINED = "review.offer_declined"
    REVIEW_OFFER_EDITED = "review.offer_edited"  # its message to the customer
    REVIEW_REPLY_DRAFTED = "review.reply_drafted"
    REVIEW_REPLY_EDITED = "review.reply_edited"
    REVIEW_REPLY_APPROVED = "review.reply_approved"
    REVIEW_REPLY_REJECTED = "review.reply_rejected"
    REVIEW_CUSTOMER_CONTACTED = "review.customer_contacted"
    REVIEW_REVISED = "review.revised"  # the customer changed the review (never asked to)

    # --- recurring issues (recurring/): items of the product, logistics and service queues ---
    QUEUE_ITEM_OPENED = "queue_item.opened"  # complaints of one key crossed the threshold
    QUEUE_ITEM_UPDATED = "queue_item.updated"  # more complaints joined the open item
    QUEUE_ITEM_ACKNOWLEDGED = "queue_item.acknowledged"
    QUEUE_ITEM_ASSIGNED = "queue_item.assigned"
    QUEUE_ITEM_CLOSED = "queue_item.closed"
    # --- end of recurring issues ---


class ValueUnit(StrEnum):
    NONE = "none"
    SECONDS = "seconds"
    YUAN = "yuan"


class Actor(StrEnum):
    """Who did it; an agent's name goes in the event's `agent` column."""

    SHOPPER = "shopper"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"  # the shop's own jobs and the chat gateway
    CARRIER = "carrier"  # a carrier scan (e.g. the late parcel arrived)


DIMENSIONS = (
    "conversation_id",
    "order_no",
    "product_id",
    "carrier",
    "cause",
    "actor",
    "agent",
    "sku",  # the variant, where the subject names one (a review's, an order line's)
    "sub_cause",  # the finer cause, e.g. `logistics.slow` under `logistics`
    "region",  # the province of the order's address (广东, 北京 …), where there is an order
)


@dataclass(frozen=True)
class EventSpec:
    """What an event is about, which dimensions it must fill, the vocabulary of its `cause`
    (the name of the domain enum it takes its values from) and what its value measures."""

    subject: Subject
    required: tuple[str, ...] = ()
    unit: ValueUnit = ValueUnit.NONE
    cause: str | None = None


N, S, U = EventName, Subject, ValueUnit
EVENT_SPECS: dict[EventName, EventSpec] = {
    N.ORDER_PLACED: EventSpec(S.ORDER, ("order_no",), U.YUAN),  # the order total
    N.ORDER_SHIPPED: EventSpec(S.ORDER, ("order_no", "carrier"), U.SECONDS),  # since placed
    N.ORDER_DELIVERED: EventSpec(S.ORDER, ("order_no", "carrier"), U.SECONDS),  # since shipped
    N.ORDER_CANCELLED: EventSpec(S.ORDER, ("order_no", "actor"), U.YUAN),  # refunded
    N.ORDER_MODIFIED: EventSpec(S.ORDER, ("order_no", "actor", "cause"), cause="ChangeField"),
    # carrier: set when the parcel was with it and the appointment went to it as a request
    N.ORDER_DELIVERY_SCHEDULED: EventSpec(S.ORDER, ("order_no", "actor")),
    # counted per order across conversations (shop.orders.verify_order); conversation: where
    N.ORDER_VERIFICATION_FAILED: EventSpec(S.ORDER, ("order_no", "actor")),
    N.ORDER_VERIFICATION_LOCKED: EventSpec(S.ORDER, ("order_no", "cause"), cause="LockScope"),
    N.AFTER_SALE_OPENED: EventSpec(S.ORDER, ("order_no", "cause"), U.YUAN, "AfterSaleKind"),
    N.AFTER_SALE_REFUNDED: EventSpec(S.ORDER, ("order_no",), U.YUAN),
    N.AFTER_SALE_WITHDRAWN: EventSpec(S.ORDER, ("order_no",), U.YUAN),
    N.INVOICE_REQUESTED: EventSpec(  # value: the invoice amount; cause: new, update, reissue
        S.ORDER, ("order_no", "cause"), U.YUAN, "InvoiceAction"
    ),
    N.PRICE_PROTECTION_APPLIED: EventSpec(S.ORDER, ("order_no",), U.YUAN),  # the refund
    N.FRESH_CLAIM_OPENED: EventSpec(  # value: the proportional refund (none: a person sets it)
        S.ORDER, ("order_no", "cause"), U.YUAN, "FreshRemedy"
    ),
    N.CASE_OPENED: EventSpec(S.CASE, ("order_no", "carrier", "cause"), cause="CaseKind"),
    N.CASE_APPROVAL_REQUESTED: EventSpec(  # value: the order's total
        S.CASE, ("order_no", "carrier", "cause"), U.YUAN, "CaseKind"
    ),
    N.CASE_FOLLOWED_UP: EventSpec(S.CASE, ("order_no", "carrier", "cause"), cause="CaseKind"),
    N.CASE_CHASED: EventSpec(S.CASE, ("order_no", "cause"), cause="CaseKind"),
    N.CASE_RESOLVED: EventSpec(  # value: time to resolution
        S.CASE, ("order_no", "carrier", "cause", "actor"), U.SECONDS, "CaseKind"
    ),
    N.CONVERSATION_STARTED: EventSpec(S.CONVERSATION, ("conversation_id",)),
    N.CONVERSATION_HANDED_OFF: EventSpec(
        S.CONVERSATION, ("conversation_id", "cause"), cause="EscalationReason"
    ),
    N.CONVERSATION_HANDED_BACK: EventSpec(  # value: time with a person, from the handoff
        S.CONVERSATION, ("conversation_id", "actor"), U.SECONDS
    ),
    # value: the wait from the handoff; actor agent (the agent column names who)
    N.CONVERSATION_TAKEN: EventSpec(S.CONVERSATION, ("conversation_id", "actor"), U.SECONDS),
    # value: from the start; actor bot when no person ever replied (Chatwoot's bot resolution),
    # agent when an agent resolved it, system when it went idle after a person had replied
    N.CONVERSATION_RESOLVED: EventSpec(S.CONVERSATION, ("conversation_id", "actor"), U.SECONDS),
    N.MESSAGE_RECEIVED: EventSpec(S.CONVERSATION, ("conversation_id", "actor")),
    N.MESSAGE_SENT: EventSpec(S.CONVERSATION, ("conversation_id", "actor")),
    N.REVIEW_RECEIVED: EventSpec(S.REVIEW),
    N.REVIEW_FLAGGED_NEGATIVE: EventSpec(S.REVIEW, ("cause",), cause="ReviewCause"),
    # cause: the channel's kind; value: seconds from the review's arrival to the delivery
    N.ALERT_SENT: EventSpec(S.REVIEW, ("cause",), U.SECONDS, "ChannelKind"),
    N.ALERT_FAILED: EventSpec(S.REVIEW, ("cause",), cause="ChannelKind"),
    # cause: the review's first cause; value: the offer's money out (none while unknown)
    N.REVIEW_OFFER_DRAFTED: EventSpec(S.REVIEW, ("cause", "actor"), U.YUAN, "ReviewCause"),
    N.REVIEW_OFFER_APPROVED: EventSpec(S.REVIEW, ("cause", "actor"), U.YUAN, "ReviewCause"),
    N.REVIEW_OFFER_REJECTED: EventSpec(S.REVIEW, ("cause", "actor"), U.YUAN, "ReviewCause"),
    N.REVIEW_OFFER_ACCEPTED: EventSpec(S.REVIEW, ("cause", "actor"), U.YUAN, "ReviewCause"),
    N.REVIEW_OFFER_DECLINED: EventSpec(S.REVIEW, ("cause", "actor"), U.YUAN, "ReviewCause"),
    N.REVIEW_OFFER_EDITED: EventSpec(S.REVIEW, ("cause", "actor"), cause="ReviewCause"),
    N.REVIEW_REPLY_DRAFTED: EventSpec(S.REVIEW, ("cause", "actor"), cause="ReviewCause"),
    N.REVIEW_REPLY_EDITED: EventSpec(S.REVIEW, ("cause", "actor"), cause="ReviewCause"),
    N.REVIEW_REPLY_APPROVED: EventSpec(S.REVIEW, ("cause", "actor"), cause="ReviewCause"),
    N.REVIEW_REPLY_REJECTED: EventSpec(S.REVIEW, ("cause", "actor"), cause="ReviewCause"),
    # value: from the review's arrival to the first contact
    N.REVIEW_CUSTOMER_CONTACTED: EventSpec(S.REVIEW, ("cause", "actor"), U.SECONDS, "ReviewCause"),
    N.REVIEW_REVISED: EventSpec(S.REVIEW, ("cause", "actor"), cause="ReviewCause"),
    # --- recurring issues (recurring/): cause = the item's queue (product, logistics, service);
    # product_id / carrier where the key names them; the complaint count, the sub-cause and the
    # region in the payload (a count has no value unit). Actor: system (the consumer job), or an
    # agent (the admin who acknowledged, assigned or closed it).
    N.QUEUE_ITEM_OPENED: EventSpec(S.QUEUE_ITEM, ("cause", "actor"), cause="ReviewCause"),
    N.QUEUE_ITEM_UPDATED: EventSpec(S.QUEUE_ITEM, ("cause", "actor"), cause="ReviewCause"),
    N.QUEUE_ITEM_ACKNOWLEDGED: EventSpec(S.QUEUE_ITEM, ("cause", "actor"), cause="ReviewCause"),
    N.QUEUE_ITEM_ASSIGNED: EventSpec(S.QUEUE_ITEM, ("cause", "actor"), cause="ReviewCause"),
    N.QUEUE_ITEM_CLOSED: EventSpec(S.QUEUE_ITEM, ("cause", "actor"), cause="ReviewCause"),
    # --- end of recurring issues ---
}
del N, S, U


class AppendOnly:
    """Marker for tables whose rows are only ever inserted (events, audit trails)."""

    if TYPE_CHECKING:  # what every such table has (declared for the type checker only)
        __tablename__: str
        id: Mapped[int]


class Event(AppendOnly, Base):
    """One thing that happened: a registered name, its dimensions, a value, the rest as JSON."""

    __tablename__ = "events"
    __table_args__ = (
        # Reports read events by name and time; on PostgreSQL the index also carries what the
        # conversation reports group by, so they read the index alone (migration 0017).
        Index(
            "ix_events_name_occurred_at",
            "name",
            "occurred_at",
            postgresql_include=["actor", "conversation_id", "value"],
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[EventName] = mapped_column(enum_column(EventName, 64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, default=utcnow)
    subject_type: Mapped[Subject] = mapped_column(enum_column(Subject, 32))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    order_no: Mapped[str | None] = mapped_column(String(24), index=True)
    product_id: Mapped[str | None] = mapped_column(String(64), index=True)
    carrier: Mapped[str | None] = mapped_column(String(16), index=True)
    cause: Mapped[str | None] = mapped_column(String(64), index=True)
    actor: Mapped[Actor | None] = mapped_column(enum_column(Actor, 16), index=True)
    agent: Mapped[str | None] = mapped_column(String(64), index=True)
    sku: Mapped[str | None] = mapped_column(String(64), index=True)
    sub_cause: Mapped[str | None] = mapped_column(String(64), index=True)
    region: Mapped[str | None] = mapped_column(String(16), index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


_LENGTHS: dict[str, int] = {d: getattr(Event.__table__.c[d].type, "length", 0) for d in DIMENSIONS}


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a row of an append-only table."""


class EventDimensionError(ValueError):
    """An event was recorded without a dimension its spec requires."""


@event.listens_for(Session, "before_flush")
def _forbid_append_only_changes(session: Session, _context: object, _instances: object) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AppendOnly) and (obj in session.deleted or session.is_modified(obj)):
            table = type(obj).__tablename__
            raise AppendOnlyError(f"{table} is append-only; refused to change row {obj.id}")


def record_event(
    session: Session,
    name: EventName,
    subject_id: str | int,
    *,
    occurred_at: datetime | None = None,
    conversation_id: str | None = None,
    order_no: str | None = None,
    product_id: str | None = None,
    carrier: str | None = None,
    cause: StrEnum | None = None,
    actor: Actor | None = None,
    agent: str | None = None,
    sku: str | None = None,
    sub_cause: str | None = None,
    region: str | None = None,
    value: Decimal | float | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Add an event to `session` (committed with the caller's unit of work).

    Refused (ValueError, EventDimensionError) when the name is not registered, a required
    dimension is missing or longer than its column, the cause is not a member of the event's
    vocabulary, an agent's event names no agent, or the event has no value unit.
    """
    spec = EVENT_SPECS[EventName(name)]
    if cause is not None and type(cause).__name__ != spec.cause:  # a plain str is refused too
        raise EventDimensionError(f"{name}: the cause is a {spec.cause}, not {cause!r}")
    role = None if actor is None else Actor(actor)  # a word that is not a role: ValueError
    values = (
        conversation_id, order_no, product_id, carrier, cause, role, agent, sku, sub_cause, region
    )  # fmt: skip
    dimensions = {d: None if v is None else str(v) for d, v in zip(DIMENSIONS, values, strict=True)}
    missing = [d for d in spec.required if dimensions[d] is None]
    if missing:
        raise EventDimensionError(f"{name} needs {', '.join(missing)}")
    for dimension, text in dimensions.items():
        limit = _LENGTHS[dimension]
        if text is not None and len(text) > limit:
            raise EventDimensionError(f"{name}: {dimension} is longer than {limit} characters")
    if (actor == Actor.AGENT) != (agent is not None):
        raise EventDimensionError(f"{name}: an agent's event names the agent, and only it")
    if value is not None and spec.unit == ValueUnit.NONE:
        raise EventDimensionError(f"{name} has no value")
    row = Event(
        name=EventName(name),
        subject_type=spec.subject,
        subject_id=str(subject_id),
        occurred_at=occurred_at or utcnow(),
        value=None if value is None else Decimal(value).quantize(Decimal("0.01")),
        payload=payload or {},
        **dimensions,
    )
    session.add(row)
    return row
