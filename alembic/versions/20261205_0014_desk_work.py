"""The agent desk's work: conversations get a status, agents private notes and saved replies.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

`conversations.status` (open / resolved, default open for every conversation stored before) and
`resolved_at`, with an index on (status, last_message_at) for resolving idle conversations;
an index on `escalations.status` (the desk's inbox reads the open and taken ones); the new
tables `desk_notes` (an agent's private note on a conversation, at most 1000 characters) and
`saved_replies` (the team's canned replies: a unique title of at most 40 characters, a text of
at most 1000). The downgrade drops them all (the notes and saved replies with them).
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: Union[str, Sequence[str], None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

STATUS = sa.Enum("open", "resolved", name="conversationstatus", native_enum=False, length=16)


def upgrade() -> None:
    op.add_column(
        "conversations", sa.Column("status", STATUS, nullable=False, server_default="open")
    )
    op.add_column("conversations", sa.Column("resolved_at", sa.DateTime(), nullable=True))
    op.create_index(
        "ix_conversations_status_last_message_at", "conversations", ["status", "last_message_at"]
    )
    op.create_index(op.f("ix_escalations_status"), "escalations", ["status"])
    op.create_table(
        "desk_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_desk_notes_conversation_id_conversations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_notes")),
    )
    op.create_index(op.f("ix_desk_notes_conversation_id"), "desk_notes", ["conversation_id"])
    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_replies")),
        sa.UniqueConstraint("title", name=op.f("uq_saved_replies_title")),
    )


def downgrade() -> None:
    op.drop_table("saved_replies")
    op.drop_index(op.f("ix_desk_notes_conversation_id"), table_name="desk_notes")
    op.drop_table("desk_notes")
    op.drop_index(op.f("ix_escalations_status"), table_name="escalations")
    op.drop_index("ix_conversations_status_last_message_at", table_name="conversations")
    # in place (ALTER TABLE … DROP COLUMN), like 0012: a batch copy of the table is refused by
    # the foreign keys that name a conversation
    op.drop_column("conversations", "resolved_at")
    op.drop_column("conversations", "status")
