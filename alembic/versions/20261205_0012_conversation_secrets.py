"""Conversations have an owner: the hash of the secret issued with each one.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

`conversations.secret_hash`: sha256 (hex) of the secret `POST /api/chat` hands the shopper with
the conversation's id (issue #14); the shopper routes (`/api/chat/{id}/…`) answer only a request
that carries it. A new nullable column only: conversations stored before this migration keep
NULL, so they are no longer reachable through the shopper routes (their widget starts a new
conversation on a 404); the agent desk still reads and answers them. The downgrade drops the
column, and with it every conversation's owner: in place (ALTER TABLE … DROP COLUMN, SQLite
3.35 or later), not by batch mode's copy of the table, whose DROP TABLE the foreign keys of the
messages, escalations and cases that name a conversation refuse.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: Union[str, Sequence[str], None] = "0011"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("secret_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("conversations", "secret_hash")
