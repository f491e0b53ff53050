"""Typed events: indexed dimension columns and a value; escalation reason details.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

`events` gets the dimensions reports filter and group by as indexed columns (conversation_id,
order_no, product_id, carrier, cause, actor: a role, agent: an agent's name), a numeric `value`
(seconds or yuan) and an index on (name, occurred_at), which also serves the lookups by name (the
single-column `ix_events_name` goes). The existing rows are moved into the new shape, as
`core.events.record_event` writes it now:

- a payload key named like a column (`order_no`, `carrier`, `product_id` of the old payloads, and
  whatever a downgrade kept, even as None) moves into that column;
- the old keys move by event name: `reason`/`kind`/`field` and the first of `causes` → cause (a
  handoff reason `a:b` → cause `a`, payload `reason_detail` `b`, None without a colon),
  `total`/`amount` → value, and who did it → actor, a role (`core.events.Actor`): a message's
  `sender` (an agent's name is unknown: agent stays NULL), a handback's `agent` (actor `agent`, the
  name in `agent`), a case resolved `by: delivery` (actor `carrier`), an order cancelled `by` the
  shopper or by no one named (actor `shopper`: the demo seeds and the bot only cancelled for
  shoppers) and every order change (`shopper`, the only one who could then). A word that is not a
  role stays in the payload, under its old key;
- what the old rows left out comes from the subject and the rows it names: conversation_id or
  order_no is the subject id; a case gives its order, kind (cause), carrier and conversation, and
  its remedies to a `case.opened` payload and to a `case.approval_requested` one the `held` ones
  (those the approval rule holds back); a review its product; the seconds from placed to shipped,
  shipped to delivered, case opened to resolved, handed off to handed back; the order's total for
  a cancellation (its refund) and an approval request, the after-sale's amount for its opening.

It reads every row once, in id order and in chunks, with the orders, shipments, after-sales,
cases, reviews and escalations held in memory (a shop's worth); it runs online only (`--sql`
cannot move rows).

Rows whose name is not in the registry (`core.events.EventName`) are kept unchanged, and the
migration logs their names and counts: it must not fail on a database it has not seen. The ORM
cannot load such a row (its enum column refuses the name with a LookupError), so rename it to a
registered name or delete it by hand; reports that select by registered names are not affected.
The same holds for an escalation reason that is not an `EscalationReason`.

`escalations` gets `reason_detail` and `case_id` (the logistics case it is about): an old reason
`a:b` becomes reason `a`, reason_detail `b`; a failed order change (`needs_agent:modify_order`
with the detail `<字段名> → <值>`) becomes `change_failed`, reason_detail the field, detail the
value, and so does its handoff event; a detail `物流跟进单 #<id>：<remedies>；<words>` naming an
existing case gives case_id, and the shopper's words stay as the detail.

Downgrade writes each row's old shape back (the old keys from the columns, a case's note and a
failed change's `<字段名> → <值>` into the escalation's detail). A column value the old shape
cannot express, or that an upgrade would not derive again as it is, stays in the payload under
the column's name (None included), so downgrade → upgrade gives back the same rows. The
exceptions, which the domain does not write: an escalation whose detail is empty or reads like one
of those two notes by itself, a reason and detail longer than the old 64 characters together.

This file keeps its own copy of the event names and the other vocabularies: a migration must not
change when the code does.
"""

import logging
import re
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
ROLES = frozenset({"shopper", "bot", "agent", "system", "carrier"})  # core.events.Actor
ACTOR_LENGTH = 16
ACTOR_TYPE = sa.Enum(*sorted(ROLES), name="actor", native_enum=False, length=ACTOR_LENGTH)
# The dimension columns and their lengths, then the value column.
DIMENSIONS = {
    "conversation_id": 64,
    "order_no": 24,
    "product_id": 64,
    "carrier": 16,
    "cause": 64,
    "actor": ACTOR_LENGTH,
    "agent": 64,
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
OLD_REASON_LENGTH = 64
REASON_TYPE = sa.Enum(
    *sorted(ESCALATION_REASONS), name="escalationreason", native_enum=False, length=REASON_LENGTH
)
CASE_FK = "fk_escalations_case_id_logistics_cases"  # core.database.NAMING_CONVENTION
# A negative review without a recognisable cause counts as `product` (the taxonomy's convention).
DEFAULT_REVIEW_CAUSE = "product"
# Before typed events, orders were only cancelled and changed by the shopper (through the bot,
# and the demo seeds).
DEFAULT_ACTOR = "shopper"
# The remedies the approval rule of shop/logistics_policy.yaml holds back, as it reads today.
# Frozen rather than read from the file when the migration runs: the old approval requests were
# written under the policy of their day, which is today's (the rule has not changed since it was
# introduced), while the file may say something else by the time a shop migrates; and a migration
# must give the same rows whenever it runs, without the application's code or files.
APPROVAL_REMEDIES = ("reship_or_refund",)
# The field names the old failed-change escalations wrote (`<字段名> → <值>`), by field.
FIELD_WORDS = {"address": "收货地址", "phone": "收货手机号", "spec": "颜色/尺码"}
FIELDS = {words: name for name, words in FIELD_WORDS.items()}
OLD_CHANGE = re.compile(rf"({'|'.join(map(re.escape, FIELDS))}) → (.*)", re.DOTALL)
# The old remedy-approval detail: `物流跟进单 #<case id>：<remedies joined by 、>；<shopper's words>`.
OLD_CASE_NOTE = re.compile(r"物流跟进单 #(\d+)：[^；]*；(.*)", re.DOTALL)

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
    sa.column("detail", sa.Text),
    sa.column("case_id", sa.Integer),
)


def upgrade() -> None:
    _refuse_offline()
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name, length in DIMENSIONS.items():
            type_ = ACTOR_TYPE if name == "actor" else sa.String(length=length)
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=True))
        for name in DIMENSIONS:
            batch_op.create_index(batch_op.f(f"ix_events_{name}"), [name], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_name_occurred_at"), ["name", "occurred_at"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_events_name"))
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_detail", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f(CASE_FK), "logistics_cases", ["case_id"], ["id"])

    connection = op.get_bind()
    _move_escalations(connection, upgrading=True)  # first: a failed change's handoff event
    _move_events(connection, _upgrade_row)  # reads its escalation's new reason

    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.alter_column(
            "reason",
            existing_type=sa.String(length=OLD_REASON_LENGTH),
            type_=REASON_TYPE,
            existing_nullable=False,
        )


def downgrade() -> None:
    _refuse_offline()
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.alter_column(
            "reason",
            existing_type=REASON_TYPE,
            type_=sa.String(length=OLD_REASON_LENGTH),
            existing_nullable=False,
        )
    connection = op.get_bind()
    _move_events(connection, _to_old_shape)  # while the escalations are in the new shape
    _move_escalations(connection, upgrading=False)

    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(CASE_FK), type_="foreignkey")
        batch_op.drop_column("case_id")
        batch_op.drop_column("reason_detail")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_name"), ["name"], unique=False)
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
    remedies: list[str]


@dataclass
class Facts:
    """The rows events name, by the ids events carry; and the last handoff per conversation."""

    orders: dict[str, tuple[datetime, Decimal]]  # order_no → placed_at, total
    shipments: dict[str, list[tuple[datetime, datetime | None, str]]]  # shipped, delivered, carrier
    after_sales: dict[str, list[tuple[str, datetime, Decimal]]]  # kind, created_at, amount
    cases: dict[str, Case]  # case id → its order, kind, carrier, conversation, opening, remedies
    reviews: dict[str, str | None]  # review id → product_id
    changes_failed: dict[int, str]  # escalation id → the field, for new-shape change_failed ones
    handed_off: dict[str, datetime] = field(default_factory=dict)  # filled during the pass
    unfaithful: Counter[str] = field(default_factory=Counter)  # downgrade: payloads not given back


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
        cases=_cases(connection),
        reviews={
            str(r.id): r.product_id
            for r in connection.execute(sa.select(reviews.c.id, reviews.c.product_id))
        },
        changes_failed={
            r.id: r.reason_detail
            for r in connection.execute(
                sa.select(escalations.c.id, escalations.c.reason_detail).where(
                    escalations.c.reason == "change_failed",
                    escalations.c.reason_detail.is_not(None),
                )
            )
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


def _cases(connection: sa.Connection) -> dict[str, Case]:
    orders = sa.table("orders", sa.column("id", sa.Integer), sa.column("order_no", sa.String))
    cases = sa.table(
        "logistics_cases",
        sa.column("id", sa.Integer),
        sa.column("order_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("carrier", sa.String),
        sa.column("conversation_id", sa.String),
        sa.column("opened_at", sa.DateTime),
        sa.column("remedies", sa.JSON),
    )
    return {
        str(r.id): Case(
            r.order_no,
            r.kind,
            r.carrier,
            r.conversation_id,
            r.opened_at,
            [str(remedy) for remedy in r.remedies or []],
        )
        for r in connection.execute(
            sa.select(
                cases.c.id,
                orders.c.order_no,
                cases.c.kind,
                cases.c.carrier,
                cases.c.conversation_id,
                cases.c.opened_at,
                cases.c.remedies,
            ).select_from(cases.join(orders, orders.c.id == cases.c.order_id))
        )
    }


def _seconds(later: datetime, earlier: datetime) -> Decimal:
    """What record_event stores for a duration: seconds, quantized to hundredths."""
    return Decimal((later - earlier).total_seconds()).quantize(CENT)


def _yuan(amount: Any) -> Decimal | None:
    try:
        return Decimal(str(amount)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return None


# --- old shape → new shape ------------------------------------------------------------------


# Old payload keys that move into a column, by event name: key → column. (A handback's old
# `agent`, the agent's name, is named like its column.)
OLD_KEYS: dict[str, dict[str, str]] = {
    "message.received": {"sender": "actor"},
    "message.sent": {"sender": "actor"},
    "conversation.handed_off": {"reason": "cause"},
    "order.placed": {"total": "value"},
    "order.cancelled": {"by": "actor"},
    "order.modified": {"field": "cause"},
    "after_sale.opened": {"kind": "cause"},
    "after_sale.refunded": {"amount": "value"},
    "case.opened": {"kind": "cause"},
    "case.resolved": {"by": "actor"},
}
# Old words for a role, by event name (any other word that is a role is that role).
OLD_ROLE_WORDS: dict[str, dict[str, str]] = {"case.resolved": {"delivery": "carrier"}}
NEW_ROLE_WORDS = {
    name: {role: word for word, role in words.items()} for name, words in OLD_ROLE_WORDS.items()
}
# Old payload keys named like the column they move into, by event name.
OLD_PAYLOAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "conversation.handed_off": ("order_no",),
    "order.shipped": ("carrier",),
    "case.opened": ("order_no", "carrier"),
    "case.approval_requested": ("order_no",),
    "review.flagged_negative": ("product_id",),
}
# Payload keys an upgrade derives from the case when the old payload lacks them.
DERIVED_PAYLOAD: dict[str, tuple[str, ...]] = {
    "case.opened": ("remedies",),
    "case.approval_requested": ("held",),
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
    # A key named like a column gives that column, None included (a downgrade keeps a column
    # that was deliberately NULL as None): nothing derives it again.
    given = {c for c in COLUMNS if c in payload}
    cols: dict[str, Any] = {c: payload.pop(c, None) for c in COLUMNS}

    def default(column: str, value: Any) -> None:
        if column not in given and cols[column] is None:
            cols[column] = value

    for key, column in OLD_KEYS.get(name, {}).items():
        if key not in payload:
            continue
        value = payload[key]
        if column == "actor":
            value = OLD_ROLE_WORDS.get(name, {}).get(value, value)
            if value not in ROLES:
                continue  # not a role: it stays in the payload
        elif key == "reason" and value is not None:  # `a:b`; every handoff's payload has a detail
            value, colon, detail = str(value).partition(":")
            escalation_id = payload.get("escalation_id")
            if (
                (value, detail) == ("needs_agent", "modify_order")
                and "cause" not in given
                and isinstance(escalation_id, int)
                and escalation_id in facts.changes_failed
            ):  # a failed change, as its escalation now says
                value, detail = "change_failed", facts.changes_failed[escalation_id]
            payload.setdefault("reason_detail", detail if colon else None)
        del payload[key]
        default(column, value)
    if name == "conversation.handed_back" and cols["agent"] is not None:
        default("actor", "agent")
    if name == "review.flagged_negative":
        default("cause", (payload.get("causes") or [DEFAULT_REVIEW_CAUSE])[0])
    if name == "order.modified" or (name == "order.cancelled" and "by" not in payload):
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
        elif name == "case.opened":
            payload.setdefault("remedies", list(case.remedies))
        elif name == "case.approval_requested":
            payload.setdefault("held", [r for r in case.remedies if r in APPROVAL_REMEDIES])
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

    # What does not fit its column (or is not a role) stays in the payload, under its name.
    for column, length in DIMENSIONS.items():
        if cols[column] is not None:
            text = str(cols[column])
            if len(text) > length or (column == "actor" and text not in ROLES):
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

ABSENT = object()


def _to_old_shape(row: sa.Row, facts: Facts) -> dict[str, Any]:
    """The payload of a new-shape row in the old shape (its columns cleared)."""
    name = row.name
    cols = {c: getattr(row, c) for c in COLUMNS}
    new_payload = dict(row.payload or {})
    payload = dict(new_payload)
    for key, column in OLD_KEYS.get(name, {}).items():
        value = cols[column]
        if value is None:
            continue
        if column == "value":
            value = str(value)
        elif column == "actor":
            value = NEW_ROLE_WORDS.get(name, {}).get(value, value)
        elif key == "reason":
            detail = payload.pop("reason_detail", None)
            value = value if detail is None else f"{value}:{detail}"
        payload[key] = value
    if name == "conversation.handed_back" and cols["actor"] == "agent" and cols["agent"]:
        payload["agent"] = cols["agent"]
    for column in OLD_PAYLOAD_COLUMNS.get(name, ()):
        payload[column] = cols[column]

    def again(old: dict[str, Any]) -> dict[str, Any]:
        return _to_new_shape(name, row.subject_type, row.subject_id, row.occurred_at, old, facts)

    # Leave out what an upgrade derives again as it is (the old rows did not have it).
    for key in DERIVED_PAYLOAD.get(name, ()):
        if key in payload:
            without = {k: v for k, v in payload.items() if k != key}
            if again(without)["payload"].get(key, ABSENT) == payload[key]:
                payload = without
    # Keep in the payload, under the column's name, what an upgrade would not give back as it is
    # (each kept column is given back exactly, so this ends within len(COLUMNS) rounds).
    while True:
        shaped = again(payload)
        differ = [c for c in COLUMNS if shaped[c] != cols[c] and c not in payload]
        if not differ:
            break
        for column in differ:
            value = cols[column]
            payload[column] = str(value) if column == "value" and value is not None else value
    if shaped["payload"] != new_payload:
        facts.unfaithful[name] += 1
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
    if facts.unfaithful:
        log.warning(
            "events whose payload an upgrade will not give back exactly: %s",
            ", ".join(f"{name} ×{count}" for name, count in sorted(facts.unfaithful.items())),
        )


class EscalationShape(NamedTuple):
    reason: str
    reason_detail: str | None
    detail: str | None
    case_id: int | None


def _escalation_to_new_shape(reason: str, detail: str | None, cases: set[int]) -> EscalationShape:
    """An old escalation (`a:b` reason, notes in the detail) in the new shape."""
    name, colon, reason_detail = reason.partition(":")
    if len(name) > REASON_LENGTH:  # cannot be registered; the detail keeps it whole
        return EscalationShape(name[:REASON_LENGTH], reason, detail, None)
    shape = EscalationShape(name, reason_detail if colon else None, detail, None)
    if detail is None:
        return shape
    change = OLD_CHANGE.fullmatch(detail)
    if reason == "needs_agent:modify_order" and change:  # the old failed-change path
        return shape._replace(
            reason="change_failed", reason_detail=FIELDS[change[1]], detail=change[2] or None
        )
    note = OLD_CASE_NOTE.fullmatch(detail)
    if note and int(note[1]) in cases:
        return shape._replace(detail=note[2] or None, case_id=int(note[1]))
    return shape


def _escalation_to_old_shape(
    shape: EscalationShape, cases: dict[str, Case]
) -> tuple[str, str | None]:
    """The old reason and detail of a new-shape escalation."""
    reason, reason_detail, detail, case_id = shape
    if reason == "change_failed" and reason_detail in FIELD_WORDS and detail and case_id is None:
        return "needs_agent:modify_order", f"{FIELD_WORDS[reason_detail]} → {detail}"
    if reason_detail is not None:
        reason = f"{reason}:{reason_detail}"[:OLD_REASON_LENGTH]
    if case_id is not None:
        case = cases.get(str(case_id))
        remedies = "、".join(case.remedies) if case else ""
        detail = f"物流跟进单 #{case_id}：{remedies}；{detail or ''}"
    return reason, detail


def _move_escalations(connection: sa.Connection, upgrading: bool) -> None:
    e = escalations.c
    cases = _cases(connection)
    case_ids = {int(case_id) for case_id in cases}
    changes = []
    unknown: Counter[str] = Counter()
    if upgrading:
        for row in connection.execute(sa.select(e.id, e.reason, e.detail)).all():
            new = _escalation_to_new_shape(row.reason, row.detail, case_ids)
            if new.reason not in ESCALATION_REASONS:
                unknown[new.reason] += 1
            if new != (row.reason, None, row.detail, None):
                changes.append({"b_id": row.id, **{f"b_{k}": v for k, v in new._asdict().items()}})
    else:
        rows = connection.execute(sa.select(e.id, e.reason, e.reason_detail, e.detail, e.case_id))
        for row in rows.all():
            shape = EscalationShape(row.reason, row.reason_detail, row.detail, row.case_id)
            reason, detail = _escalation_to_old_shape(shape, cases)
            if (reason, detail) != (row.reason, row.detail):
                changes.append(
                    {
                        "b_id": row.id,
                        "b_reason": reason,
                        "b_reason_detail": None,
                        "b_detail": detail,
                        "b_case_id": None,
                    }
                )
    if changes:
        connection.execute(
            escalations.update()
            .where(e.id == sa.bindparam("b_id"))
            .values({c: sa.bindparam(f"b_{c}") for c in EscalationShape._fields}),
            changes,
        )
    if unknown:
        log.warning(
            "escalation reasons that are not registered kept (the ORM cannot load them): %s",
            ", ".join(f"{name} ×{count}" for name, count in sorted(unknown.items())),
        )
