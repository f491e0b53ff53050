"""Delivering queue items from the outbox to the queue sink: one signed JSON POST per turn.

A turn claims the sink's due rows (oldest first, committed as "sending" before anything is
sent), posts them as one message and records the outcome: sent, back to pending with back-off,
or dead. Each row is one version of one item, so a receiver applies them in order and ignores a
version older than the one it has. The signature is the alert webhook's
(connectors.alerts.webhook): `X-Kefu-Signature: sha256=HMAC(secret, timestamp + "." + body)`,
with `X-Kefu-Timestamp` and `X-Kefu-Delivery` (the message id: a message sent again after a
worker died keeps it).
"""

import logging
import uuid
from typing import Any

from sqlalchemy import select

from connectors.alerts import attempt
from connectors.alerts.http import dumps
from connectors.alerts.webhook import post_signed
from core import outbox
from core.clock import utcnow
from core.database import unit_of_work
from core.outbox import Delivery, OutboxItem, Topic
from core.settings import get_settings
from recurring.service import SINK

log = logging.getLogger(__name__)
TOPIC = Topic.QUEUE_SINK
MAX_ITEMS = 50  # item versions per message
SINK_OFF = "队列推送未开启（QUEUE_SINK_URL 未设置）/ the queue sink is off (QUEUE_SINK_URL unset)"


def body(message_id: str, payloads: list[dict[str, Any]], base_url: str) -> bytes:
    """The message: its id and the item versions, oldest first, each with its link."""
    versions = [{**p, "url": f"{base_url}/api/queues/items/{p['item']['id']}"} for p in payloads]
    return dumps({"id": message_id, "type": "queue_items", "items": versions})


def deliver_turn(worker: str) -> float | None:
    """One turn: the seconds until the next turn is due (0 at once), or None when nothing is
    left to send. `worker` names who claims the rows (host:pid)."""
    settings = get_settings()
    if not settings.queue_sink_url:
        outbox.refuse_due(TOPIC, SINK, worker, SINK_OFF)
        return None
    with unit_of_work() as session:
        due = outbox.next_due(session, TOPIC, SINK)
    if due is None:
        return None
    if due > utcnow():
        return (due - utcnow()).total_seconds()
    new_id = f"{SINK}-{uuid.uuid4().hex}"
    with unit_of_work() as session:
        claimed = outbox.claim(session, TOPIC, SINK, utcnow(), MAX_ITEMS, worker, new_id)
        if not claimed:
            return None  # another worker took them
        payloads = [item.payload for item in claimed]
        message_id = claimed[0].message_id or new_id
        ids = [item.id for item in claimed]
    delivery = _send(settings.queue_sink_url, settings.queue_sink_secret, message_id, payloads)
    with unit_of_work() as session:
        rows = list(session.scalars(select(OutboxItem).where(OutboxItem.id.in_(ids))))
        outcome = outbox.finish(session, rows, delivery, utcnow())
        due = outbox.next_due(session, TOPIC, SINK)
    log.info("queue sink: %d item version(s) %s (%s)", len(ids), outcome.value, message_id)
    return None if due is None else max((due - utcnow()).total_seconds(), 0.0)


def _send(url: str, secret: str, message_id: str, payloads: list[dict[str, Any]]) -> Delivery:
    content = body(message_id, payloads, get_settings().base_url)
    return attempt(message_id, lambda: post_signed(url, secret, message_id, content))
