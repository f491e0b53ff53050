"""The agent desk: open escalations with their whole context, replies, and handing back."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from api.deps import AdminName, DbSession, Gateway
from api.fields import PlainText
from api.routes.chat import ConversationId, TranscriptMessage, transcript_message
from api.routing import ApiRoute, errors
from conversations.models import (
    REASON_DETAIL_VOCABULARY,
    Conversation,
    Escalation,
    EscalationReason,
    EscalationStatus,
    Handler,
)
from conversations.service import NotWithAgentError
from reviews.reply_check import ViolationKind, check_private_text
from shop.case_questions import chases
from shop.models import CaseKind, CaseStatus, LogisticsCase, Remedy
from words.checks import violation_text
from words.render import label, label_in

router = APIRouter(prefix="/api/agent", tags=["agent desk"], route_class=ApiRoute)


class EscalationView(BaseModel):
    id: int
    conversation_id: str
    reason: EscalationReason
    reason_label: str = Field(description="the reason as agents read it")
    reason_detail: str | None = Field(description="which one: the intent, the case kind, …")
    reason_detail_label: str | None = Field(description="the detail as agents read it")
    case_id: int | None = Field(description="the logistics case the escalation is about")
    detail: str | None
    order_no: str | None
    status: EscalationStatus
    created_at: datetime
    taken_by: str | None


class ConversationView(BaseModel):
    id: str
    handled_by: Handler
    escalations: list[EscalationView]
    messages: list[TranscriptMessage]


class CaseView(BaseModel):
    id: int
    order_no: str
    kind: CaseKind
    kind_label: str
    carrier: str | None
    tracking_no: str | None
    remedies: list[Remedy]
    remedy_labels: list[str]
    detail: str | None
    conversation_id: str | None
    opened_at: datetime
    reply_by: datetime
    chased: int = Field(default=0, description="times the shopper asked to hurry it")


class AgentMessage(BaseModel):
    text: PlainText = Field(min_length=1, max_length=2000)


def _escalation(e: Escalation) -> EscalationView:
    return EscalationView(
        id=e.id,
        conversation_id=e.conversation_id,
        reason=e.reason,
        reason_label=label(e.reason),
        reason_detail=e.reason_detail,
        reason_detail_label=_detail_label(e),
        case_id=e.case_id,
        detail=e.detail,
        order_no=e.order_no,
        status=e.status,
        created_at=e.created_at,
        taken_by=e.taken_by,
    )


def _detail_label(e: Escalation) -> str | None:
    vocabulary = REASON_DETAIL_VOCABULARY.get(e.reason)
    if vocabulary is None or e.reason_detail is None:
        return e.reason_detail
    return label_in(vocabulary, e.reason_detail)


def _case(c: LogisticsCase, chased: int = 0) -> CaseView:
    remedies = [Remedy(r) for r in c.remedies]
    return CaseView(
        id=c.id,
        order_no=c.order.order_no,
        kind=c.kind,
        kind_label=label(c.kind),
        carrier=c.carrier,
        tracking_no=c.tracking_no,
        remedies=remedies,
        remedy_labels=[label(r) for r in remedies],
        detail=c.detail,
        conversation_id=c.conversation_id,
        opened_at=c.opened_at,
        reply_by=c.reply_by,
        chased=chased,
    )


@router.get("/escalations", response_model=list[EscalationView])
def escalations(
    session: DbSession,
    _agent: AdminName,
    state: Annotated[EscalationStatus, Query(alias="status")] = EscalationStatus.OPEN,
) -> list[EscalationView]:
    """Escalations in one state, oldest first (the queue agents work through)."""
    rows = session.scalars(
        select(Escalation).where(Escalation.status == state).order_by(Escalation.id)
    )
    return [_escalation(e) for e in rows]


@router.get("/cases", response_model=list[CaseView])
def open_cases(session: DbSession, _agent: AdminName) -> list[CaseView]:
    """Open logistics cases, soonest promised answer first: what the logistics team works on."""
    rows = session.scalars(
        select(LogisticsCase)
        .where(LogisticsCase.status == CaseStatus.OPEN)
        .options(joinedload(LogisticsCase.order))
        .order_by(LogisticsCase.reply_by)
    ).all()
    chased = chases(session, [c.id for c in rows])
    return [_case(c, chased.get(c.id, 0)) for c in rows]


@router.get(
    "/conversations/{conversation_id}", response_model=ConversationView, responses=errors(404)
)
def conversation(
    conversation_id: ConversationId, session: DbSession, _agent: AdminName
) -> ConversationView:
    found = session.get(Conversation, conversation_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"conversation {conversation_id} not found")
    return ConversationView(
        id=found.id,
        handled_by=found.handled_by,
        escalations=[_escalation(e) for e in found.escalations],
        messages=[transcript_message(m) for m in found.messages],
    )


@router.post(
    "/conversations/{conversation_id}/messages",
    response_model=TranscriptMessage,
    responses=errors(409),
)
def reply(
    conversation_id: ConversationId, body: AgentMessage, gateway: Gateway, agent: AdminName
) -> TranscriptMessage:
    """Send the agent's reply to the shopper (pushed to the open chat window). A reply that
    ties anything to a review (好评返现, 改评后退款 …) is refused: inducing reviews is illegal."""
    inducing = [v for v in check_private_text(body.text) if v.kind is ViolationKind.INDUCEMENT]
    if inducing:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, [violation_text(v) for v in inducing]
        )
    try:
        message = gateway.agent_reply(conversation_id, agent, body.text)
    except NotWithAgentError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return transcript_message(message)


@router.post(
    "/conversations/{conversation_id}/hand-back",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(404),
)
def hand_back(conversation_id: ConversationId, gateway: Gateway, agent: AdminName) -> None:
    """The agent is done; the bot answers the shopper again."""
    try:
        gateway.hand_back(conversation_id, agent)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
