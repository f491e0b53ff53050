"""Tables of the FAQ knowledge base: the live entries and the append-only history of edits."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.database import Base, UTCDateTime
from core.events import AppendOnly


class FaqEntry(Base):
    """One question with its paraphrases and answer, as the bot and the help page use it."""

    __tablename__ = "faq_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(String(200))
    variants: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    # Answers that replace `answer` for a product category code (e.g. fresh food).
    category_answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The category codes the entry is about when only some (FaqEntryData.scope); empty: all.
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class FaqRevision(AppendOnly, Base):
    """Who changed which entry, when, and what it became (append-only)."""

    __tablename__ = "faq_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))  # created | updated | deleted
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
