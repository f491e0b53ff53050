"""The agent desk: the inbox, taking and releasing, the whole context, replies, private notes,
saved replies and canned answers, handing back and resolving (conversations.desk)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Annotated, TypeVar

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accounts.models import Area, Staff
from api.deps import DbSession, DeskStaff, Gateway, RecordsStaff
from api.fields import Id, PlainText
from api.routes.chat import ConversationId, TranscriptMessage, transcript_message
from api.routing import ApiRoute, errors
from conversations import desk, service
from conversations.desk import CannedKind, DeskRefusal, DeskRefusedError, Mood
from conversations.models import (
    NOTE_MAX,
    REASON_DETAIL_VOCABULARY,
    SAVED_TEXT_MAX,
    SAVED_TITLE_MAX,
    Conversation,
    ConversationStatus,
    DeskNote,
    Escalation,
    EscalationReason,
    EscalationStatus,
    Handler,
    SavedReply,
    Sender,
)
from conversations.service import NotWithAgentError
from core.clock import utcnow
from core.database import unit_of_work
from reviews.reply_check import (
    PERSONAL_DATA_MASK,
    ViolationKind,
    check_private_text,
    mask_personal_data,
)
from shop.case_questions import chases
from shop.models import (
    AfterSaleKind,
    AfterSaleStatus,
    CaseKind,
    CaseStatus,
    LogisticsCase,
    OrderStatus,
    Remedy,
    ShipmentStatus,
)
from shop.regions import province
from words import desk as desk_words
from words.checks import violation_text
from words.render import label, label_in, phrase

NOT_WITH_PERSON = "这个会话现在由机器人接待，请先接入再回复"
_M = TypeVar("_M", bound=BaseModel)

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
    status: ConversationStatus
    status_label: str
    taken_by: str | None = Field(description="the agent who has it now, if any")
    waiting: bool = Field(description="waiting for a person: nobody has taken it yet")
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
    _staff: DeskStaff,
    state: Annotated[EscalationStatus, Query(alias="status")] = EscalationStatus.OPEN,
) -> list[EscalationView]:
    """Escalations in one state, oldest first (the queue agents work through)."""
    rows = session.scalars(
        select(Escalation).where(Escalation.status == state).order_by(Escalation.id)
    )
    return [_escalation(e) for e in rows]


@router.get("/cases", response_model=list[CaseView])
def open_cases(session: DbSession, _staff: DeskStaff) -> list[CaseView]:
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
    conversation_id: ConversationId, session: DbSession, staff: RecordsStaff
) -> ConversationView:
    """The conversation with its transcript; for a reader outside the desk (a manager's
    drill-down) personal data in the shoppers' words is masked."""
    found = session.get(Conversation, conversation_id)
    if found is None:
        missing = f"没有这个会话 / conversation {conversation_id} not found"
        raise HTTPException(status.HTTP_404_NOT_FOUND, missing)
    current = desk.current_escalation(session, conversation_id)
    view = ConversationView(
        id=found.id,
        handled_by=found.handled_by,
        status=found.status,
        status_label=label(found.status),
        taken_by=current.taken_by if current is not None else None,
        waiting=current is not None and current.status == EscalationStatus.OPEN,
        escalations=[_escalation(e) for e in found.escalations],
        messages=[transcript_message(m) for m in found.messages],
    )
    if staff.can(Area.DESK):
        return view
    return view.model_copy(
        update={
            "messages": [_masked(m, "text") for m in view.messages],
            "escalations": [_masked(e, "detail") for e in view.escalations],
        }
    )


def _masked(model: _M, field: str) -> _M:
    """`model` with its text `field` masked of personal data."""
    value = getattr(model, field)
    return model if value is None else model.model_copy(update={field: mask_personal_data(value)})


@router.post(
    "/conversations/{conversation_id}/messages",
    response_model=TranscriptMessage,
    responses=errors(404, 409),
)
def reply(
    conversation_id: ConversationId, body: AgentMessage, gateway: Gateway, staff: DeskStaff
) -> TranscriptMessage:
    """Send the agent's reply to the shopper (pushed to the open chat window). A conversation
    still waiting is taken first (conversation.taken); one another agent has is refused (409)
    unless a supervisor answers. A reply that ties anything to a review (好评返现, 改评后退款 …)
    is refused: inducing reviews is illegal."""
    inducing = [v for v in check_private_text(body.text) if v.kind is ViolationKind.INDUCEMENT]
    if inducing:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, [violation_text(v) for v in inducing]
        )
    with _refusals(), unit_of_work() as session:  # committed before the gateway's own
        desk.take_for_reply(session, conversation_id, staff.name, utcnow(), _supervises(staff))
    try:
        message = gateway.agent_reply(conversation_id, staff.name, body.text)
    except NotWithAgentError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, f"{NOT_WITH_PERSON} / {exc}") from exc
    return transcript_message(message)


@router.post(
    "/conversations/{conversation_id}/hand-back",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(404, 409),
)
def hand_back(conversation_id: ConversationId, gateway: Gateway, staff: DeskStaff) -> None:
    """The agent is done; the bot answers the shopper again. Another agent's conversation is
    refused (409) unless a supervisor hands it back."""
    with _refusals(), unit_of_work() as session:
        desk.check_may_act(session, conversation_id, staff.name, _supervises(staff))
        desk.check_with_person(session, conversation_id)  # the bot's own: nothing to hand back
    try:
        gateway.hand_back(conversation_id, staff.name)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"没有这个会话 / {exc}") from exc


# --- the desk: inbox, take, release, resolve, notes, saved replies, canned, order -----------

_REFUSAL_STATUS = {
    DeskRefusal.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    DeskRefusal.BAD_TEXT: status.HTTP_422_UNPROCESSABLE_CONTENT,
    DeskRefusal.INDUCEMENT: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


@contextmanager
def _refusals() -> Iterator[None]:
    """A desk refusal as its answer: 404 not found, 422 bad text, else 409 (the state)."""
    try:
        yield
    except DeskRefusedError as exc:
        code = _REFUSAL_STATUS.get(exc.refusal, status.HTTP_409_CONFLICT)
        raise HTTPException(code, desk_words.refusal(exc)) from exc


def _supervises(staff: Staff) -> bool:
    """A supervisor may act on a conversation another agent has."""
    return staff.can(Area.SUPERVISE)


class CaseRefView(BaseModel):
    id: int
    kind: CaseKind
    kind_label: str
    reply_by: datetime


class InboxItemView(BaseModel):
    conversation_id: str
    escalation_id: int
    status: EscalationStatus = Field(
        description="open: waiting for a person; taken: an agent has it"
    )
    status_label: str
    taken_by: str | None
    mine: bool = Field(description="taken by the agent asking")
    reason: EscalationReason
    reason_label: str
    reason_detail_label: str | None
    detail: str | None = Field(description="what the shopper said or asked for")
    handed_off_at: datetime
    waiting_seconds: float | None = Field(
        description="open: since the handoff; taken: since the oldest unanswered message"
    )
    last_shopper_text: str | None = Field(description="the start of the latest message")
    last_message_at: datetime
    unanswered: int = Field(description="the shopper's messages since a person last replied")
    mood: Mood
    mood_label: str
    mood_cue: str | None = Field(description="the shopper's words that show the mood")
    order_no: str | None = Field(description="the order verified in the conversation")
    open_case: CaseRefView | None


def _inbox_item(item: desk.InboxItem, staff: Staff, now: datetime) -> InboxItemView:
    e = item.escalation
    case = item.open_case
    return InboxItemView(
        conversation_id=item.conversation_id,
        escalation_id=e.id,
        status=e.status,
        status_label=label(e.status),
        taken_by=e.taken_by,
        mine=e.taken_by == staff.name,
        reason=e.reason,
        reason_label=label(e.reason),
        reason_detail_label=_detail_label(e),
        detail=e.detail,
        handed_off_at=e.created_at,
        waiting_seconds=(
            max((now - item.waiting_since).total_seconds(), 0.0) if item.waiting_since else None
        ),
        last_shopper_text=item.last_shopper_text,
        last_message_at=item.last_message_at,
        unanswered=item.unanswered,
        mood=item.mood.mood,
        mood_label=label(item.mood.mood),
        mood_cue=desk_words.mood_cue(item.mood),
        order_no=item.order_no,
        open_case=(
            CaseRefView(
                id=case.id, kind=case.kind, kind_label=label(case.kind), reply_by=case.reply_by
            )
            if case is not None
            else None
        ),
    )


@router.get("/inbox", response_model=list[InboxItemView])
def inbox(session: DbSession, staff: DeskStaff) -> list[InboxItemView]:
    """Conversations waiting for a person (longest waiting first), then those agents have,
    each with the reason, the wait, the shopper's mood, the verified order and any open case."""
    now = utcnow()
    return [_inbox_item(item, staff, now) for item in desk.inbox(session)]


class TakenView(BaseModel):
    conversation_id: str
    agent: str
    waited_seconds: float
    already: bool = Field(description="the agent had taken it before")


@router.post(
    "/conversations/{conversation_id}/take", response_model=TakenView, responses=errors(404, 409)
)
def take(conversation_id: ConversationId, session: DbSession, staff: DeskStaff) -> TakenView:
    """Take a conversation waiting for a person. Of two agents taking it at once, one does;
    the other gets 409 with who has it."""
    with _refusals():
        taken = desk.take(session, conversation_id, staff.name, utcnow())
    return TakenView(
        conversation_id=taken.conversation_id,
        agent=taken.agent,
        waited_seconds=taken.waited_seconds,
        already=taken.already,
    )


@router.post(
    "/conversations/{conversation_id}/release",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(404, 409),
)
def release(conversation_id: ConversationId, session: DbSession, staff: DeskStaff) -> None:
    """Put the conversation back in the inbox for another agent (a supervisor may release
    anyone's); the shopper keeps waiting for a person."""
    with _refusals():
        desk.release(session, conversation_id, staff.name, _supervises(staff))


@router.post(
    "/conversations/{conversation_id}/resolve",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(404, 409),
)
def resolve(conversation_id: ConversationId, gateway: Gateway, staff: DeskStaff) -> None:
    """Resolve the conversation: a person's part ends (the shopper is told the bot answers
    again) and conversation.resolved is recorded; the shopper's next message opens it again."""
    with _refusals(), unit_of_work() as session:
        resolved = desk.resolve(session, conversation_id, staff.name, utcnow(), _supervises(staff))
        if resolved.was_with_person:
            service.post(session, conversation_id, Sender.SYSTEM, phrase("handed_back"))
    gateway.signal.notify(conversation_id)


class NoteView(BaseModel):
    id: int
    author: str
    text: str
    created_at: datetime


class NewNote(BaseModel):
    text: PlainText = Field(min_length=1, max_length=NOTE_MAX)


def _note(note: DeskNote) -> NoteView:
    return NoteView(id=note.id, author=note.author, text=note.text, created_at=note.created_at)


@router.get(
    "/conversations/{conversation_id}/notes", response_model=list[NoteView], responses=errors(404)
)
def notes(
    conversation_id: ConversationId, session: DbSession, staff: RecordsStaff
) -> list[NoteView]:
    """The agents' private notes on the conversation, oldest first (never shown to shoppers;
    personal data masked for a reader outside the desk)."""
    with _refusals():
        found = [_note(n) for n in desk.notes(session, conversation_id)]
    return found if staff.can(Area.DESK) else [_masked(n, "text") for n in found]


@router.post(
    "/conversations/{conversation_id}/notes",
    response_model=NoteView,
    status_code=status.HTTP_201_CREATED,
    responses=errors(404),
)
def add_note(
    conversation_id: ConversationId, body: NewNote, session: DbSession, staff: DeskStaff
) -> NoteView:
    """Add a private note (at most 1000 characters) for the agents."""
    with _refusals():
        return _note(desk.add_note(session, conversation_id, staff.name, body.text, utcnow()))


class SavedReplyView(BaseModel):
    id: int
    title: str
    text: str
    created_by: str
    created_at: datetime


class NewSavedReply(BaseModel):
    title: PlainText = Field(min_length=1, max_length=SAVED_TITLE_MAX)
    text: PlainText = Field(min_length=1, max_length=SAVED_TEXT_MAX)


def _saved(reply: SavedReply) -> SavedReplyView:
    return SavedReplyView(
        id=reply.id,
        title=reply.title,
        text=reply.text,
        created_by=reply.created_by,
        created_at=reply.created_at,
    )


Words = Annotated[PlainText, Query(max_length=desk.QUERY_MAX, description="words to look for")]


@router.get("/saved-replies", response_model=list[SavedReplyView])
def saved_replies(session: DbSession, _staff: DeskStaff, q: Words = "") -> list[SavedReplyView]:
    """The team's saved replies (those containing `q`), by title."""
    return [_saved(r) for r in desk.saved_replies(session, q)]


@router.post(
    "/saved-replies",
    response_model=SavedReplyView,
    status_code=status.HTTP_201_CREATED,
    responses=errors(409),
)
def create_saved_reply(body: NewSavedReply, session: DbSession, staff: DeskStaff) -> SavedReplyView:
    """Save a reply for the team: a unique title (at most 40 characters) and the text (at most
    1000); a text that ties anything to a review is refused."""
    with _refusals():
        return _saved(desk.create_saved_reply(session, body.title, body.text, staff.name, utcnow()))


@router.delete(
    "/saved-replies/{reply_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(404)
)
def delete_saved_reply(reply_id: Id, session: DbSession, _staff: DeskStaff) -> None:
    """Delete a saved reply of the team."""
    with _refusals():
        desk.delete_saved_reply(session, reply_id)


class CannedView(BaseModel):
    kind: CannedKind
    kind_label: str
    id: str = Field(description="the saved reply's id, or the FAQ entry's")
    title: str
    text: str = Field(description="what goes into the reply box")
    score: float | None = Field(description="the FAQ search's score (0-1)")


@router.get("/canned", response_model=list[CannedView])
def canned(session: DbSession, _staff: DeskStaff, q: Words = "") -> list[CannedView]:
    """Canned answers as the agent types: saved replies containing `q`, then FAQ answers."""
    return [
        CannedView(
            kind=c.kind,
            kind_label=label(c.kind),
            id=c.id,
            title=c.title,
            text=c.text,
            score=None if c.score is None else round(c.score, 3),
        )
        for c in desk.canned(session, q)
    ]


class OrderLineView(BaseModel):
    product: str
    variant: str
    sku: str
    quantity: int
    unit_price: Decimal


class ScanView(BaseModel):
    occurred_at: datetime
    location: str
    description: str


class ParcelView(BaseModel):
    carrier: str
    tracking_no: str
    status: ShipmentStatus
    status_label: str
    shipped_at: datetime
    delivered_at: datetime | None
    scans: list[ScanView] = Field(description="newest first")


class AfterSaleView(BaseModel):
    kind: AfterSaleKind
    kind_label: str
    status: AfterSaleStatus
    status_label: str
    reason: str
    amount: Decimal
    created_at: datetime
    refunded_at: datetime | None


class OrderCaseView(BaseModel):
    id: int
    kind: CaseKind
    kind_label: str
    status: CaseStatus
    status_label: str
    remedy_labels: list[str]
    detail: str | None
    opened_at: datetime
    reply_by: datetime
    resolved_at: datetime | None
    chased: int


class OrderContextView(BaseModel):
    order_no: str
    status: OrderStatus
    status_label: str
    placed_at: datetime
    paid_at: datetime | None
    promised_ship_by: datetime
    promised_delivery_by: datetime | None
    payment_method: str
    total_amount: Decimal
    receiver_name: str
    phone_tail: str
    shipping_address: str
    lines: list[OrderLineView]
    parcels: list[ParcelView]
    after_sales: list[AfterSaleView]
    cases: list[OrderCaseView]


class OrderBesideView(BaseModel):
    order: OrderContextView | None = Field(description="none: no order verified in the chat")


def _order_view(o: desk.OrderContext) -> OrderContextView:
    return OrderContextView(
        order_no=o.order_no,
        status=o.status,
        status_label=label(o.status),
        placed_at=o.placed_at,
        paid_at=o.paid_at,
        promised_ship_by=o.promised_ship_by,
        promised_delivery_by=o.promised_delivery_by,
        payment_method=o.payment_method,
        total_amount=o.total_amount,
        receiver_name=o.receiver_name,
        phone_tail=o.phone_tail,
        shipping_address=o.shipping_address,
        lines=[OrderLineView(**vars(line)) for line in o.lines],
        parcels=[
            ParcelView(
                carrier=p.carrier,
                tracking_no=p.tracking_no,
                status=p.status,
                status_label=label(p.status),
                shipped_at=p.shipped_at,
                delivered_at=p.delivered_at,
                scans=[ScanView(**vars(s)) for s in p.scans],
            )
            for p in o.parcels
        ],
        after_sales=[
            AfterSaleView(
                kind=a.kind,
                kind_label=label(a.kind),
                status=a.status,
                status_label=label(a.status),
                reason=a.reason,
                amount=a.amount,
                created_at=a.created_at,
                refunded_at=a.refunded_at,
            )
            for a in o.after_sales
        ],
        cases=[
            OrderCaseView(
                id=c.id,
                kind=c.kind,
                kind_label=label(c.kind),
                status=c.status,
                status_label=label(c.status),
                remedy_labels=[label(r) for r in c.remedies],
                detail=c.detail,
                opened_at=c.opened_at,
                reply_by=c.reply_by,
                resolved_at=c.resolved_at,
                chased=c.chased,
            )
            for c in o.cases
        ],
    )


@router.get(
    "/conversations/{conversation_id}/order",
    response_model=OrderBesideView,
    responses=errors(404),
)
def order_beside(
    conversation_id: ConversationId, session: DbSession, staff: RecordsStaff
) -> OrderBesideView:
    """The order verified in the conversation, beside the transcript: items, parcels with
    their scans, after-sales and logistics cases. A reader outside the desk sees no receiver:
    the name and phone masked, the address cut to its province."""
    with _refusals():
        found = desk.order_context(session, conversation_id)
    if found is None:
        return OrderBesideView(order=None)
    view = _order_view(found)
    if not staff.can(Area.DESK):
        view = view.model_copy(
            update={
                "receiver_name": PERSONAL_DATA_MASK,
                "phone_tail": PERSONAL_DATA_MASK,
                "shipping_address": f"{province(view.shipping_address) or ''}{PERSONAL_DATA_MASK}",
            }
        )
    return OrderBesideView(order=view)
