"""The agent desk: the inbox, taking and releasing a conversation, resolving it, private notes,
saved replies and canned answers, and the verified order beside the transcript.

Plain Python over the database: facts (frozen dataclasses, enums) out, refusals as
`DeskRefusedError` with a `DeskRefusal`; the words are rendered by `words.desk`.

Who has a conversation is its current (unresolved) escalation: OPEN while it waits for a
person, TAKEN by one agent (`taken_by`). Taking is one conditional UPDATE (`… WHERE status =
'open'`): of two agents taking the same conversation at once, on SQLite or PostgreSQL, exactly
one changes the row and the other is refused. Resolving and resolving idle conversations are
conditional UPDATEs of the conversation's status the same way, so each resolution is recorded
exactly once, in the same transaction as the change.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from conversations import service
from conversations.models import (
    NOTE_MAX,
    SAVED_TEXT_MAX,
    SAVED_TITLE_MAX,
    Conversation,
    ConversationStatus,
    DeskNote,
    Escalation,
    EscalationReason,
    EscalationStatus,
    Handler,
    Message,
    SavedReply,
    Sender,
)
from conversations.reading import is_conditional_request
from core.events import Actor, Event, EventName, record_event
from faq.service import faq_search
from reviews.lexicon import load_lexicon
from reviews.reply_check import Violation, ViolationKind, check_private_text
from shop.case_questions import chases
from shop.models import (
    AfterSaleKind,
    AfterSaleStatus,
    CaseKind,
    CaseStatus,
    LogisticsCase,
    Order,
    OrderItem,
    OrderStatus,
    Remedy,
    Shipment,
    ShipmentStatus,
    Variant,
)

IDLE_AFTER = timedelta(hours=24)  # an open conversation idle this long is resolved
INBOX_LIMIT = 200
MOOD_MESSAGES = 5  # the shopper's latest messages the mood is read from
PREVIEW_CHARS = 60
CANNED_MAX = 8
SAVED_IN_CANNED = 5
FAQ_IN_CANNED = 5
QUERY_MAX = 100


class DeskRefusal(StrEnum):
    NOT_FOUND = "not_found"  # no such conversation (or note, or saved reply)
    NOT_WAITING = "not_waiting"  # nobody asked for a person: the bot has it
    TAKEN_BY_OTHER = "taken_by_other"  # detail: who has it
    NOT_TAKEN = "not_taken"  # releasing what nobody has taken
    ALREADY_RESOLVED = "already_resolved"
    BAD_TEXT = "bad_text"  # detail: the limit
    TITLE_EXISTS = "title_exists"
    INDUCEMENT = "inducement"  # a saved reply that ties anything to a review


class DeskRefusedError(Exception):
    def __init__(self, refusal: DeskRefusal, detail: object = None) -> None:
        super().__init__(f"{refusal.value}: {detail}" if detail is not None else refusal.value)
        self.refusal = refusal
        self.detail = detail


class Mood(StrEnum):
    """How the shopper seems, read from what exists (see `mood_of`); never a guess of calm."""

    ANGRY = "angry"  # threatens to complain outside the shop (投诉, 12315, 曝光 …)
    UPSET = "upset"  # a complaint, a threat on a condition (不然我就退款), a safety problem
    NO_SIGN = "no_sign"  # nothing in the words shows either


@dataclass(frozen=True)
class MoodReading:
    mood: Mood
    cue: str | None  # the words that show it (the shopper's), if any


def mood_of(reason: EscalationReason | None, shopper_texts: list[str]) -> MoodReading:
    """The shopper's mood from the escalation's reason and the shopper's latest messages,
    with the review module's severity cues (reviews/cues.yaml): a threat to complain to the
    platform, 12315 or the press is ANGRY; a safety problem (过敏, 受伤 …), a threat on a
    condition (conversations.reading.is_conditional_request) or an escalation as a complaint
    is UPSET; otherwise NO_SIGN (the words show nothing, which is not the same as calm)."""
    lexicon = load_lexicon()
    upset: str | None = None
    for text in reversed(shopper_texts):  # the latest first
        cues = lexicon.severity_cues(text)
        if "complaint_threat" in cues:
            return MoodReading(Mood.ANGRY, cues["complaint_threat"])
        if upset is None and "safety" in cues:
            upset = cues["safety"]
        if upset is None and is_conditional_request(text):
            upset = text[:PREVIEW_CHARS]
    if upset is not None:
        return MoodReading(Mood.UPSET, upset)
    if reason is EscalationReason.COMPLAINT:
        return MoodReading(Mood.UPSET, None)
    return MoodReading(Mood.NO_SIGN, None)


@dataclass(frozen=True)
class CaseRef:
    id: int
    kind: CaseKind
    reply_by: datetime


@dataclass(frozen=True)
class InboxItem:
    """A conversation waiting for a person (OPEN) or taken by one (TAKEN)."""

    conversation_id: str
    escalation: Escalation  # the current one: reason, detail, handed over at, taken by
    waiting_since: datetime | None  # OPEN: the handoff; TAKEN: the oldest unanswered message
    last_shopper_text: str | None  # the start of it
    last_message_at: datetime
    unanswered: int  # the shopper's messages since a person last replied
    mood: MoodReading
    order_no: str | None  # the verified order, if any (verified_order_no)
    open_case: CaseRef | None


def current_escalation(session: Session, conversation_id: str) -> Escalation | None:
    """The conversation's unresolved escalation, read afresh from the database."""
    return session.scalars(
        select(Escalation)
        .where(
            Escalation.conversation_id == conversation_id,
            Escalation.status != EscalationStatus.RESOLVED,
        )
        .order_by(Escalation.id.desc())
        .execution_options(populate_existing=True)
    ).first()


_NOT_VERIFYING = (EventName.ORDER_VERIFICATION_FAILED, EventName.ORDER_VERIFICATION_LOCKED)


def verified_order_no(
    session: Session, conversation_id: str, escalation: Escalation | None = None
) -> str | None:
    """The order verified in the conversation: the one the bot handed over with (its
    `verified_order_no` slot, stored on the escalation), else the one of the latest event the
    conversation recorded on an order (a change, a return, a case …: the bot acts only on
    verified orders; a wrong phone tail or a lock is no verification)."""
    if escalation is not None and escalation.order_no:
        return escalation.order_no
    return session.scalar(
        select(Event.order_no)
        .where(
            Event.conversation_id == conversation_id,
            Event.order_no.is_not(None),
            Event.name.not_in(_NOT_VERIFYING),
        )
        .order_by(Event.id.desc())
        .limit(1)
    )


def _open_case(
    session: Session, conversation_id: str, escalation: Escalation | None, order_no: str | None
) -> LogisticsCase | None:
    """The open logistics case of the escalation, the conversation or the verified order."""
    about = LogisticsCase.conversation_id == conversation_id
    if escalation is not None and escalation.case_id is not None:
        about = about | (LogisticsCase.id == escalation.case_id)
    if order_no is not None:
        order_id = select(Order.id).where(Order.order_no == order_no).scalar_subquery()
        about = about | (LogisticsCase.order_id == order_id)
    return session.scalars(
        select(LogisticsCase)
        .where(LogisticsCase.status == CaseStatus.OPEN, about)
        .order_by(LogisticsCase.opened_at.desc())
        .limit(1)
    ).first()


def inbox(session: Session, limit: int = INBOX_LIMIT) -> list[InboxItem]:
    """Conversations waiting for a person (longest waiting first), then those taken."""
    rows = session.scalars(
        select(Escalation)
        .where(Escalation.status.in_((EscalationStatus.OPEN, EscalationStatus.TAKEN)))
        .order_by(Escalation.status, Escalation.created_at, Escalation.id)  # "open" < "taken"
        .limit(limit)
    ).all()
    return [_inbox_item(session, e) for e in rows]


def _inbox_item(session: Session, escalation: Escalation) -> InboxItem:
    conversation_id = escalation.conversation_id
    recent = list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id.desc())
            .limit(50)
        )
    )[::-1]
    shopper = [m for m in recent if m.sender == Sender.SHOPPER]
    unanswered = []
    for message in reversed(recent):
        if message.sender == Sender.AGENT:
            break
        if message.sender == Sender.SHOPPER:
            unanswered.append(message)
    if escalation.status == EscalationStatus.OPEN:
        waiting_since: datetime | None = escalation.created_at
    else:
        waiting_since = unanswered[-1].created_at if unanswered else None
    order_no = verified_order_no(session, conversation_id, escalation)
    case = _open_case(session, conversation_id, escalation, order_no)
    last = shopper[-1].text[:PREVIEW_CHARS] if shopper else None
    return InboxItem(
        conversation_id=conversation_id,
        escalation=escalation,
        waiting_since=waiting_since,
        last_shopper_text=last,
        last_message_at=recent[-1].created_at if recent else escalation.created_at,
        unanswered=len(unanswered),
        mood=mood_of(escalation.reason, [m.text for m in shopper[-MOOD_MESSAGES:]]),
        order_no=order_no,
        open_case=CaseRef(case.id, case.kind, case.reply_by) if case is not None else None,
    )


def _conversation(session: Session, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise DeskRefusedError(DeskRefusal.NOT_FOUND)
    return conversation


@dataclass(frozen=True)
class Taken:
    conversation_id: str
    agent: str
    waited_seconds: float
    already: bool  # the agent had taken it before: nothing changed


def take(session: Session, conversation_id: str, agent: str, now: datetime) -> Taken:
    """The agent takes the conversation waiting for a person; one conditional UPDATE, so of
    two agents taking it at once exactly one does, and the other is refused (TAKEN_BY_OTHER).
    Records conversation.taken (value: seconds waited since the handoff) once."""
    _conversation(session, conversation_id)
    taken = session.execute(
        update(Escalation)
        .where(
            Escalation.conversation_id == conversation_id,
            Escalation.status == EscalationStatus.OPEN,
        )
        .values(status=EscalationStatus.TAKEN, taken_by=agent)
        .execution_options(synchronize_session=False)
    )
    escalation = current_escalation(session, conversation_id)  # read again: the row as it is
    if escalation is None:
        raise DeskRefusedError(DeskRefusal.NOT_WAITING)
    waited = max((now - escalation.created_at).total_seconds(), 0.0)
    if taken.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult
        if escalation.taken_by == agent:
            return Taken(conversation_id, agent, waited, already=True)
        raise DeskRefusedError(DeskRefusal.TAKEN_BY_OTHER, escalation.taken_by)
    record_event(
        session,
        EventName.CONVERSATION_TAKEN,
        conversation_id,
        conversation_id=conversation_id,
        actor=Actor.AGENT,
        agent=agent,
        value=waited,
        payload={"escalation_id": escalation.id},
        occurred_at=now,
    )
    return Taken(conversation_id, agent, waited, already=False)


def release(session: Session, conversation_id: str, agent: str, override: bool = False) -> None:
    """The agent puts the conversation back in the inbox for another agent (a supervisor,
    `override`, may release anyone's). Conditional on the agent still having it."""
    _conversation(session, conversation_id)
    mine = Escalation.status == EscalationStatus.TAKEN
    if not override:
        mine = mine & (Escalation.taken_by == agent)
    released = session.execute(
        update(Escalation)
        .where(Escalation.conversation_id == conversation_id, mine)
        .values(status=EscalationStatus.OPEN, taken_by=None)
        .execution_options(synchronize_session=False)
    )
    if released.rowcount == 1:  # type: ignore[attr-defined]
        current_escalation(session, conversation_id)  # refresh what the session holds
        return
    escalation = current_escalation(session, conversation_id)
    if escalation is None:
        raise DeskRefusedError(DeskRefusal.NOT_WAITING)
    if escalation.status == EscalationStatus.OPEN:
        raise DeskRefusedError(DeskRefusal.NOT_TAKEN)
    raise DeskRefusedError(DeskRefusal.TAKEN_BY_OTHER, escalation.taken_by)


def check_may_act(
    session: Session, conversation_id: str, agent: str, override: bool = False
) -> Escalation | None:
    """Refuses (TAKEN_BY_OTHER) when another agent has the conversation; a supervisor
    (`override`) may act on anyone's. Returns the current escalation, if any."""
    _conversation(session, conversation_id)
    escalation = current_escalation(session, conversation_id)
    if (
        escalation is not None
        and escalation.taken_by not in (None, agent)
        and escalation.status == EscalationStatus.TAKEN
        and not override
    ):
        raise DeskRefusedError(DeskRefusal.TAKEN_BY_OTHER, escalation.taken_by)
    return escalation


def check_with_person(session: Session, conversation_id: str) -> Escalation:
    """The escalation a hand-back ends; refused (NOT_WAITING) when the bot has the
    conversation and no person was asked in."""
    escalation = current_escalation(session, conversation_id)
    if escalation is None:
        raise DeskRefusedError(DeskRefusal.NOT_WAITING)
    return escalation


def take_for_reply(
    session: Session, conversation_id: str, agent: str, now: datetime, override: bool = False
) -> None:
    """Before an agent's reply: a conversation still waiting is taken (and recorded) first;
    one another agent has is refused, unless a supervisor answers."""
    escalation = check_may_act(session, conversation_id, agent, override)
    if escalation is not None and escalation.status == EscalationStatus.OPEN:
        take(session, conversation_id, agent, now)


@dataclass(frozen=True)
class Resolved:
    conversation_id: str
    was_with_person: bool  # it had an escalation: the shopper is told the bot answers again


def resolve(
    session: Session, conversation_id: str, agent: str, now: datetime, override: bool = False
) -> Resolved:
    """The agent resolves the conversation: its escalation is resolved (handed back, so the
    bot answers the shopper's next message, which opens the conversation again) and
    conversation.resolved is recorded once (value: seconds since the conversation started).
    A conversation no person was ever asked into is the bot's: refused (NOT_WAITING), so the
    reports never count it as resolved by a person."""
    escalation = check_may_act(session, conversation_id, agent, override)
    ever_with_person = session.scalar(
        select(Escalation.id).where(Escalation.conversation_id == conversation_id).limit(1)
    )
    if ever_with_person is None:
        raise DeskRefusedError(DeskRefusal.NOT_WAITING)
    done = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == ConversationStatus.OPEN)
        .values(status=ConversationStatus.RESOLVED, resolved_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise DeskRefusedError(DeskRefusal.ALREADY_RESOLVED)
    conversation = session.scalars(
        select(Conversation)
        .where(Conversation.id == conversation_id)
        .execution_options(populate_existing=True)
    ).one()
    if escalation is not None:
        service.hand_back(session, conversation_id, agent)
    _record_resolved(session, conversation, now, Actor.AGENT, agent)
    return Resolved(conversation_id, escalation is not None)


def _record_resolved(
    session: Session, conversation: Conversation, now: datetime, actor: Actor, agent: str | None
) -> None:
    record_event(
        session,
        EventName.CONVERSATION_RESOLVED,
        conversation.id,
        conversation_id=conversation.id,
        actor=actor,
        agent=agent,
        value=max((now - conversation.started_at).total_seconds(), 0.0),
        occurred_at=now,
    )


def resolve_idle(session: Session, now: datetime, limit: int = 500) -> int:
    """Resolve the open conversations idle for IDLE_AFTER (24 h), at most `limit` per call;
    returns how many. conversation.resolved is recorded once per resolution (a conditional
    UPDATE: two workers running this at once resolve each conversation once), with actor
    BOT when no person was ever asked into the conversation nor replied (Chatwoot's bot
    resolution), else
    SYSTEM. A shopper still waiting for a person is never resolved by waiting; a conversation
    an agent took is handed back to the bot (conversation.handed_back, actor SYSTEM)."""
    cutoff = now - IDLE_AFTER
    waiting = select(Escalation.conversation_id).where(Escalation.status == EscalationStatus.OPEN)
    idle = session.scalars(
        select(Conversation.id)
        .where(
            Conversation.status == ConversationStatus.OPEN,
            Conversation.last_message_at <= cutoff,
            Conversation.id.not_in(waiting),
        )
        .order_by(Conversation.last_message_at)
        .limit(limit)
    ).all()
    resolved = 0
    for conversation_id in idle:
        done = session.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation_id,
                Conversation.status == ConversationStatus.OPEN,
                Conversation.last_message_at <= cutoff,
            )
            .values(status=ConversationStatus.RESOLVED, resolved_at=now)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            continue
        conversation = session.scalars(
            select(Conversation)
            .where(Conversation.id == conversation_id)
            .options(selectinload(Conversation.escalations))
            .execution_options(populate_existing=True)
        ).one()
        was_handed_off = bool(conversation.escalations)
        _hand_back_idle(session, conversation, now)
        person = session.scalar(
            select(Message.id)
            .where(Message.conversation_id == conversation_id, Message.sender == Sender.AGENT)
            .limit(1)
        )
        # the bot's resolution only when no person was asked in or replied (Chatwoot's)
        actor = Actor.BOT if person is None and not was_handed_off else Actor.SYSTEM
        _record_resolved(session, conversation, now, actor, None)
        resolved += 1
    return resolved


def _hand_back_idle(session: Session, conversation: Conversation, now: datetime) -> None:
    current = [e for e in conversation.escalations if e.status != EscalationStatus.RESOLVED]
    conversation.handled_by = Handler.BOT
    if not current:
        return
    for escalation in current:
        escalation.status = EscalationStatus.RESOLVED
        escalation.resolved_at = now
    record_event(
        session,
        EventName.CONVERSATION_HANDED_BACK,
        conversation.id,
        conversation_id=conversation.id,
        actor=Actor.SYSTEM,
        value=max((now - current[0].created_at).total_seconds(), 0.0),
        occurred_at=now,
    )


# --- private notes -------------------------------------------------------------------------


def _text(text: str, limit: int) -> str:
    cleaned = (text or "").strip()
    if not 1 <= len(cleaned) <= limit:
        raise DeskRefusedError(DeskRefusal.BAD_TEXT, limit)
    return cleaned


def add_note(
    session: Session, conversation_id: str, author: str, text: str, now: datetime
) -> DeskNote:
    """A private note on the conversation (1-NOTE_MAX characters), for the agents only."""
    _conversation(session, conversation_id)
    note = DeskNote(
        conversation_id=conversation_id,
        author=author,
        text=_text(text, NOTE_MAX),
        created_at=now,
    )
    session.add(note)
    session.flush()
    return note


def notes(session: Session, conversation_id: str) -> list[DeskNote]:
    """The conversation's notes, oldest first."""
    _conversation(session, conversation_id)
    return list(
        session.scalars(
            select(DeskNote)
            .where(DeskNote.conversation_id == conversation_id)
            .order_by(DeskNote.id)
        )
    )


# --- saved replies and canned answers ------------------------------------------------------


def inducements(text: str) -> list[Violation]:
    """What in a text ties anything to a review (好评返现 …): inducing reviews is illegal."""
    return [v for v in check_private_text(text) if v.kind is ViolationKind.INDUCEMENT]


def create_saved_reply(
    session: Session, title: str, text: str, author: str, now: datetime
) -> SavedReply:
    """A saved reply for the team; the title is unique, the text may not induce reviews."""
    title, text = _text(title, SAVED_TITLE_MAX), _text(text, SAVED_TEXT_MAX)
    if found := inducements(text):
        raise DeskRefusedError(DeskRefusal.INDUCEMENT, found)
    if session.scalar(select(SavedReply.id).where(SavedReply.title == title)) is not None:
        raise DeskRefusedError(DeskRefusal.TITLE_EXISTS, title)
    reply = SavedReply(title=title, text=text, created_by=author, created_at=now)
    session.add(reply)
    session.flush()
    return reply


def delete_saved_reply(session: Session, reply_id: int) -> None:
    reply = session.get(SavedReply, reply_id)
    if reply is None:
        raise DeskRefusedError(DeskRefusal.NOT_FOUND)
    session.delete(reply)
    session.flush()


def saved_replies(session: Session, query: str = "", limit: int = 100) -> list[SavedReply]:
    """Saved replies whose title or text contains `query` (all when empty), by title."""
    statement = select(SavedReply).order_by(SavedReply.title).limit(limit)
    words = query.strip()[:QUERY_MAX]
    if words:
        statement = statement.where(
            SavedReply.title.contains(words, autoescape=True)
            | SavedReply.text.contains(words, autoescape=True)
        )
    return list(session.scalars(statement))


class CannedKind(StrEnum):
    SAVED = "saved"
    FAQ = "faq"


@dataclass(frozen=True)
class Canned:
    """A canned answer: a saved reply or an FAQ answer (as shoppers read it)."""

    kind: CannedKind
    id: str
    title: str
    text: str
    score: float | None  # the FAQ search's calibrated score


def canned(session: Session, query: str, limit: int = CANNED_MAX) -> list[Canned]:
    """Canned answers as the agent types: saved replies that contain the words, then the FAQ
    entries the FAQ search finds for them; a short list."""
    words = query.strip()[:QUERY_MAX]
    found = [
        Canned(CannedKind.SAVED, str(r.id), r.title, r.text, None)
        for r in saved_replies(session, words, SAVED_IN_CANNED)
    ]
    if words:
        hits = faq_search.search(session, words, k=FAQ_IN_CANNED).hits
        found += [
            Canned(CannedKind.FAQ, h.entry.id, h.entry.question, h.entry.answer_for(None), h.score)
            for h in hits
        ]
    return found[:limit]


# --- the order beside the transcript -------------------------------------------------------


@dataclass(frozen=True)
class OrderLine:
    product: str
    variant: str
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Scan:
    occurred_at: datetime
    location: str
    description: str


@dataclass(frozen=True)
class Parcel:
    carrier: str
    tracking_no: str
    status: ShipmentStatus
    shipped_at: datetime
    delivered_at: datetime | None
    scans: list[Scan]  # newest first


@dataclass(frozen=True)
class AfterSaleFact:
    kind: AfterSaleKind
    status: AfterSaleStatus
    reason: str
    amount: Decimal
    created_at: datetime
    refunded_at: datetime | None


@dataclass(frozen=True)
class CaseFact:
    id: int
    kind: CaseKind
    status: CaseStatus
    remedies: list[Remedy]
    detail: str | None
    opened_at: datetime
    reply_by: datetime
    resolved_at: datetime | None
    chased: int


@dataclass(frozen=True)
class OrderContext:
    """The verified order of a conversation as the agent sees it beside the transcript."""

    order_no: str
    status: OrderStatus
    placed_at: datetime
    paid_at: datetime | None
    promised_ship_by: datetime
    promised_delivery_by: datetime | None
    payment_method: str
    total_amount: Decimal
    receiver_name: str
    phone_tail: str
    shipping_address: str
    lines: list[OrderLine]
    parcels: list[Parcel]
    after_sales: list[AfterSaleFact]
    cases: list[CaseFact]


def order_context(session: Session, conversation_id: str) -> OrderContext | None:
    """The conversation's verified order with its items, parcels and their scans, after-sales
    and logistics cases; None when no order was verified in it."""
    _conversation(session, conversation_id)
    escalation = current_escalation(session, conversation_id)
    order_no = verified_order_no(session, conversation_id, escalation)
    if order_no is None:
        return None
    order = session.scalars(
        select(Order)
        .where(Order.order_no == order_no)
        .options(
            selectinload(Order.items).selectinload(OrderItem.variant).selectinload(Variant.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.after_sales),
        )
    ).first()
    if order is None:
        return None
    cases = list(
        session.scalars(
            select(LogisticsCase)
            .where(LogisticsCase.order_id == order.id)
            .order_by(LogisticsCase.opened_at.desc())
        )
    )
    chased = chases(session, [c.id for c in cases])
    return OrderContext(
        order_no=order.order_no,
        status=order.status,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        promised_ship_by=order.promised_ship_by,
        promised_delivery_by=order.promised_delivery_by,
        payment_method=order.payment_method,
        total_amount=order.total_amount,
        receiver_name=order.receiver_name,
        phone_tail=order.phone_tail,
        shipping_address=order.shipping_address,
        lines=[
            OrderLine(
                i.variant.product.name, i.variant.label, i.variant.sku, i.quantity, i.unit_price
            )
            for i in order.items
        ],
        parcels=[
            Parcel(
                s.carrier,
                s.tracking_no,
                s.status,
                s.shipped_at,
                s.delivered_at,
                [Scan(e.occurred_at, e.location, e.description) for e in reversed(s.events)],
            )
            for s in order.shipments
        ],
        after_sales=[
            AfterSaleFact(a.kind, a.status, a.reason, a.amount, a.created_at, a.refunded_at)
            for a in order.after_sales
        ],
        cases=[
            CaseFact(
                c.id,
                c.kind,
                c.status,
                [Remedy(r) for r in c.remedies],
                c.detail,
                c.opened_at,
                c.reply_by,
                c.resolved_at,
                chased.get(c.id, 0),
            )
            for c in cases
        ],
    )
