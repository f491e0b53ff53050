"""The storefront chat channel: shoppers send messages and receive pushed ones (SSE)."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field, field_validator

from api.deps import DbSession, Gateway
from api.fields import INT32_MAX, After, PlainText
from api.routing import ApiRoute
from conversations import queue, service
from conversations.models import Handler, Message

router = APIRouter(prefix="/api/chat", tags=["chat"], route_class=ApiRoute)
ConversationId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="chosen by the widget, e.g. a UUID")
]


class ShopperMessage(BaseModel):
    text: PlainText = Field(
        min_length=1, max_length=2000, description="what the shopper typed or saw"
    )
    payload: PlainText | None = Field(
        default=None,
        max_length=2000,
        description="what a clicked button sends to the bot instead (e.g. /request_human)",
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("消息不能为空 / the message is empty")
        return text.strip()


class Reply(BaseModel):
    text: str
    buttons: list[dict[str, Any]] = []


class ChatAnswer(BaseModel):
    replies: list[Reply]
    handled_by: Handler


class TranscriptMessage(BaseModel):
    id: int
    sender: str
    text: str
    buttons: list[dict[str, Any]]
    created_at: datetime


def transcript_message(message: Message) -> TranscriptMessage:
    return TranscriptMessage(
        id=message.id,
        sender=message.sender.value,
        text=message.text,
        buttons=message.buttons,
        created_at=message.created_at,
    )


@router.post("/{conversation_id}/messages", response_model=ChatAnswer)
async def send_message(
    conversation_id: ConversationId, message: ShopperMessage, gateway: Gateway
) -> ChatAnswer:
    """Store the shopper's message and return the bot's replies (none while an agent has it)."""
    answer = await gateway.shopper_message(conversation_id, message.text, message.payload)
    return ChatAnswer(
        replies=[Reply(text=r.text, buttons=r.buttons) for r in answer.replies],
        handled_by=answer.handled_by,
    )


@router.get("/{conversation_id}/messages", response_model=list[TranscriptMessage])
def transcript(
    conversation_id: ConversationId,
    session: DbSession,
    after: Annotated[After, Query()] = 0,
) -> list[TranscriptMessage]:
    """The conversation so far (after message `after`), oldest first."""
    return [transcript_message(m) for m in service.messages_after(session, conversation_id, after)]


class ChatStatusView(BaseModel):
    handled_by: Handler = Field(description="who answers now: the bot or a person")
    agent: str | None = Field(description="the agent answering, once one has answered")
    waiting_ahead: int | None = Field(
        description="while waiting for a person: the shoppers before this one"
    )


@router.get("/{conversation_id}/status", response_model=ChatStatusView)
def chat_status(conversation_id: ConversationId, session: DbSession) -> ChatStatusView:
    """Who answers the conversation now (the widget's header shows it)."""
    status = queue.chat_status(session, conversation_id)
    return ChatStatusView(
        handled_by=status.handled_by, agent=status.agent, waiting_ahead=status.waiting_ahead
    )


@router.get("/{conversation_id}/events", response_class=EventSourceResponse)
async def events(
    conversation_id: ConversationId,
    gateway: Gateway,
    after: Annotated[After, Query()] = 0,
    last_event_id: Annotated[str | None, Header(max_length=64)] = None,
) -> AsyncIterator[ServerSentEvent]:
    """Every new message of the conversation, pushed as it is stored.

    A client that reconnects (browsers send Last-Event-ID) receives what it missed.
    """
    start = _event_id(last_event_id, after)
    async for message in gateway.stream(conversation_id, start):
        yield ServerSentEvent(
            id=str(message.id),
            event="message",
            data=transcript_message(message).model_dump(mode="json"),
        )


def _event_id(last_event_id: str | None, after: int) -> int:
    """Where a reconnecting stream resumes: the Last-Event-ID the browser sends if it is a
    message id (ASCII digits, within 32 bits), else `after`."""
    if last_event_id and last_event_id.isascii() and last_event_id.isdigit():
        resumed = int(last_event_id)
        if resumed <= INT32_MAX:
            return resumed
    return after
