"""Delivering 中差评 alerts from the outbox to one channel: one message per turn.

A turn takes the channel's next sending slot (jobs.pacing), claims the channel's due alerts
(committed as "sending" before anything is sent; those the message cannot hold are given back),
sends them as one message (an alert, or a digest when a burst arrived since the last turn), and
records the outcome: sent, back to pending with back-off, or dead, with the `alert.sent` or
`alert.failed` event of each alert that reached its end in the same transaction. It returns when
the channel should be looked at again.
"""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.alerts import MAX_BYTES, Message, attempt, compose, send
from core import outbox
from core.clock import utcnow
from core.database import unit_of_work
from core.events import Event, EventName, Subject, record_event
from core.outbox import Delivery, OutboxItem, OutboxState, Topic
from jobs.pacing import take_turn
from jobs.workers import WORKER
from reviews.alert_channels import Channel, channels
from reviews.alerts import AlertBatch, ReviewAlert

log = logging.getLogger(__name__)
TOPIC = Topic.REVIEW_ALERT
CHANNEL_OFF = "该提醒渠道未开启（地址环境变量未设置）"
ALERT_SENT = EventName.ALERT_SENT
FINAL_EVENTS = {OutboxState.SENT: ALERT_SENT, OutboxState.DEAD: EventName.ALERT_FAILED}
SKU_LENGTH = 64  # the events' `sku` column


def deliver_turn(name: str) -> float | None:
    """One turn for the channel `name`: the seconds until the next turn is due (0 at once),
    or None when nothing is left to send."""
    channel = channels().get(name)
    if channel is None:
        outbox.refuse_due(TOPIC, name, WORKER, CHANNEL_OFF)
        return None
    with unit_of_work() as session:
        due = outbox.next_due(session, TOPIC, name)
    if due is None:
        return None
    if due > utcnow():
        return (due - utcnow()).total_seconds()
    wait = take_turn(channel)
    if wait > 0:
        return wait
    new_id = f"{channel.name}-{uuid.uuid4().hex}"
    with unit_of_work() as session:
        claimed = outbox.claim(session, TOPIC, name, utcnow(), channel.max_reviews, WORKER, new_id)
        if not claimed:
            return None  # another worker took them
        payloads = [item.payload for item in claimed]
        message_id = claimed[0].message_id or new_id
        if message_id == new_id:
            message = fitted(channel, payloads, message_id)
        else:  # sent again, whole, as the message a dead worker may have delivered
            message = whole(channel, payloads, message_id, sent_before=True)
        taken = len(message.batch.alerts)
        outbox.release(session, claimed[taken:])
        ids = [item.id for item in claimed[:taken]]
    delivery = _send(channel, message)
    with unit_of_work() as session:
        items = list(session.scalars(select(OutboxItem).where(OutboxItem.id.in_(ids))))
        finished = utcnow()
        outcome = outbox.finish(session, items, delivery, finished)
        record_outcomes(session, channel, items, finished)
        due = outbox.next_due(session, TOPIC, name)
    log.info("%s: %d alert(s) %s (%s)", name, len(ids), outcome.value, delivery.message_id)
    return None if due is None else max((due - utcnow()).total_seconds(), 0.0)


def record_outcomes(
    session: Session, channel: Channel, items: list[OutboxItem], now: datetime
) -> None:
    """`alert.sent` (value: seconds from the review's arrival) or `alert.failed` (dead-lettered)
    for each alert that has just reached its final state, beside that state's change; an alert
    retried later records nothing yet. Once per review and channel: a dead alert an admin
    revives records its `alert.sent` when it gets through, never a second failure, and a
    delivery finished twice (a slow worker after the sweep gave its row to another) records
    one `alert.sent`."""
    final = [item for item in items if item.state in FINAL_EVENTS]
    recorded = _recorded(session, [item.subject_id for item in final], channel)
    for item in final:
        name = FINAL_EVENTS[item.state]
        if (item.subject_id, name) in recorded:
            continue
        payload = item.payload
        received = datetime.fromisoformat(payload["received_at"])
        if received.tzinfo is None:
            received = received.replace(tzinfo=UTC)
        record_event(
            session,
            name,
            item.subject_id,
            occurred_at=now,
            cause=channel.spec.kind,
            product_id=payload.get("product_id"),
            sku=(payload.get("sku") or "")[:SKU_LENGTH] or None,
            value=max((now - received).total_seconds(), 0.0) if name == ALERT_SENT else None,
            payload={"channel": channel.name, "message_id": item.message_id},
        )


def _recorded(
    session: Session, review_ids: list[str], channel: Channel
) -> set[tuple[str, EventName]]:
    """(review, final event) already recorded for these reviews' alerts to the channel: one
    query for a digest's alerts."""
    if not review_ids:
        return set()
    rows = session.execute(
        select(Event.subject_id, Event.name).where(
            Event.subject_type == Subject.REVIEW,
            Event.subject_id.in_(review_ids),
            Event.name.in_(tuple(FINAL_EVENTS.values())),
            Event.cause == channel.spec.kind.value,
        )
    )
    return {(review, EventName(name)) for review, name in rows}


def fitted(channel: Channel, payloads: list[dict[str, Any]], message_id: str) -> Message:
    """The message for the longest run of these alerts (oldest first) that fits the channel's
    size: all of them, unless a digest's list of ids would not fit."""
    alerts = [ReviewAlert.from_payload(p) for p in payloads]
    limit = MAX_BYTES[channel.spec.kind]

    def message(count: int) -> Message:
        return whole(channel, payloads[:count], message_id, alerts[:count])

    def fits(candidate: Message) -> bool:
        return len(candidate.markdown.encode()) <= limit

    everything = message(len(alerts))
    if fits(everything) or len(alerts) == 1:
        return everything
    low, high = 1, len(alerts) - 1  # the longest prefix that fits (one always does)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(message(middle)) else (low, middle - 1)
    return message(low)


def whole(
    channel: Channel,
    payloads: list[dict[str, Any]],
    message_id: str,
    alerts: list[ReviewAlert] | None = None,
    sent_before: bool = False,
) -> Message:
    """The message for all these alerts (`sent_before`: saying it may be a repeat)."""
    found = alerts if alerts is not None else [ReviewAlert.from_payload(p) for p in payloads]
    return compose(AlertBatch(tuple(found)), message_id, MAX_BYTES[channel.spec.kind], sent_before)


def _send(channel: Channel, message: Message) -> Delivery:
    return attempt(message.id, lambda: send(channel, message))
