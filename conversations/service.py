"""What happens in a conversation: messages stored in order, handoff to a human and back.

Every change is also recorded as a named event (message.received, message.sent,
conversation.handed_off, conversation.handed_back) for the reports.
"""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from conversations.models import (
    Conversation,
    ConversationStatus,
    Escalation,
    EscalationReason,
    EscalationStatus,
    Handler,
    Message,
    Sender,
)
from core.clock import utcnow
from core.events import Actor, EventName, record_event

MAX_TEXT = 2000
ID_BYTES = 24  # 192 random bits: 32 URL-safe characters, within the id column's 64
SECRET_BYTES = 32  # 256 random bits


class NotWithAgentError(ValueError):
    """An agent tried to reply in a conversation the bot is handling."""


@dataclass(frozen=True)
class Issued:
    """A conversation issued to a shopper: its id, and the secret only its owner holds."""

    id: str
    secret: str


def secret_hash(secret: str) -> str:
    """What is stored of a conversation's secret: a random token, not a password, so one
    sha256 suffices."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


_NO_HASH = secret_hash("")  # compared against when there is nothing to compare


def issue(session: Session, channel: str = "storefront") -> Issued:
    """Start a conversation under an unguessable id; only the secret's hash is stored."""
    issued = Issued(secrets.token_urlsafe(ID_BYTES), secrets.token_urlsafe(SECRET_BYTES))
    _start(session, issued.id, channel, secret_hash(issued.secret))
    return issued


def owns(session: Session, conversation_id: str, secret: str | None) -> bool:
    """Whether `secret` is the conversation's secret: False for an unknown id, a missing or
    wrong secret, and a conversation stored without one (before issue #14, or started by the
    bot's side). The hashes are compared in constant time."""
    conversation = session.get(Conversation, conversation_id)
    stored = conversation.secret_hash if conversation is not None else None
    given = secret_hash(secret) if secret else _NO_HASH
    same = secrets.compare_digest(given.encode(), (stored or _NO_HASH).encode())
    return same and stored is not None and bool(secret)


def get_or_start(
    session: Session, conversation_id: str, channel: str = "storefront"
) -> Conversation:
    """The conversation, started without a secret if it is not stored yet (the bot's side and
    the agents reach every conversation; shoppers only those issued to them)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = _start(session, conversation_id, channel, None)
    return conversation


def _start(
    session: Session, conversation_id: str, channel: str, hashed: str | None
) -> Conversation:
    conversation = Conversation(
        id=conversation_id, channel=channel, handled_by=Handler.BOT, secret_hash=hashed
    )
    session.add(conversation)
    session.flush()
    record_event(
        session,
        EventName.CONVERSATION_STARTED,
        conversation_id,
        conversation_id=conversation_id,
        payload={"channel": channel},
    )
    return conversation


def add_message(
    session: Session,
    conversation: Conversation,
    sender: Sender,
    text: str,
    buttons: Sequence[dict[str, Any]] = (),
    agent: str | None = None,
) -> Message:
    """Append a message to the transcript (text cut to MAX_TEXT characters); an agent's
    message names the agent."""
    message = Message(
        conversation_id=conversation.id,
        sender=sender,
        text=text[:MAX_TEXT],
        buttons=list(buttons),
        created_at=utcnow(),
    )
    session.add(message)
    conversation.last_message_at = message.created_at
    if sender == Sender.SHOPPER:  # a resolved conversation opens again when the shopper writes
        conversation.status = ConversationStatus.OPEN
    session.flush()
    name = EventName.MESSAGE_RECEIVED if sender == Sender.SHOPPER else EventName.MESSAGE_SENT
    record_event(
        session,
        name,
        conversation.id,
        conversation_id=conversation.id,
        actor=Actor(sender.value),
        agent=agent,
        payload={"message_id": message.id},
        occurred_at=message.created_at,
    )
    return message


def post(
    session: Session,
    conversation_id: str,
    sender: Sender,
    text: str,
    buttons: Sequence[dict[str, Any]] = (),
) -> Message:
    """Add a message outside a shopper's turn (a follow-up, the gateway's own line), starting
    the conversation if needed."""
    return add_message(session, get_or_start(session, conversation_id), sender, text, buttons)


def offered_payloads(session: Session, conversation_id: str) -> set[str]:
    """The payloads of the buttons in the answer to the shopper's latest message (the bot's or
    the system's messages since): the only payloads a shopper's click may send to the bot."""
    in_conversation = Message.conversation_id == conversation_id
    last_shopper = (
        select(func.coalesce(func.max(Message.id), 0))
        .where(in_conversation, Message.sender == Sender.SHOPPER)
        .scalar_subquery()
    )
    answer = session.scalars(
        select(Message.buttons).where(
            in_conversation, Message.sender != Sender.SHOPPER, Message.id > last_shopper
        )
    )
    return {str(b["payload"]) for buttons in answer for b in buttons or [] if b.get("payload")}


def messages_after(session: Session, conversation_id: str, after_id: int = 0) -> list[Message]:
    """The transcript from the message after `after_id` on, oldest first."""
    return list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after_id)
            .order_by(Message.id)
        )
    )


def hand_over(
    session: Session,
    conversation_id: str,
    reason: EscalationReason,
    reason_detail: str | None = None,
    detail: str | None = None,
    order_no: str | None = None,
    case_id: int | None = None,
) -> Escalation:
    """Give the conversation to a human; an already open escalation is reused, not doubled.

    `reason_detail` says which one (the intent, the case kind, the field); `detail` is what
    the shopper said or asked for; `case_id` the logistics case the escalation is about.
    """
    conversation = get_or_start(session, conversation_id)
    open_one = next(
        (e for e in conversation.escalations if e.status != EscalationStatus.RESOLVED), None
    )
    conversation.handled_by = Handler.HUMAN
    conversation.status = ConversationStatus.OPEN  # with a person: open, whoever started it
    if open_one is not None:
        open_one.order_no = open_one.order_no or order_no
        open_one.case_id = open_one.case_id or case_id
        return open_one
    escalation = Escalation(
        conversation_id=conversation_id,
        reason=reason,
        reason_detail=reason_detail,
        detail=detail[:MAX_TEXT] if detail else None,
        order_no=order_no,
        case_id=case_id,
        status=EscalationStatus.OPEN,
        created_at=utcnow(),
    )
    conversation.escalations.append(escalation)
    session.flush()
    record_event(
        session,
        EventName.CONVERSATION_HANDED_OFF,
        conversation_id,
        conversation_id=conversation_id,
        cause=reason,
        order_no=order_no,
        payload={"reason_detail": reason_detail, "escalation_id": escalation.id},
        occurred_at=escalation.created_at,
    )
    return escalation


def agent_reply(session: Session, conversation_id: str, agent: str, text: str) -> Message:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.handled_by != Handler.HUMAN:
        raise NotWithAgentError(f"conversation {conversation_id} is not with an agent")
    for escalation in conversation.escalations:
        if escalation.status == EscalationStatus.OPEN:
            escalation.status = EscalationStatus.TAKEN
            escalation.taken_by = agent
    return add_message(session, conversation, Sender.AGENT, text, agent=agent)


def hand_back(session: Session, conversation_id: str, agent: str) -> None:
    """The agent is done: escalations resolved, the bot answers again."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(f"conversation {conversation_id} not found")
    now = utcnow()
    opened = [e for e in conversation.escalations if e.status != EscalationStatus.RESOLVED]
    for escalation in opened:
        escalation.status = EscalationStatus.RESOLVED
        escalation.taken_by = escalation.taken_by or agent
        escalation.resolved_at = now
    conversation.handled_by = Handler.BOT
    record_event(
        session,
        EventName.CONVERSATION_HANDED_BACK,
        conversation_id,
        conversation_id=conversation_id,
        actor=Actor.AGENT,
        agent=agent,
        value=(now - opened[0].created_at).total_seconds() if opened else None,
        occurred_at=now,
    )
