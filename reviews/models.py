"""Tables of the review module: reviews as imported, their analyses, and what is done about
the negative ones (offers, replies, contacts)."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import utcnow
from core.database import Base, UTCDateTime, enum_column
from core.events import AppendOnly
from reviews.offers import OfferRemedy


class Review(Base):
    """One review as the platform gave it; (platform, platform_review_id) is unique."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("platform", "platform_review_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_review_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str | None] = mapped_column(String(64), index=True)
    product_name: Mapped[str | None] = mapped_column(String(128))
    sku: Mapped[str | None] = mapped_column(String(128))
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    follow_up_text: Mapped[str | None] = mapped_column(Text)
    images_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    analyses: Mapped[list["ReviewAnalysis"]] = relationship(
        back_populates="review", order_by="ReviewAnalysis.id"
    )


class ReviewAnalysis(Base):
    """What one model version found in one review."""

    __tablename__ = "review_analyses"
    __table_args__ = (UniqueConstraint("review_id", "model_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    negative: Mapped[bool] = mapped_column(Boolean, index=True)
    negative_score: Mapped[float] = mapped_column(Float)
    causes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sub_causes: Mapped[list[str]] = mapped_column(JSON, default=list)
    severity: Mapped[str] = mapped_column(String(16))
    severity_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model_version: Mapped[str] = mapped_column(String(64))
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    review: Mapped[Review] = relationship(back_populates="analyses")


class OfferState(StrEnum):
    DRAFTED = "drafted"  # waiting for an agent (or a supervisor, when it needs approval)
    APPROVED = "approved"  # may be put to the customer
    REJECTED = "rejected"  # not offered
    ACCEPTED = "accepted"  # the customer took it: the money counts against the caps
    DECLINED = "declined"  # the customer said no: the ladder's next step is drafted


class ReplyState(StrEnum):
    DRAFTED = "drafted"
    APPROVED = "approved"  # checked and approved: the shop may publish it
    REJECTED = "rejected"  # not published


MESSAGE_MAX = 1000  # characters of an offer's message to the customer
REPLY_MAX = 2000  # characters stored for a reply (the platform's limit is checked apart)


class ReviewOffer(Base):
    """One step of a review's compensation ladder, as drafted and then decided."""

    __tablename__ = "review_offers"
    __table_args__ = (UniqueConstraint("review_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    order_no: Mapped[str | None] = mapped_column(String(24), index=True)
    customer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    rule: Mapped[str] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer)
    last_step: Mapped[bool] = mapped_column(Boolean)
    remedy: Mapped[OfferRemedy] = mapped_column(enum_column(OfferRemedy, 32))
    coupon: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    refund: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # what counts against the caps once approved (None: a refund not known yet)
    compensation: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    needs_approval: Mapped[bool] = mapped_column(Boolean)
    why: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    message_violations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    state: Mapped[OfferState] = mapped_column(enum_column(OfferState, 16), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)  # two agents deciding at once: one loses

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)

    @property
    def amount(self) -> Decimal | None:
        """Money out: the coupon and any refund, None while a refund's size is not known."""
        return None if self.refund is None else self.coupon + self.refund


class ReviewReply(Base):
    """The public reply (回评) to a review: drafted, edited, approved or rejected."""

    __tablename__ = "review_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    problem: Mapped[str] = mapped_column(String(64), index=True)  # acknowledged: `cause.sub`
    text: Mapped[str] = mapped_column(String(REPLY_MAX))
    violations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    state: Mapped[ReplyState] = mapped_column(enum_column(ReplyState, 16), index=True)
    edited_by: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)  # two agents deciding at once: one loses

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class ReviewContact(AppendOnly, Base):
    """An agent's contact with the customer about a review (append-only)."""

    __tablename__ = "review_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    agent: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))  # chat, phone, sms, platform
    note: Mapped[str | None] = mapped_column(String(500))
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
