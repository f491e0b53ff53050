"""How conversations are served: the bot's share (Chatwoot's bot resolution and handoff rates)
and how fast people answer and resolve.

Both are about conversations, which name no product: a product or category filter does not apply
(the table's filters say so).
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from conversations.queue import AgentHours, load_agent_hours
from core.clock import to_shop_time
from core.events import Actor, Event, EventName
from reports.model import Chart, Column, Kind, ReportFilter, Table, rate
from reports.sql import (
    WEEK_S,
    Spread,
    count_if,
    epoch,
    in_range,
    spreads,
    spreads_of,
    week_bucket,
    week_start,
    weeks,
)

N = EventName
ANSWER_WINDOW = timedelta(days=7)  # an answer to a handoff is looked for this long after the range
POINTS = (0.5, 0.9)


def _unfiltered(f: ReportFilter) -> ReportFilter:
    return replace(f, category=None, product_id=None)


def bot(session: Session, f: ReportFilter) -> Table:
    """Per week: conversations started, conversations the bot resolved without a person's reply,
    conversations handed to a person, and both as rates of the conversations started (as
    Chatwoot counts them: the resolutions and handoffs that happened in the week, each
    conversation once a week, over the conversations that started in it)."""
    f = _unfiltered(f)
    number = week_bucket(session, Event.occurred_at, f).label("bucket")
    by_bot = and_(Event.name == N.CONVERSATION_RESOLVED, Event.actor == Actor.BOT)
    handed = Event.name == N.CONVERSATION_HANDED_OFF
    query = (
        select(
            number,
            count_if(Event.name == N.CONVERSATION_STARTED),
            func.count(func.distinct(_when(by_bot, Event.conversation_id))),
            func.count(func.distinct(_when(handed, Event.conversation_id))),
        )
        .where(
            Event.name.in_(
                (N.CONVERSATION_STARTED, N.CONVERSATION_RESOLVED, N.CONVERSATION_HANDED_OFF)
            ),
            in_range(f),
        )
        .group_by(number)
    )
    found = {row[0]: [int(v) for v in row[1:]] for row in session.execute(query)}
    rows = []
    for n, monday in enumerate(weeks(f)):
        conversations, resolved, handed_off = found.get(n, [0, 0, 0])
        rows.append(
            {
                "week": monday,
                "conversations": conversations,
                "bot_resolved": resolved,
                "handed_off": handed_off,
                "bot_resolution_rate": rate(resolved, conversations),
                "handoff_rate": rate(handed_off, conversations),
                "drill": {"week": monday.isoformat()},
            }
        )
    totals: dict[str, Any] = {
        key: sum(r[key] for r in rows) for key in ("conversations", "bot_resolved", "handed_off")
    }
    totals["bot_resolution_rate"] = rate(totals["bot_resolved"], totals["conversations"])
    totals["handoff_rate"] = rate(totals["handed_off"], totals["conversations"])
    return Table(
        "bot",
        f,
        (
            Column("week", Kind.WEEK),
            Column("conversations", Kind.COUNT),
            Column("bot_resolved", Kind.COUNT),
            Column("handed_off", Kind.COUNT),
            Column("bot_resolution_rate", Kind.RATE),
            Column("handoff_rate", Kind.RATE),
        ),
        rows,
        Chart("line", "week", ("bot_resolution_rate", "handoff_rate")),
        totals,
    )


def _when(condition: Any, value: Any) -> Any:
    """CASE WHEN condition THEN value END (NULL otherwise)."""
    return case((condition, value))


def _first_responses(f: ReportFilter) -> Any:
    """Each handoff in the range with the moment a person first answered (taken, or an agent's
    message, up to a week after the range): NULL when nobody has."""
    handoff, answer = aliased(Event), aliased(Event)
    answered = or_(
        answer.name == N.CONVERSATION_TAKEN,
        and_(answer.name == N.MESSAGE_SENT, answer.actor == Actor.AGENT),
    )
    return (
        select(
            handoff.id.label("id"),
            handoff.occurred_at.label("at"),
            func.min(answer.occurred_at).label("answered"),
        )
        .select_from(handoff)
        .outerjoin(
            answer,
            and_(
                answer.conversation_id == handoff.conversation_id,
                answer.occurred_at >= handoff.occurred_at,
                answer.occurred_at < (f.until + ANSWER_WINDOW).astimezone(UTC),
                answer.name.in_((N.CONVERSATION_TAKEN, N.MESSAGE_SENT)),
                answered,
            ),
        )
        .where(handoff.name == N.CONVERSATION_HANDED_OFF, in_range(f, handoff.occurred_at))
        .group_by(handoff.id, handoff.occurred_at)
        .subquery()
    )


def _resolutions(f: ReportFilter) -> Any:
    """Resolutions in the range of conversations a person took part in (agent or system)."""
    return and_(
        Event.name == N.CONVERSATION_RESOLVED,
        Event.actor.in_((Actor.AGENT, Actor.SYSTEM)),
        in_range(f),
    )


def response(session: Session, f: ReportFilter) -> Table:
    """Per week: handoffs, those answered, time to first response (handoff → taken or an
    agent's first message) and time to resolution (conversation start → resolved, for the
    conversations a person took part in), p50 and p90; in business hours if asked."""
    f = _unfiltered(f)
    responses = _first_responses(f)
    number = week_bucket(session, responses.c.at, f).label("bucket")
    resolved_number = week_bucket(session, Event.occurred_at, f).label("bucket")
    if f.business_hours:
        first, resolution = _business_spreads(session, f, responses, load_agent_hours())
    else:
        wait = epoch(session, responses.c.answered) - epoch(session, responses.c.at)
        first = spreads(session, select(number, wait.label("seconds")), POINTS)
        took = select(resolved_number, Event.value.label("seconds")).where(_resolutions(f))
        resolution = spreads(session, took, POINTS)
    rows: list[dict[str, Any]] = []
    nothing = Spread(0, 0, (None, None))
    for n, monday in enumerate(weeks(f)):
        answers, resolutions = first.get(n, nothing), resolution.get(n, nothing)
        rows.append(
            {
                "week": monday,
                "handoffs": answers.rows,
                "answered": answers.valued,
                "first_response_p50": _seconds(answers.percentiles[0]),
                "first_response_p90": _seconds(answers.percentiles[1]),
                "resolved": resolutions.rows,
                "resolution_p50": _seconds(resolutions.percentiles[0]),
                "resolution_p90": _seconds(resolutions.percentiles[1]),
                "drill": {"week": monday.isoformat()},
            }
        )
    totals = {key: sum(int(r[key]) for r in rows) for key in ("handoffs", "answered", "resolved")}
    return Table(
        "response",
        f,
        (
            Column("week", Kind.WEEK),
            Column("handoffs", Kind.COUNT),
            Column("answered", Kind.COUNT),
            Column("first_response_p50", Kind.SECONDS),
            Column("first_response_p90", Kind.SECONDS),
            Column("resolved", Kind.COUNT),
            Column("resolution_p50", Kind.SECONDS),
            Column("resolution_p90", Kind.SECONDS),
        ),
        rows,
        Chart("line", "week", ("first_response_p50", "resolution_p50")),
        totals,
    )


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _business_spreads(
    session: Session, f: ReportFilter, responses: Any, hours: AgentHours
) -> tuple[dict[int, Spread], dict[int, Spread]]:
    """The same counting only the agents' hours (computed in Python over the range's handoffs
    and resolutions, not over its events)."""
    first_monday = week_start(f.start)

    def number(moment: datetime) -> int:
        return (to_shop_time(moment).date() - first_monday).days * 86_400 // WEEK_S

    waits = [
        (number(at), None if answered is None else business_seconds(at, answered, hours))
        for at, answered in session.execute(select(responses.c.at, responses.c.answered))
    ]
    resolutions = [
        (
            number(at),
            None
            if value is None
            else business_seconds(at - timedelta(seconds=float(value)), at, hours),
        )
        for at, value in session.execute(
            select(Event.occurred_at, Event.value).where(_resolutions(f))
        )
    ]
    return spreads_of(waits, POINTS), spreads_of(resolutions, POINTS)


def business_seconds(start: datetime, end: datetime, hours: AgentHours) -> float:
    """Seconds from `start` to `end` that fall in the agents' daily hours (shop time)."""
    start, end = _aware(start), _aware(end)
    if end <= start:
        return 0.0
    total = 0.0
    day: date = to_shop_time(start).date()
    last = to_shop_time(end).date()
    zone = to_shop_time(start).tzinfo
    while day <= last:
        opens = datetime.combine(day, hours.opens, zone)
        closes = datetime.combine(day, hours.closes, zone)
        overlap = (min(end, closes) - max(start, opens)).total_seconds()
        total += max(overlap, 0.0)
        day += timedelta(days=1)
    return total


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
