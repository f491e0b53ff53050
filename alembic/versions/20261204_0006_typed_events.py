"""Typed events: indexed dimension columns and a value; escalation reason details.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

`events` gets the dimensions reports filter and group by as indexed columns (conversation_id,
order_no, product_id, carrier, cause, actor), a numeric `value` (seconds or yuan) and an index on
(name, occurred_at). The existing rows are moved into the new shape, as `core.events.record_event`
writes it now:

- a payload key named like a column (`order_no`, `carrier`, `product_id` of the old payloads, and
  whatever a downgrade kept) moves into that column;
- the old keys move by event name: `sender`/`agent`/`by` → actor (an order cancelled or changed
  without one: `shopper`, the only one who could then), `reason`/`kind`/`field` and the first of
  `causes` → cause (a handoff reason `a:b` → cause `a`, payload `reason_detail` `b`, None
  without a colon), `total`/`amount` → value;
- what the old rows left out comes from the subject and the rows it names: conversation_id or
  order_no is the subject id; a case gives its order, kind (cause), carrier and conversation; a
  review its product; the seconds from placed to shipped, shipped to delivered, case opened to
  resolved, handed off to handed back; the order's total for a cancellation (its refund) and an
  approval request, the after-sale's amount for its opening.

It reads every row once, in id order and in chunks, with the orders, shipments, after-sales,
cases and reviews held in memory (a shop's worth); it runs online only (`--sql` cannot move rows).

Rows whose name is not in the registry (`core.events.EventName`) are kept unchanged, and the
migration logs their names and counts: it must not fail on a database it has not seen. The ORM
cannot load such a row (its enum column refuses the name with a LookupError), so rename it to a
registered name or delete it by hand; reports that select by registered names are not affected.
The same holds for an escalation reason that is not an `EscalationReason`.

`escalations` gets `reason_detail`: an old reason `a:b` becomes reason `a`, reason_detail `b`.

Downgrade writes each row's old payload back (the old keys from the columns). A column value the
old shape cannot express, or that an upgrade would not derive again as it is, stays in the payload
under the column's name, so downgrade → upgrade gives back the same rows. Reasons become `a:b`.

This file keeps its own copy of the event names: a migration must not change when the code does.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

log = logging.getLogger("alembic.runtime.migration")

CHUNK = 1000
CENT = Decimal("0.01")
MAX_VALUE = Decimal("1e12")  # Numeric(14, 2)
# The dimension columns and their lengths, then the value column.
DIMENSIONS = {
    "conversation_id": 64,
    "order_no": 24,
    "product_id": 64,
    "carrier": 16,
    "cause": 64,
    "actor": 64,
}
COLUMNS = (*DIMENSIONS, "value")
REGISTERED = frozenset(
    {
        "order.placed",
        "order.shipped",
        "order.delivered",
        "order.cancelled",
        "order.modified",
        "after_sale.opened",
        "after_sale.refunded",
        "case.opened",
        "case.approval_requested",
        "case.followed_up",
        "case.resolved",
        "conversation.started",
        "conversation.handed_off",
        "conversation.handed_back",
        "message.received",
        "message.sent",
        "review.received",
        "review.flagged_negative",
    }
)
ESCALATION_REASONS = frozenset(
    {
        "shopper_asked",
        "complaint",
        "bot_did_not_understand",
        "needs_agent",
        "repair",
        "remedy_approval",
        "change_failed",
        "case_overdue",
    }
)
REASON_LENGTH = 32
REASON_TYPE = sa.Enum(
    *sorted(ESCALATION_REASONS), name="escalationreason", native_enum=False, length=REASON_LENGTH
)
# A negative review without a recognisable cause counts as `product` (the taxonomy's convention).
DEFAULT_REVIEW_CAUSE = "product"
# Before typed events, orders were only cancelled and changed by the shopper (through the bot).
DEFAULT_ACTOR = "shopper"

events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("occurred_at", sa.DateTime),
    sa.column("subject_type", sa.String),
    sa.column("subject_id", sa.String),
    *(sa.column(c, sa.String) for c in DIMENSIONS),
    sa.column("value", sa.Numeric(14, 2)),
    sa.column("payload", sa.JSON),
)
escalations = sa.table(
    "escalations",
    sa.column("id", sa.Integer),
    sa.column("reason", sa.String),
    sa.column("reason_detail", sa.String),
)


def upgrade() -> None:
    _refuse_offline()
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name, length in DIMENSIONS.items():
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        batch_op.add_column(sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=True))
        for name in DIMENSIONS:
            batch_op.create_index(batch_op.f(f"ix_events_{name}"), [name], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_name_occurred_at"), ["name", "occurred_at"], unique=False
        )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_detail", sa.String(length=64), nullable=True))

    connection = op.get_bind()
    _move_events(connection, _upgrade_row)
    _split_reasons(connection)

    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.alter_column(
            "reason",
            existing_type=sa.String(length=64),
            type_=REASON_TYPE,
            existing_nullable=False,
        )


def downgrade() -> None:
    _refuse_offline()
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.alter_column(
            "reason",
            existing_type=REASON_TYPE,
            type_=sa.String(length=64),
            existing_nullable=False,
        )
    connection = op.get_bind()
    _move_events(connection, _to_old_shape)
    _join_reasons(connection)

    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_column("reason_detail")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_name_occurred_at"))
        for name in reversed(DIMENSIONS):
            batch_op.drop_index(batch_op.f(f"ix_events_{name}"))
        batch_op.drop_column("value")
        for name in reversed(DIMENSIONS):
            batch_op.drop_column(name)


def _refuse_offline() -> None:
    if op.get_context().as_sql:
        raise NotImplementedError("0006 moves rows from one shape to the other: run it online")


# --- what the rows an event names say (read once) -------------------------------------------


class Case(NamedTuple):
    order_no: str
    kind: str
    carrier: str | None
    conversation_id: str | None
    opened_at: datetime


@dataclass
class Facts:
    """The rows events name, by the ids events carry; and the last handoff per conversation."""

    orders: dict[str, tuple[datetime, Decimal]]  # order_no → placed_at, total
    shipments: dict[str, list[tuple[datetime, datetime | None, str]]]  # shipped, delivered, carrier
    after_sales: dict[str, list[tuple[str, datetime, Decimal]]]  # kind, created_at, amount
    cases: dict[str, Case]  # case id → its order, kind, carrier, conversation, opening
    reviews: dict[str, str | None]  # review id → product_id
    handed_off: dict[str, datetime] = field(default_factory=dict)  # filled during the pass


def _facts(connection: sa.Connection) -> Facts:
    orders = sa.table(
        "orders",
        sa.column("id", sa.Integer),
        sa.column("order_no", sa.String),
        sa.column("placed_at", sa.DateTime),
        sa.column("total_amount", sa.Numeric(10, 2)),
    )
    shipments = sa.table(
        "shipments",
        sa.column("order_id", sa.Integer),
        sa.column("shipped_at", sa.DateTime),
        sa.column("delivered_at", sa.DateTime),
        sa.column("carrier", sa.String),
    )
    after_sales = sa.table(
        "after_sales",
        sa.column("order_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("created_at", sa.DateTime),
        sa.column("amount", sa.Numeric(10, 2)),
    )
    cases = sa.table(
        "logistics_cases",
        sa.column("id", sa.Integer),
        sa.column("order_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("carrier", sa.String),
        sa.column("conversation_id", sa.String),
        sa.column("opened_at", sa.DateTime),
    )
    reviews = sa.table("reviews", sa.column("id", sa.Integer), sa.column("product_id", sa.String))
    order_no = orders.c.order_no

    facts = Facts(
        orders={
            r.order_no: (r.placed_at, r.total_amount)
            for r in connection.execute(
                sa.select(order_no, orders.c.placed_at, orders.c.total_amount)
            )
        },
        shipments=defaultdict(list),
        after_sales=defaultdict(list),
        cases={
            str(r.id): Case(r.order_no, r.kind, r.carrier, r.conversation_id, r.opened_at)
            for r in connection.execute(
                sa.select(
                    cases.c.id,
                    order_no,
                    cases.c.kind,
                    cases.c.carrier,
                    cases.c.conversation_id,
                    cases.c.opened_at,
                ).select_from(cases.join(orders, orders.c.id == cases.c.order_id))
            )
        },
        reviews={
            str(r.id): r.product_id
            for r in connection.execute(sa.select(reviews.c.id, reviews.c.product_id))
        },
    )
    for r in connection.execute(
        sa.select(order_no, shipments.c.shipped_at, shipments.c.delivered_at, shipments.c.carrier)
        .select_from(shipments.join(orders, orders.c.id == shipments.c.order_id))
        .order_by(shipments.c.shipped_at)
    ):
        facts.shipments[r.order_no].append((r.shipped_at, r.delivered_at, r.carrier))
    for r in connection.execute(
        sa.select(
            order_no, after_sales.c.kind, after_sales.c.created_at, after_sales.c.amount
        ).select_from(after_sales.join(orders, orders.c.id == after_sales.c.order_id))
    ):
        facts.after_sales[r.order_no].append((r.kind, r.created_at, r.amount))
    return facts


def _seconds(later: datetime, earlier: datetime) -> Decimal:
    """What record_event stores for a duration: seconds, rounded to hundredths."""
    return Decimal(str(round((later - earlier).total_seconds(), 2)))


def _yuan(amount: Any) -> Decimal | None:
    try:
        return Decimal(str(amount)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return None


# --- old shape → new shape ------------------------------------------------------------------


# Old payload keys that move into a column, by event name: key → column.
OLD_KEYS: dict[str, dict[str, str]] = {
    "message.received": {"sender": "actor"},
    "message.sent": {"sender": "actor"},
    "conversation.handed_off": {"reason": "cause"},
    "conversation.handed_back": {"agent": "actor"},
    "order.placed": {"total": "value"},
    "order.cancelled": {"by": "actor"},
    "order.modified": {"field": "cause"},
    "after_sale.opened": {"kind": "cause"},
    "after_sale.refunded": {"amount": "value"},
    "case.opened": {"kind": "cause"},
    "case.resolved": {"by": "actor"},
}
# Old payload keys named like the column they move into, by event name.
OLD_PAYLOAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "conversation.handed_off": ("order_no",),
    "order.shipped": ("carrier",),
    "case.opened": ("order_no", "carrier"),
    "case.approval_requested": ("order_no",),
    "review.flagged_negative": ("product_id",),
}


def _upgrade_row(row: sa.Row, facts: Facts) -> dict[str, Any]:
    return _to_new_shape(
        row.name, row.subject_type, row.subject_id, row.occurred_at, row.payload or {}, facts
    )


def _to_new_shape(
    name: str, subject: str, subject_id: str, at: datetime, old: dict[str, Any], facts: Facts
) -> dict[str, Any]:
    """The columns and payload of an old-shape row in the new shape."""
    payload = dict(old)
    cols: dict[str, Any] = {c: payload.pop(c, None) for c in COLUMNS}

    def default(column: str, value: Any) -> None:
        if cols[column] is None:
            cols[column] = value

    for key, column in OLD_KEYS.get(name, {}).items():
        value = payload.pop(key, None)
        if key == "reason" and value is not None:  # `a:b`; every handoff's payload has a detail
            value, colon, detail = str(value).partition(":")
            payload.setdefault("reason_detail", detail if colon else None)
        default(column, value)
    if name == "review.flagged_negative":
        default("cause", (payload.get("causes") or [DEFAULT_REVIEW_CAUSE])[0])
    if name in ("order.cancelled", "order.modified"):
        default("actor", DEFAULT_ACTOR)

    if subject == "conversation":
        default("conversation_id", subject_id)
    elif subject == "order":
        default("order_no", subject_id)
    elif subject == "case" and subject_id in facts.cases:
        case = facts.cases[subject_id]
        default("order_no", case.order_no)
        default("cause", case.kind)
        default("carrier", case.carrier)
        default("conversation_id", case.conversation_id)
        if name == "case.resolved":
            default("value", _seconds(at, case.opened_at))
    elif subject == "review":
        default("product_id", facts.reviews.get(subject_id))

    order_no = cols["order_no"]
    if name == "order.shipped" and order_no in facts.orders:
        default("value", _seconds(at, facts.orders[order_no][0]))
    elif name == "order.delivered":
        shipped = [s for s in facts.shipments.get(order_no, []) if s[0] <= at]
        if shipped:
            shipped_at, _, carrier = shipped[-1]
            default("carrier", carrier)
            default("value", _seconds(at, shipped_at))
    elif name in ("order.cancelled", "case.approval_requested") and order_no in facts.orders:
        default("value", facts.orders[order_no][1])  # a refund of the whole order
    elif name == "after_sale.opened":
        same_kind = [a for a in facts.after_sales.get(order_no, []) if a[0] == cols["cause"]]
        if same_kind:
            nearest = min(same_kind, key=lambda a: abs((a[1] - at).total_seconds()))
            default("value", nearest[2])
    elif name == "conversation.handed_back" and cols["conversation_id"] in facts.handed_off:
        default("value", _seconds(at, facts.handed_off[cols["conversation_id"]]))
    if name == "conversation.handed_off" and cols["conversation_id"] is not None:
        facts.handed_off[cols["conversation_id"]] = at

    # What does not fit its column stays in the payload, under the column's name.
    for column, length in DIMENSIONS.items():
        if cols[column] is not None:
            text = str(cols[column])
            if len(text) > length:
                payload[column], cols[column] = text, None
            else:
                cols[column] = text
    if cols["value"] is not None:
        value = _yuan(cols["value"])
        if value is None or abs(value) >= MAX_VALUE:
            payload["value"], value = str(cols["value"]), None
        cols["value"] = value
    return {**cols, "payload": payload}


# --- new shape → old shape ------------------------------------------------------------------


def _to_old_shape(row: sa.Row, facts: Facts) -> dict[str, Any]:
    """The payload of a new-shape row in the old shape (its columns cleared)."""
    name = row.name
    cols = {c: getattr(row, c) for c in COLUMNS}
    payload = dict(row.payload or {})
    for key, column in OLD_KEYS.get(name, {}).items():
        if cols[column] is not None:
            payload[key] = str(cols[column]) if column == "value" else cols[column]
    if name == "conversation.handed_off":
        detail = payload.pop("reason_detail", None)
        if cols["cause"] is not None and detail is not None:
            payload["reason"] = f"{cols['cause']}:{detail}"
    for column in OLD_PAYLOAD_COLUMNS.get(name, ()):
        payload[column] = cols[column]

    # Keep in the payload what an upgrade would not give back as it is.
    again = _to_new_shape(name, row.subject_type, row.subject_id, row.occurred_at, payload, facts)
    for column in COLUMNS:
        if again[column] != cols[column]:
            payload[column] = str(cols[column]) if column == "value" else cols[column]
    return {**dict.fromkeys(COLUMNS), "payload": payload}


# --- the passes -----------------------------------------------------------------------------


def _rows(connection: sa.Connection) -> Iterator[list[sa.Row]]:
    last = 0
    while True:
        chunk = connection.execute(
            sa.select(events).where(events.c.id > last).order_by(events.c.id).limit(CHUNK)
        ).all()
        if not chunk:
            return
        yield chunk
        last = chunk[-1].id


def _move_events(
    connection: sa.Connection, shape: Callable[[sa.Row, Facts], dict[str, Any]]
) -> None:
    facts = _facts(connection)
    unknown: Counter[str] = Counter()
    update = (
        events.update()
        .where(events.c.id == sa.bindparam("b_id"))
        .values(
            {c: sa.bindparam(f"b_{c}") for c in COLUMNS} | {"payload": sa.bindparam("b_payload")}
        )
    )
    for chunk in _rows(connection):
        changes = []
        for row in chunk:
            if row.name not in REGISTERED:
                unknown[row.name] += 1
                continue
            new = shape(row, facts)
            changes.append({"b_id": row.id, **{f"b_{k}": v for k, v in new.items()}})
        if changes:
            connection.execute(update, changes)
    if unknown:
        log.warning(
            "events with unregistered names kept unchanged (the ORM cannot load them; rename or "
            "delete them): %s",
            ", ".join(f"{name} ×{count}" for name, count in sorted(unknown.items())),
        )


def _split_reasons(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(escalations.c.id, escalations.c.reason)).all()
    changes = []
    unknown: Counter[str] = Counter()
    for row in rows:
        reason, colon, detail = row.reason.partition(":")
        if reason not in ESCALATION_REASONS:
            unknown[reason] += 1
        if len(reason) > REASON_LENGTH:  # cannot be registered; the detail keeps it whole
            changes.append(
                {"b_id": row.id, "b_reason": reason[:REASON_LENGTH], "b_detail": row.reason}
            )
        elif colon:
            changes.append({"b_id": row.id, "b_reason": reason, "b_detail": detail})
    if changes:
        connection.execute(
            escalations.update()
            .where(escalations.c.id == sa.bindparam("b_id"))
            .values(reason=sa.bindparam("b_reason"), reason_detail=sa.bindparam("b_detail")),
            changes,
        )
    if unknown:
        log.warning(
            "escalation reasons that are not registered kept (the ORM cannot load them): %s",
            ", ".join(f"{name} ×{count}" for name, count in sorted(unknown.items())),
        )


def _join_reasons(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.select(escalations.c.id, escalations.c.reason, escalations.c.reason_detail).where(
            escalations.c.reason_detail.is_not(None)
        )
    ).all()
    if rows:
        connection.execute(
            escalations.update()
            .where(escalations.c.id == sa.bindparam("b_id"))
            .values(reason=sa.bindparam("b_reason")),
            [{"b_id": r.id, "b_reason": f"{r.reason}:{r.reason_detail}"[:64]} for r in rows],
        )
