"""The bot's corrections: shopper messages an agent marked with the intent or FAQ topic the bot
should have understood (conversations/corrections.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

`bot_corrections`: one row per message (`message_id` unique: a later correction replaces the
row in place), the message's text copied (≤ 500 characters) so that the export does not depend
on the transcript. A new table only; the downgrade drops it.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: Union[str, Sequence[str], None] = "0014"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "bot_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("faq_topic", sa.String(length=64), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("replaced", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_bot_corrections_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bot_corrections")),
        sa.UniqueConstraint("message_id", name=op.f("uq_bot_corrections_message_id")),
    )
    op.create_index(
        op.f("ix_bot_corrections_conversation_id"), "bot_corrections", ["conversation_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_bot_corrections_conversation_id"), table_name="bot_corrections")
    op.drop_table("bot_corrections")
