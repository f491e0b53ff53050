"""Events get the report dimensions they lacked: sku, sub_cause, region.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

The managers' reports (issue #15) group complaints by SKU, by sub-cause and by region, and are
built from the events only: three nullable, indexed columns. Events recorded before keep NULL
(their reports show them under 未知). A downgrade keeps their values in the payload under
`column.<name>` and the upgrade puts them back, so a downgrade and an upgrade give back the same
rows.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: Union[str, Sequence[str], None] = "0015"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = (("sku", 64), ("sub_cause", 64), ("region", 16))
KEPT = "column."  # a downgraded value's payload key: column.sku, …
BATCH = 1000


def _events(*columns: str) -> sa.TableClause:
    return sa.table(
        "events", sa.column("id", sa.Integer), sa.column("payload", sa.JSON),
        *(sa.column(c, sa.String) for c in columns),
    )  # fmt: skip


def upgrade() -> None:
    for name, length in COLUMNS:
        op.add_column("events", sa.Column(name, sa.String(length=length), nullable=True))
        op.create_index(op.f(f"ix_events_{name}"), "events", [name])
    names = [name for name, _ in COLUMNS]
    events = _events(*names)
    bind = op.get_bind()
    kept = sa.or_(*(events.c.payload.cast(sa.Text).like(f'%"{KEPT}{n}"%') for n in names))
    for row in bind.execute(sa.select(events.c.id, events.c.payload).where(kept)).all():
        payload = dict(row.payload)
        values = {n: payload.pop(f"{KEPT}{n}") for n in names if f"{KEPT}{n}" in payload}
        bind.execute(events.update().where(events.c.id == row.id).values(payload=payload, **values))


def downgrade() -> None:
    names = [name for name, _ in COLUMNS]
    events = _events(*names)
    bind = op.get_bind()
    filled = sa.or_(*(events.c[n].is_not(None) for n in names))
    rows = bind.execute(sa.select(events).where(filled)).all()
    for row in rows:
        payload = dict(row.payload or {})
        payload.update(
            {f"{KEPT}{n}": getattr(row, n) for n in names if getattr(row, n) is not None}
        )
        bind.execute(events.update().where(events.c.id == row.id).values(payload=payload))
    for name, _length in reversed(COLUMNS):
        op.drop_index(op.f(f"ix_events_{name}"), table_name="events")
        op.drop_column("events", name)
