"""The jobs, and how they are woken.

- `deliver_alerts(channel)`: one delivery turn (jobs.alert_delivery), queued when a commit
  added alerts for the channel and again when its turn says so.
- `sweep_outbox`: every OUTBOX_SWEEP_S (a minute; jobs.__main__ queues it), releases what a
  dead worker left "sending" and wakes every channel with due work, so nothing waits on a lost
  queue entry.
- `logistics_follow_ups`: re-checks open logistics cases (shop.logistics) on the policy's period.

A turn that must wait is queued once per destination and second (a key in Huey's storage), so
a burst of commits never piles up copies of the same wait.
"""

import logging
import time
from datetime import timedelta

from huey import crontab

from connectors.follow_ups import send_follow_ups
from conversations import desk
from core import outbox
from core.clock import utcnow
from core.database import unit_of_work
from core.outbox import Topic
from core.settings import get_settings
from jobs.alert_delivery import deliver_turn
from jobs.runner import huey
from jobs.workers import WORKER, is_gone
from recurring import service as recurring_service
from recurring import sink as queue_sink
from shop.policy import load_policy

log = logging.getLogger(__name__)


@huey.task()
def deliver_alerts(channel: str, wake_key: str | None = None) -> None:
    if wake_key is not None:
        huey.delete(wake_key)
    again = deliver_turn(channel)
    if again is not None:
        wake(channel, again)


def wake(channel: str, delay: float = 0.0) -> None:
    """Queue a delivery turn for the channel now, or once in `delay` seconds."""
    if delay <= 0:
        deliver_alerts(channel)
        return
    key = f"wake:{channel}:{int(time.time() + delay)}"
    if huey.put_if_empty(key, "1"):
        deliver_alerts.schedule((channel, key), delay=delay)


def wake_after_commit(added: set[tuple[Topic, str]]) -> None:
    for topic, destination in added:
        if topic == Topic.REVIEW_ALERT:
            wake(destination)
        elif topic == Topic.QUEUE_SINK:  # recurring issues
            wake_queue_sink()


def enqueue_on_commit() -> None:
    """Make every commit that adds outbox work wake its job (API, imports, the worker), and
    every commit that records complaints wake the recurring-issue consumer."""
    outbox.on_commit(wake_after_commit)
    recurring_service.on_commit(wake_recurring_issues)  # recurring issues


@huey.task()
def sweep_outbox() -> None:
    lease = timedelta(seconds=get_settings().outbox_lease_s)
    with unit_of_work() as session:
        due = outbox.sweep(session, utcnow(), lease, is_gone)
    for topic, destination in due:
        if topic == Topic.REVIEW_ALERT:
            wake(destination)
        elif topic == Topic.QUEUE_SINK:  # recurring issues
            wake_queue_sink()


def _every_policy_period(timestamp: object) -> bool:
    every = load_policy().follow_up_every_minutes
    return bool(crontab(minute=f"*/{every}")(timestamp))


@huey.periodic_task(_every_policy_period)
def logistics_follow_ups() -> None:
    sent = send_follow_ups()
    if sent:
        log.info("sent %d logistics follow-ups", sent)


# --- recurring issues (recurring/): the complaint consumer and the queue sink ---------------

RECURRING_WAKE = "wake:recurring_issues"  # one queued consumer run at a time for the wakes


@huey.task()
def read_complaints(wake_key: str | None = None) -> None:
    """Count the complaints recorded since the last run toward the queues' items."""
    if wake_key is not None:
        huey.delete(wake_key)
    done = recurring_service.consume_all()
    opened = sum(len(d.opened) for d in done)
    if opened:
        log.info("recurring issues: %d queue item(s) opened", opened)


@huey.periodic_task(crontab())  # every minute: what no wake announced (the bot's commits)
def read_complaints_every_minute() -> None:
    huey.delete(RECURRING_WAKE)
    recurring_service.consume_all()


def wake_recurring_issues() -> None:
    """Queue a consumer run, unless one is queued and has not started yet."""
    if huey.put_if_empty(RECURRING_WAKE, "1"):
        read_complaints(RECURRING_WAKE)


@huey.task()
def deliver_queue_sink(wake_key: str | None = None) -> None:
    if wake_key is not None:
        huey.delete(wake_key)
    again = queue_sink.deliver_turn(WORKER)
    if again is not None:
        wake_queue_sink(again)


def wake_queue_sink(delay: float = 0.0) -> None:
    """Queue a queue-sink turn now, or once in `delay` seconds."""
    if delay <= 0:
        deliver_queue_sink()
        return
    key = f"wake:{queue_sink.TOPIC}:{int(time.time() + delay)}"
    if huey.put_if_empty(key, "1"):
        deliver_queue_sink.schedule((key,), delay=delay)


# --- end of recurring issues ---


# --- the desk (conversations/desk.py): conversations nobody wrote in for a day are resolved ---


@huey.periodic_task(crontab(minute="*/15"))
def resolve_idle_conversations() -> None:
    """Resolve what went quiet (bot-resolved when no person ever replied): once per
    conversation, the event the reports count."""
    with unit_of_work() as session:
        resolved = desk.resolve_idle(session, utcnow())
    if resolved:
        log.info("resolved %d idle conversation(s)", resolved)
