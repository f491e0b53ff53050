"""FAQ entries name the product categories they are about when only some (大家电 delivery,
fresh fruit): such an entry never answers about an order or product of another category.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05

Existing entries get an empty scope (every product); `python -m faq import` sets the shipped ones.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: Union[str, Sequence[str], None] = "0017"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("faq_entries") as batch_op:
        batch_op.add_column(sa.Column("scope", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("faq_entries") as batch_op:
        batch_op.drop_column("scope")
