"""The table of the bot's corrections: a shopper message the bot misunderstood, marked by an
agent with the intent or FAQ topic it should have had (conversations.corrections)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.database import Base, UTCDateTime

TEXT_MAX = 500  # the message's text, copied: the export must not depend on the transcript
LABEL_MAX = 64  # an intent name or an FAQ entry id
AUTHOR_MAX = 64


class Correction(Base):
    """One correction per message (`message_id` is unique): a later one replaces it in place."""

    __tablename__ = "bot_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    intent: Mapped[str] = mapped_column(String(LABEL_MAX))  # `faq` when a topic is given
    faq_topic: Mapped[str | None] = mapped_column(String(LABEL_MAX))
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    author: Mapped[str] = mapped_column(String(AUTHOR_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced: Mapped[int] = mapped_column(default=0)  # how many times a later one replaced it
