"""The transactional outbox and its delivery log.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

`outbox`: work that must happen once (a 中差评 alert to one channel), unique by (topic,
destination, subject_id), with its state, attempts and back-off. `outbox_attempts`: every
delivery attempt (append-only). New tables only.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Own copies of the vocabularies (core.outbox): a migration must not change when the code does.
TOPIC = sa.Enum("review_alert", name="topic", native_enum=False, length=32)
STATE = sa.Enum(
    "pending", "sending", "sent", "dead", name="outboxstate", native_enum=False, length=16
)
OUTCOME = sa.Enum("sent", "retry", "dead", name="outcome", native_enum=False, length=16)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", TOPIC, nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", STATE, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("topic", "destination", "subject_id", name=op.f("uq_outbox_topic")),
    )
    op.create_index(
        "ix_outbox_state_destination_next", "outbox", ["state", "destination", "next_attempt_at"]
    )
    op.create_table(
        "outbox_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("outcome", OUTCOME, nullable=False),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["outbox.id"], name=op.f("fk_outbox_attempts_item_id_outbox")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attempts")),
    )
    op.create_index(op.f("ix_outbox_attempts_item_id"), "outbox_attempts", ["item_id"])
    op.create_index(op.f("ix_outbox_attempts_message_id"), "outbox_attempts", ["message_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_attempts_message_id"), table_name="outbox_attempts")
    op.drop_index(op.f("ix_outbox_attempts_item_id"), table_name="outbox_attempts")
    op.drop_table("outbox_attempts")
    op.drop_index("ix_outbox_state_destination_next", table_name="outbox")
    op.drop_table("outbox")
