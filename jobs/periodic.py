"""Periodic jobs queued once a period, however many workers run.

Every worker (`python -m jobs`) runs Huey's scheduler, which once a minute queues each periodic
task whose schedule matches that minute: with two workers every pass would be queued twice.
Here a scheduler first claims the period in Huey's storage (`put_if_empty`: one atomic insert
on SQLite, PostgreSQL and Redis), so the first worker to get there queues the pass and the
others skip it. A period is named by the minute on the claiming worker's clock, so workers on
several machines agree while their clocks do (NTP keeps them within well under a minute).

The claims are forgotten two periods later (Huey's SQL storages and Redis before 7.4 have no
expiry): a scheduler whose clock is behind still finds the last period's claim.
"""

import logging
from datetime import UTC, datetime

from huey import Huey
from huey.consumer import Consumer, Scheduler

log = logging.getLogger(__name__)
PREFIX = "periodic"


def claim_period(huey: Huey, task_name: str, at: datetime) -> bool:
    """Whether this caller is the first to claim `task_name`'s pass for the minute `at`."""
    period = f"{at:%Y-%m-%dT%H:%M}"
    if not huey.put_if_empty(f"{PREFIX}:{task_name}:{period}", "1"):
        return False
    recent = f"{PREFIX}:{task_name}:recent"  # the last two periods claimed
    claimed = huey.get(recent, peek=True) or []
    huey.put(recent, [*claimed[-1:], period])
    for stale in claimed[:-1]:
        huey.delete(f"{PREFIX}:{task_name}:{stale}")
    return True


class OncePerPeriodScheduler(Scheduler):
    """Huey's scheduler, queuing a periodic task only when it claimed the period."""

    def enqueue_periodic_tasks(self, now: datetime | None) -> None:
        if now is None:  # what Huey's scheduler passes: the current time, as Huey keeps it
            now = datetime.now(UTC).replace(tzinfo=None) if self.huey.utc else datetime.now()
        for task in self.huey.read_periodic(now):
            try:
                if not claim_period(self.huey, task.name, now):
                    log.debug("%s: another worker queued this period's pass", task.name)
                    continue
                log.info("Enqueueing periodic task %s.", task)
                self.huey.enqueue(task)
            except Exception:  # as Huey's own scheduler: the next period tries again
                log.exception("Error enqueueing periodic task %s.", task)


class OncePerPeriodConsumer(Consumer):
    """Huey's consumer with the scheduler above."""

    scheduler_class = OncePerPeriodScheduler
