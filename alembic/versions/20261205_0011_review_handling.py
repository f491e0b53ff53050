"""What is done about negative reviews: offers, replies, contacts; the review's product name.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

`review_offers`: each step of a review's compensation ladder, unique by (review, step).
`review_replies`: one public reply per review. `review_contacts`: agents' contacts with the
customer (append-only). `reviews.product_name`: the product as the platform names it. New
tables and a new nullable column only.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Own copies of the vocabularies (reviews.offers, reviews.models): a migration must not change
# when the code does.
REMEDY = sa.Enum(
    "coupon",
    "apology",
    "reship",
    "exchange",
    "return_refund",
    "refund",
    "partial_refund",
    "price_difference",
    name="remedy",
    native_enum=False,
    length=32,
)
OFFER_STATE = sa.Enum(
    "drafted",
    "approved",
    "rejected",
    "accepted",
    "declined",
    name="offerstate",
    native_enum=False,
    length=16,
)
REPLY_STATE = sa.Enum(
    "drafted", "approved", "rejected", name="replystate", native_enum=False, length=16
)


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("product_name", sa.String(length=128), nullable=True))
    op.create_table(
        "review_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=24), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("last_step", sa.Boolean(), nullable=False),
        sa.Column("remedy", REMEDY, nullable=False),
        sa.Column("coupon", sa.Numeric(12, 2), nullable=False),
        sa.Column("refund", sa.Numeric(12, 2), nullable=True),
        sa.Column("compensation", sa.Numeric(12, 2), nullable=True),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("why", sa.JSON(), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.Column("message_violations", sa.JSON(), nullable=False),
        sa.Column("state", OFFER_STATE, nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_offers_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_offers")),
        sa.UniqueConstraint("review_id", "step", name=op.f("uq_review_offers_review_id")),
    )
    for name in ("review_id", "order_no", "customer_id", "state", "decided_at"):
        op.create_index(op.f(f"ix_review_offers_{name}"), "review_offers", [name])
    op.create_table(
        "review_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("problem", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("state", REPLY_STATE, nullable=False),
        sa.Column("edited_by", sa.String(length=64), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_replies_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_replies")),
        sa.UniqueConstraint("review_id", name=op.f("uq_review_replies_review_id")),
    )
    op.create_index(op.f("ix_review_replies_state"), "review_replies", ["state"])
    op.create_index(op.f("ix_review_replies_problem"), "review_replies", ["problem"])
    op.create_table(
        "review_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("agent", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("contacted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_contacts_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_contacts")),
    )
    op.create_index(op.f("ix_review_contacts_review_id"), "review_contacts", ["review_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_review_contacts_review_id"), table_name="review_contacts")
    op.drop_table("review_contacts")
    op.drop_index(op.f("ix_review_replies_problem"), table_name="review_replies")
    op.drop_index(op.f("ix_review_replies_state"), table_name="review_replies")
    op.drop_table("review_replies")
    for name in ("review_id", "order_no", "customer_id", "state", "decided_at"):
        op.drop_index(op.f(f"ix_review_offers_{name}"), table_name="review_offers")
    op.drop_table("review_offers")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("product_name")
