"""Invoices, price history and 价保 claims.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

`invoices`: the invoices asked for on an order (kind, title, tax number, where it is sent, status,
number and dates); a reissue voids the old row and adds one that `replaces_id` it.
`price_changes`: each product's prices over time (regular prices and promotions with an end).
`price_protection_claims`: 价保 refunds, at most one per order item (a unique order_item_id).
New tables only: nothing existing moves.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# This file keeps its own copy of the vocabularies (shop.models): a migration must not change
# when the code does.
INVOICE_KIND = sa.Enum("normal", "special", name="invoicekind", native_enum=False, length=16)
TITLE_TYPE = sa.Enum("personal", "company", name="invoicetitletype", native_enum=False, length=16)
INVOICE_STATUS = sa.Enum(
    "requested", "issued", "voided", name="invoicestatus", native_enum=False, length=16
)
PRICE_KIND = sa.Enum(
    "regular", "flash_sale", "live_stream", "coupon", name="pricekind", native_enum=False, length=16
)
CLAIM_STATUS = sa.Enum(
    "refunding", "refunded", name="priceclaimstatus", native_enum=False, length=16
)
MONEY = sa.Numeric(10, 2)


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", INVOICE_KIND, nullable=False),
        sa.Column("title_type", TITLE_TYPE, nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("tax_no", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=100), nullable=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("status", INVOICE_STATUS, nullable=False),
        sa.Column("invoice_no", sa.String(length=32), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_invoices_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"], ["invoices.id"], name=op.f("fk_invoices_replaces_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("invoice_no", name=op.f("uq_invoices_invoice_no")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_order_id"), ["order_id"], unique=False)

    op.create_table(
        "price_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("kind", PRICE_KIND, nullable=False),
        sa.Column("label", sa.String(length=64), nullable=True),
        sa.Column("effective_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_price_changes_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_changes")),
    )
    with op.batch_alter_table("price_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_price_changes_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "price_protection_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("paid_price", MONEY, nullable=False),
        sa.Column("price_now", MONEY, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("status", CLAIM_STATUS, nullable=False),
        sa.Column("refund_channel", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("refund_by", sa.DateTime(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_price_protection_claims_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["order_item_id"],
            ["order_items.id"],
            name=op.f("fk_price_protection_claims_order_item_id_order_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_protection_claims")),
        sa.UniqueConstraint("order_item_id", name=op.f("uq_price_protection_claims_order_item_id")),
    )
    with op.batch_alter_table("price_protection_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_price_protection_claims_order_id"), ["order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("price_protection_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_protection_claims_order_id"))
    op.drop_table("price_protection_claims")
    with op.batch_alter_table("price_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_changes_product_id"))
    op.drop_table("price_changes")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_order_id"))
    op.drop_table("invoices")
