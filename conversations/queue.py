"""Shoppers waiting for a person: where they stand, and when an agent will answer.

A conversation handed to a human waits in the queue of open escalations until an agent answers
it. `waiting_notice` is what the shopper is told when the conversation goes to the queue and
for each message sent while waiting: the shoppers ahead and the expected wait within the
agents' hours (`agent_hours.yaml`), or when agents start again outside them; a message sent
soon after being told gets a short "passed on". A message while waiting is answered first
when it can be: a question on the case open in the conversation from the case and the order's
record (谁签的, 多久能发出来, 重发还是退钱: shop.case_questions), else by the part of what the
bot said before that answers it (要拍哪里); a remedy the shopper chooses is said back (recorded
only by the person, on their word); when the parcel comes is answered from its tracking (with
the case's answer time on a late parcel: 最晚哪天到); a delivery wish (放门卫) is said back for a
yes on a verified order and made on it (conversations.waiting_delivery); a question nothing
answers is said plainly to be for the person, with the expected wait. The short "passed on" is
never said twice in a row. `chat_status` says who answers now.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from conversations.models import (
    Conversation,
    Escalation,
    EscalationStatus,
    Handler,
    Message,
    Sender,
)
from conversations.parts_asked import answering_part, asks_something
from conversations.waiting_delivery import (
    DeliveryWish,
    DeliveryWishDone,
    delivery_wish,
    reply_to_wish,
)
from core.clock import to_shop_time
from core.policy_file import load_policy_file
from core.text import normalise
from shop.case_questions import (
    CaseAnswer,
    CaseChoice,
    CaseQuestion,
    ask_about_case,
    asks_which_remedy,
    case_question,
    open_case_in,
    stated_choice,
)
from shop.models import CaseKind, CaseStatus, LogisticsCase, Order
from shop.modifications import AppointmentToConfirm
from shop.orders import load_order
from shop.tracking import TrackingFollowUp, order_progress, tracking_follow_up

HOURS_FILE = Path(__file__).with_name("agent_hours.yaml")
TOLD_RECENTLY = timedelta(minutes=5)  # within this, a further message gets the short notice
SAID_BEFORE_READ = 8  # the bot's latest messages a question while waiting is answered from


class AgentHours(BaseModel):
    """The agents' daily hours in shop time, and the minutes each waiting shopper takes."""

    model_config = ConfigDict(extra="forbid")
    opens: time
    closes: time
    minutes_per_waiting_shopper: int = Field(gt=0, le=120)

    @model_validator(mode="after")
    def _in_order(self) -> "AgentHours":
        if not self.opens < self.closes:
            raise ValueError("opens must be before closes (hours within one day)")
        return self


class AgentHoursError(ValueError):
    """The hours file is invalid; the message says what and where."""


@lru_cache
def load_agent_hours(path: Path = HOURS_FILE) -> AgentHours:
    return load_policy_file(path, AgentHours, AgentHoursError, "agent hours")


@dataclass(frozen=True)
class AgentWait:
    """Where a shopper waiting for a person stands: `waiting_ahead` shoppers before them;
    within the hours an estimate in minutes (`may_roll_over`: it runs past closing time),
    outside them the day agents start again."""

    waiting_ahead: int
    open_now: bool
    opens: str  # "09:00"
    closes: str
    estimated_minutes: int | None  # within the hours only
    may_roll_over: bool
    answer_tomorrow: bool  # outside the hours: agents answer tomorrow (else later today)


@dataclass(frozen=True)
class StillWaiting:
    """A further message while waiting: `answer` a question on the open case answered from
    the case and the order's record, else `said_before` the part of what the bot said before
    that answers it; `choice` the remedy the shopper chose, said back; `for_person` a question
    only the person can answer. `wait` is said in full when the shopper was told it a while
    ago or the question is for the person."""

    waiting_ahead: int
    open_now: bool
    said_before: str | None = None
    answer: CaseAnswer | None = None
    choice: CaseChoice | None = None
    for_person: bool = False
    wait: AgentWait | None = None
    arrival: TrackingFollowUp | None = None  # when the parcel comes, from the order's tracking
    delivery: DeliveryWish | None = None  # a wish where or when it comes: said back, or held
    delivery_done: DeliveryWishDone | None = None  # the yes or no to the wish said back
    held: int = 0  # the shopper's messages since the hand-over (the short line says them)

    @property
    def answered(self) -> bool:
        """Whether something beside the wait answers the message."""
        parts = (self.answer, self.said_before, self.choice, self.arrival, self.delivery)
        return any(parts) or self.delivery_done is not None or self.for_person


WaitingNotice = AgentWait | StillWaiting


def _waiting(session: Session, conversation_id: str) -> Escalation | None:
    """The conversation's escalation no agent has answered yet, if any."""
    return session.scalars(
        select(Escalation).where(
            Escalation.conversation_id == conversation_id,
            Escalation.status == EscalationStatus.OPEN,
        )
    ).first()


def waiting_ahead(session: Session, escalation: Escalation) -> int:
    """Shoppers handed over before this one whom no agent has answered yet."""
    return (
        session.scalar(
            select(func.count(Escalation.id)).where(
                Escalation.status == EscalationStatus.OPEN, Escalation.id < escalation.id
            )
        )
        or 0
    )


def agent_wait(ahead: int, now: datetime, hours: AgentHours) -> AgentWait:
    local = to_shop_time(now)
    clock = local.time().replace(tzinfo=None)
    open_now = hours.opens <= clock < hours.closes
    minutes = (ahead + 1) * hours.minutes_per_waiting_shopper
    closing = local.replace(hour=hours.closes.hour, minute=hours.closes.minute, second=0)
    return AgentWait(
        waiting_ahead=ahead,
        open_now=open_now,
        opens=f"{hours.opens:%H:%M}",
        closes=f"{hours.closes:%H:%M}",
        estimated_minutes=minutes if open_now else None,
        may_roll_over=open_now and local + timedelta(minutes=minutes) > closing,
        answer_tomorrow=clock >= hours.closes,
    )


@dataclass(frozen=True)
class WhoToTurnTo:
    """Who the shopper turns to when the bot can do no more (我找谁, 那我问谁去): the shop's
    agents in this chat, in their hours; outside them, when they start again. No phone line."""

    open_now: bool
    opens: str  # "09:00"
    closes: str
    answer_tomorrow: bool  # outside the hours: agents answer tomorrow (else later today)
    phone_asked: bool  # the shopper asked for a phone: told there is no phone line


def who_to_turn_to(
    now: datetime, hours: AgentHours | None = None, *, phone_asked: bool = False
) -> WhoToTurnTo:
    """Who to turn to at `now`, by the agents' hours (`phone_asked`: the shopper asked for the
    shop's phone)."""
    wait = agent_wait(0, now, hours or load_agent_hours())
    return WhoToTurnTo(wait.open_now, wait.opens, wait.closes, wait.answer_tomorrow, phone_asked)


def waiting_notice(
    session: Session,
    conversation_id: str,
    now: datetime,
    hours: AgentHours | None = None,
    question: str | None = None,
    client: str | None = None,
) -> WaitingNotice | None:
    """What to tell a shopper whose conversation waits for a person (None: it does not, or
    an agent is already answering); `question`: the shopper's message just stored, answered
    from what the bot said before when it can be (`client`: the shopper's device, whose wrong
    phone tails count when an order is verified for a delivery wish)."""
    escalation = _waiting(session, conversation_id)
    if escalation is None:
        return None
    hours = hours or load_agent_hours()
    wait = agent_wait(waiting_ahead(session, escalation), now, hours)
    told_at = session.scalar(
        select(func.max(Message.created_at)).where(
            Message.conversation_id == conversation_id,
            Message.sender == Sender.SYSTEM,
            Message.created_at >= escalation.created_at,
        )
    )
    told_recently = told_at is not None and now - _aware(told_at, now) < TOLD_RECENTLY
    if question:
        reply = _reply_to(session, escalation, question, now, client)
    else:
        reply = StillWaiting(0, False)
    if not told_recently and not reply.answered:
        return wait
    full_wait = wait if reply.for_person or not told_recently else None
    # the count is said only in the short line (told recently, nothing else answering)
    held = _held(session, escalation) if told_recently and not reply.answered else 0
    return replace(
        reply, waiting_ahead=wait.waiting_ahead, open_now=wait.open_now, wait=full_wait, held=held
    )


def asks_yes_no(notice: WaitingNotice) -> bool:
    """Whether the notice says a delivery wish back for a yes (offered with a yes and a no)."""
    return isinstance(notice, StillWaiting) and isinstance(notice.delivery, AppointmentToConfirm)


def _held(session: Session, escalation: Escalation) -> int:
    """The shopper's messages since the conversation was handed over."""
    return (
        session.scalar(
            select(func.count(Message.id)).where(
                Message.conversation_id == escalation.conversation_id,
                Message.sender == Sender.SHOPPER,
                Message.created_at >= escalation.created_at,
            )
        )
        or 0
    )


PASSED_ON_QUESTIONS = frozenset({CaseQuestion.CLOSING})  # a remark: passed on, nothing to answer


def _reply_to(
    session: Session,
    escalation: Escalation,
    message: str,
    now: datetime,
    client: str | None = None,
) -> StillWaiting:
    """What answers the shopper's message while waiting (the wait itself left out): the yes or
    no to a delivery wish said back, a delivery wish (said back on a verified order, else held
    for the person), when the parcel comes from its tracking (with the case's answer time on a
    late parcel), the case's answer to a question on it, a remedy chosen said back, the part of
    what was said before, or, for a question none of them answers, that the person will answer
    it."""
    if (done := reply_to_wish(session, escalation, message, now)) is not None:
        return StillWaiting(0, False, delivery_done=done)
    case = _open_case(session, escalation)
    order = _order_of(session, escalation, case)
    if (wish := delivery_wish(session, escalation, order, message, now, client)) is not None:
        return StillWaiting(0, False, delivery=wish)
    asks = asks_something(message) or asks_which_remedy(message)
    on_the_road = case is None or case.kind == CaseKind.DELAYED
    if order is not None and on_the_road and asks and asks_when_it_comes(message):
        arrival = tracking_follow_up(order_progress(order, now), message, now)
        timeline = ask_about_case(session, case, CaseQuestion.HOW_LONG, now) if case else None
        return StillWaiting(0, False, answer=timeline, arrival=arrival)
    asked = case_question(message) if case is not None else None
    if (
        case is not None
        and asked is not None
        and asked not in PASSED_ON_QUESTIONS
        and (asks or stated_choice(message) is None)  # 先查吧 查不到就退钱 chooses, asks nothing
    ):
        return StillWaiting(
            0, False, answer=ask_about_case(session, case, asked, now, words=message)
        )
    if case is not None and not asks and (choice := stated_choice(message)) is not None:
        return StillWaiting(0, False, choice=choice)
    said = said_before(session, escalation.conversation_id, message)
    return StillWaiting(0, False, said_before=said, for_person=asks and said is None)


def _order_of(session: Session, escalation: Escalation, case: LogisticsCase | None) -> Order | None:
    """The order verified in the conversation: the hand-over's, else the open case's."""
    if escalation.order_no is not None:
        return load_order(session, escalation.order_no)
    return case.order if case is not None else None


# 最晚哪天到, 大概几号能送到, 还要几天: when the parcel comes (not the refund: 钱几天到账).
WHEN_IT_COMES = re.compile(
    r"(?:哪天|哪一天|几号|什么时候|啥时候|多久|几天|多长时间|哪天能|最晚|最迟)[^，,。!！?？]{0,6}?"
    r"(?:到|送|派)|(?:能|会)(?:送)?到(?:吗|不|么|嘛)|到得了|送得到"
)
NOT_THE_PARCEL = re.compile(r"退款|退钱|到账|钱|发票|补发|重发|补寄|换货|退货|答复|回复")


def asks_when_it_comes(message: str) -> bool:
    """Whether the message asks when (or whether by a day) the parcel comes."""
    clean = normalise(message)
    return bool(WHEN_IT_COMES.search(clean)) and not NOT_THE_PARCEL.search(clean)


def _open_case(session: Session, escalation: Escalation) -> LogisticsCase | None:
    """The case the hand-over is about, or else the one open in the conversation, if open."""
    case = session.get(LogisticsCase, escalation.case_id) if escalation.case_id else None
    if case is not None and case.status == CaseStatus.OPEN:
        return case
    return open_case_in(session, escalation.conversation_id)


def said_before(session: Session, conversation_id: str, question: str) -> str | None:
    """The part of the bot's latest message (or notice) in the conversation that answers
    `question` (要拍哪里 → the photos asked for), if it asks something."""
    if not asks_something(question):
        return None
    latest = session.scalars(
        select(Message.text)
        .where(
            Message.conversation_id == conversation_id,
            Message.sender.in_((Sender.BOT, Sender.SYSTEM)),
        )
        .order_by(Message.id.desc())
        .limit(SAID_BEFORE_READ)
    ).all()
    parts = (answering_part(text, question) for text in latest)  # the latest first
    return next((part for part in parts if part is not None), None)


def _aware(moment: datetime, like: datetime) -> datetime:
    """A stored moment as an aware datetime (SQLite's aggregate returns it naive, in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=like.tzinfo)


@dataclass(frozen=True)
class ChatStatus:
    """Who answers the conversation now: the bot, a person (named once one has answered),
    or nobody yet (waiting, with the shoppers ahead)."""

    handled_by: Handler
    agent: str | None
    waiting_ahead: int | None


def chat_status(session: Session, conversation_id: str) -> ChatStatus:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.handled_by == Handler.BOT:
        return ChatStatus(Handler.BOT, None, None)
    current = [e for e in conversation.escalations if e.status != EscalationStatus.RESOLVED]
    taken = next((e.taken_by for e in reversed(current) if e.taken_by), None)
    waiting = _waiting(session, conversation_id)
    ahead = waiting_ahead(session, waiting) if waiting is not None and taken is None else None
    return ChatStatus(Handler.HUMAN, taken, ahead)
