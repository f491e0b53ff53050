"""On PostgreSQL the events' (name, occurred_at) index also carries actor, conversation_id and
value, so the conversation reports read it alone.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05

The bot and response reports group millions of chat events by conversation and by actor; from
the plain index every one of them was a heap read. Measured on 16 million events
(`bench/reports.py`, docs/benchmarks.md): response over 1.5 years 2.26 s → 1.43 s, bot over one
year 1.39 s → 0.89 s; the index grows from 646 MB to 1,086 MB and replaces the old one. SQLite
has no INCLUDE: nothing changes there.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "0017"
down_revision: Union[str, Sequence[str], None] = "0016"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NAME = "ix_events_name_occurred_at"
INCLUDED = ["actor", "conversation_id", "value"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(NAME, table_name="events")
    op.create_index(NAME, "events", ["name", "occurred_at"], postgresql_include=INCLUDED)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(NAME, table_name="events")
    op.create_index(NAME, "events", ["name", "occurred_at"])
