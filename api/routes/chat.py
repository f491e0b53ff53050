"""The storefront chat channel: shoppers send messages and receive pushed ones (SSE).

The server issues each conversation (`POST /api/chat`) with a secret; every other route answers
only the conversation's owner: the secret in the `X-Chat-Secret` header (API clients) or in the
HttpOnly cookie set when it was issued (the widget: a browser's EventSource sends no headers).
"""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    status,
)
from fastapi.security import APIKeyCookie, APIKeyHeader
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field, field_validator

from api.deps import DbSession, Gateway
from api.fields import INT32_MAX, After, PlainText
from api.limits import chat_messages, chat_starts, client_digest, per_client
from api.routing import ApiRoute, errors
from conversations import queue, service
from conversations.models import Handler, Message
from core.database import unit_of_work

router = APIRouter(
    prefix="/api/chat", tags=["chat"], route_class=ApiRoute, dependencies=[per_client]
)
ConversationId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="issued by POST /api/chat")
]

SECRET_HEADER = "X-Chat-Secret"
SECRET_COOKIE = "kefu_chat_secret"
COOKIE_PATH = "/api/chat/"
COOKIE_MAX_AGE_S = 30 * 24 * 3600  # the widget keeps its conversation across browser restarts
NOT_YOURS = (
    "会话不存在，或缺少/错误的会话密钥 / "
    "no such conversation, or its secret is missing or wrong (X-Chat-Secret)"
)
_secret_header = APIKeyHeader(
    name=SECRET_HEADER,
    auto_error=False,
    scheme_name="ChatSecretHeader",
    description="the conversation's secret, as POST /api/chat returned it",
)
_secret_cookie = APIKeyCookie(
    name=SECRET_COOKIE,
    auto_error=False,
    scheme_name="ChatSecretCookie",
    description="the conversation's secret, as POST /api/chat set it (the widget's way)",
)


def _own_conversation(
    conversation_id: ConversationId,
    header_secret: Annotated[str | None, Depends(_secret_header)],
    cookie_secret: Annotated[str | None, Depends(_secret_cookie)],
) -> str:
    """The conversation's id if the request carries its secret (the header before the
    cookie); the same 404 otherwise, whether or not the id exists."""
    secret = header_secret if header_secret is not None else cookie_secret
    with unit_of_work() as session:  # its own: an SSE stream must not hold a connection
        if service.owns(session, conversation_id, secret):
            return conversation_id
    raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_YOURS)


OwnConversation = Annotated[str, Depends(_own_conversation)]
"""A conversation whose secret the request carries (404 otherwise)."""


class NewConversation(BaseModel):
    id: str = Field(description="the conversation's id, for the URLs of the routes below")
    secret: str = Field(
        description=f"send it as the {SECRET_HEADER} header (the widget gets it as a cookie)"
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NewConversation,
    dependencies=[chat_starts],
)
def start_conversation(request: Request, response: Response, session: DbSession) -> NewConversation:
    """Start a conversation: its id and its secret, which every other chat route asks for.

    The secret is also set as an HttpOnly cookie for the chat routes, which the widget's
    requests and its EventSource send by themselves; only its hash is stored.
    """
    issued = service.issue(session)
    response.set_cookie(
        SECRET_COOKIE,
        issued.secret,
        max_age=COOKIE_MAX_AGE_S,
        path=COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return NewConversation(id=issued.id, secret=issued.secret)


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


@router.post(
    "/{conversation_id}/messages",
    response_model=ChatAnswer,
    responses=errors(404),
)
async def send_message(
    conversation_id: OwnConversation,
    _within_limit: Annotated[None, chat_messages],  # after the owner: a stranger counts nothing
    message: ShopperMessage,
    gateway: Gateway,
    client: Annotated[str, Depends(client_digest)],
) -> ChatAnswer:
    """Store the shopper's message and return the bot's replies (none while an agent has it)."""
    answer = await gateway.shopper_message(
        conversation_id, message.text, message.payload, client=client
    )
    return ChatAnswer(
        replies=[Reply(text=r.text, buttons=r.buttons) for r in answer.replies],
        handled_by=answer.handled_by,
    )


@router.get(
    "/{conversation_id}/messages", response_model=list[TranscriptMessage], responses=errors(404)
)
def transcript(
    conversation_id: OwnConversation,
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


@router.get("/{conversation_id}/status", response_model=ChatStatusView, responses=errors(404))
def chat_status(conversation_id: OwnConversation, session: DbSession) -> ChatStatusView:
    """Who answers the conversation now (the widget's header shows it)."""
    status = queue.chat_status(session, conversation_id)
    return ChatStatusView(
        handled_by=status.handled_by, agent=status.agent, waiting_ahead=status.waiting_ahead
    )


@router.get("/{conversation_id}/events", response_class=EventSourceResponse, responses=errors(404))
async def events(
    conversation_id: OwnConversation,
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
