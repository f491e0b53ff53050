"""Delivery appointments: the day, hours and place a shopper asked the parcel to come.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

`orders` gets the shopper's delivery appointment (shop.modifications, field `delivery_time`):
the local date (`delivery_date`), the hours as whole local hours (`delivery_from_hour` inclusive,
`delivery_until_hour` exclusive; either may be NULL: "18点以后" has no end), the place
(`delivery_place`: a parcel locker, the gatehouse, a pickup station; NULL = to the door as usual),
when it was asked (`delivery_requested_at`) and whether it was passed on to the carrier as a
request because the parcel was already with them (`delivery_via_carrier`). Every column is
nullable: orders without an appointment keep NULLs, so nothing needs filling.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# This file keeps its own copy of the vocabulary (shop.models.DeliveryPlace): a migration must not
# change when the code does.
PLACES = ("gatehouse", "locker", "pickup_station")
PLACE_TYPE = sa.Enum(*PLACES, name="deliveryplace", native_enum=False, length=16)
COLUMNS = (
    "delivery_date",
    "delivery_from_hour",
    "delivery_until_hour",
    "delivery_place",
    "delivery_requested_at",
    "delivery_via_carrier",
)


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivery_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("delivery_from_hour", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("delivery_until_hour", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("delivery_place", PLACE_TYPE, nullable=True))
        batch_op.add_column(sa.Column("delivery_requested_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("delivery_via_carrier", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch would copy `orders`
    # and drop the old table, which the foreign keys of shipments, after-sales and cases refuse.
    for column in COLUMNS[::-1]:
        op.drop_column("orders", column)
