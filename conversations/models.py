"""Tables of conversations: one row per conversation, every message, every escalation, and the
agent desk's private notes and saved replies."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import utcnow
from core.database import Base, UTCDateTime, enum_column


class Handler(StrEnum):
    BOT = "bot"
    HUMAN = "human"


class Sender(StrEnum):
    SHOPPER = "shopper"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"  # the gateway itself, e.g. when the bot is unreachable


class ConversationStatus(StrEnum):
    """Open until resolved (by an agent, or after a day idle: conversations.desk); a shopper's
    next message opens it again."""

    OPEN = "open"
    RESOLVED = "resolved"


class EscalationStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    RESOLVED = "resolved"


class EscalationReason(StrEnum):
    """Why a conversation went to a person; `Escalation.reason_detail` says which one."""

    SHOPPER_ASKED = "shopper_asked"
    COMPLAINT = "complaint"
    BOT_DID_NOT_UNDERSTAND = "bot_did_not_understand"
    NEEDS_AGENT = "needs_agent"  # a need the bot does not serve; detail: the intent
    REPAIR = "repair"
    REMEDY_APPROVAL = "remedy_approval"  # detail: the case kind
    CHANGE_FAILED = "change_failed"  # an order change that could not be applied; detail: field
    CASE_OVERDUE = "case_overdue"  # detail: the case kind


# The vocabulary of `Escalation.reason_detail` for the reasons whose detail is a domain enum
# (by the enum's name, as in core.events.EVENT_SPECS; `needs_agent` holds a Rasa intent).
REASON_DETAIL_VOCABULARY = {
    EscalationReason.REMEDY_APPROVAL: "CaseKind",
    EscalationReason.CASE_OVERDUE: "CaseKind",
    EscalationReason.CHANGE_FAILED: "ChangeField",
}


class Conversation(Base):
    __tablename__ = "conversations"
    # conversations.desk.resolve_idle: the open ones, least recently active first
    __table_args__ = (
        Index("ix_conversations_status_last_message_at", "status", "last_message_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), default="storefront")
    handled_by: Mapped[Handler] = mapped_column(enum_column(Handler, 16), default=Handler.BOT)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # sha256 (hex) of the secret the shopper got with the id (conversations.service.issue);
    # NULL for conversations stored before issue #14 or started by the bot's side: no shopper
    # route reaches those
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[ConversationStatus] = mapped_column(
        enum_column(ConversationStatus, 16), default=ConversationStatus.OPEN, server_default="open"
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the latest resolution

    messages: Mapped[list["Message"]] = relationship(order_by="Message.id")
    escalations: Mapped[list["Escalation"]] = relationship(order_by="Escalation.id")


class Message(Base):
    """One message of the transcript, in the order it was stored."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    sender: Mapped[Sender] = mapped_column(enum_column(Sender, 16))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Escalation(Base):
    """A conversation handed to a human, with the reason and the verified order if any."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    reason: Mapped[EscalationReason] = mapped_column(enum_column(EscalationReason, 32))
    reason_detail: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    order_no: Mapped[str | None] = mapped_column(String(24))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("logistics_cases.id"))
    status: Mapped[EscalationStatus] = mapped_column(
        enum_column(EscalationStatus, 16), default=EscalationStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


NOTE_MAX = 1000
SAVED_TITLE_MAX = 40
SAVED_TEXT_MAX = 1000


class DeskNote(Base):
    """An agent's private note on a conversation: never shown to the shopper."""

    __tablename__ = "desk_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(NOTE_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavedReply(Base):
    """A reply the team saved for reuse (a canned answer), by its unique title."""

    __tablename__ = "saved_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(SAVED_TITLE_MAX), unique=True)
    text: Mapped[str] = mapped_column(String(SAVED_TEXT_MAX))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
