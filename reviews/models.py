"""Tables of the review module: reviews as imported, and their analyses."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import utcnow
from core.database import Base, UTCDateTime


class Review(Base):
    """One review as the platform gave it; (platform, platform_review_id) is unique."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("platform", "platform_review_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_review_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str | None] = mapped_column(String(64), index=True)
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
