"""Recurring issues: queue items, the complaints they count, the consumer's cursor.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

`recurring_issues`: items of the product, logistics and service queues; `open_key` (unique) is
the item's key while it is not closed, NULL once it is, so one open item exists per key.
`recurring_complaints`: one complaint of one key from one source, unique by (source,
source_id, key). `recurring_cursor`: how far the consumer has read the events table. New tables
only: the outbox's new topic (`queue_sink`) and the new event names fit their VARCHAR columns,
which carry no CHECK constraint. The downgrade deletes the queue items' events and queue sink
rows with the tables they name (the older code cannot read those names).
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Own copies of the vocabularies (recurring.models): a migration must not change when the code
# does.
QUEUE = sa.Enum("product", "logistics", "service", name="queue", native_enum=False, length=16)
ITEM_STATE = sa.Enum(
    "open", "acknowledged", "assigned", "closed", name="itemstate", native_enum=False, length=16
)
SOURCE = sa.Enum(
    "review", "case", "conversation", "order", name="complaintsource", native_enum=False, length=16
)


def upgrade() -> None:
    op.create_table(
        "recurring_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("queue", QUEUE, nullable=False),
        sa.Column("cause", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=True),
        sa.Column("carrier", sa.String(length=16), nullable=True),
        sa.Column("region", sa.String(length=16), nullable=True),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("open_key", sa.String(length=200), nullable=True),
        sa.Column("state", ITEM_STATE, nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("close_note", sa.String(length=500), nullable=True),
        sa.Column("complaint_count", sa.Integer(), nullable=False),
        sa.Column("first_complaint_at", sa.DateTime(), nullable=False),
        sa.Column("last_complaint_at", sa.DateTime(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_issues")),
        sa.UniqueConstraint("open_key", name=op.f("uq_recurring_issues_open_key")),
    )
    op.create_index(op.f("ix_recurring_issues_key"), "recurring_issues", ["key"])
    op.create_index("ix_recurring_issues_queue_state", "recurring_issues", ["queue", "state"])
    op.create_table(
        "recurring_complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("queue", QUEUE, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("source", SOURCE, nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.Column("order_no", sa.String(length=24), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("excerpt", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["recurring_issues.id"],
            name=op.f("fk_recurring_complaints_item_id_recurring_issues"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_complaints")),
        sa.UniqueConstraint(
            "source", "source_id", "key", name=op.f("uq_recurring_complaints_source")
        ),
    )
    op.create_index(op.f("ix_recurring_complaints_item_id"), "recurring_complaints", ["item_id"])
    op.create_index(
        "ix_recurring_complaints_key_occurred_at", "recurring_complaints", ["key", "occurred_at"]
    )
    op.create_table(
        "recurring_cursor",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("holes", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_recurring_cursor")),
    )


def downgrade() -> None:
    outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("topic", sa.String))
    attempts = sa.table("outbox_attempts", sa.column("item_id", sa.Integer))
    events = sa.table("events", sa.column("subject_type", sa.String))
    sink_rows = sa.select(outbox.c.id).where(outbox.c.topic == "queue_sink")
    op.execute(attempts.delete().where(attempts.c.item_id.in_(sink_rows)))
    op.execute(outbox.delete().where(outbox.c.topic == "queue_sink"))
    op.execute(events.delete().where(events.c.subject_type == "queue_item"))
    op.drop_table("recurring_cursor")
    op.drop_index("ix_recurring_complaints_key_occurred_at", table_name="recurring_complaints")
    op.drop_index(op.f("ix_recurring_complaints_item_id"), table_name="recurring_complaints")
    op.drop_table("recurring_complaints")
    op.drop_index("ix_recurring_issues_queue_state", table_name="recurring_issues")
    op.drop_index(op.f("ix_recurring_issues_key"), table_name="recurring_issues")
    op.drop_table("recurring_issues")
