"""Periodic jobs are queued once a period however many workers' schedulers look
(jobs.periodic); the real two-worker case is in test_worker.py."""

import threading
from datetime import datetime

from huey import SqliteHuey, crontab

from jobs.periodic import OncePerPeriodScheduler


def _queue(tmp_path) -> SqliteHuey:
    huey = SqliteHuey("periodic-test", filename=str(tmp_path / "queue.db"))

    @huey.periodic_task(crontab())
    def every_minute() -> None: ...

    @huey.periodic_task(crontab(minute="*/5"))
    def every_five_minutes() -> None: ...

    return huey


def _scheduler(huey: SqliteHuey) -> OncePerPeriodScheduler:
    return OncePerPeriodScheduler(huey, threading.Event(), interval=1, periodic=True)


def _queued(huey: SqliteHuey) -> list[str]:
    return sorted(task.name for task in huey.pending())


def test_two_schedulers_queue_each_pass_once_a_period(tmp_path):
    huey = _queue(tmp_path)
    first, second = _scheduler(huey), _scheduler(huey)

    first.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, 0, 5))
    second.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, 0, 47))  # same minute, later
    assert _queued(huey) == ["every_five_minutes", "every_minute"]

    second.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, 1, 2))  # the next minute: the
    first.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, 1, 6))  # other one is first now
    assert _queued(huey) == ["every_five_minutes", "every_minute", "every_minute"]


def test_a_scheduler_behind_by_less_than_a_period_still_finds_the_claim(tmp_path):
    huey = _queue(tmp_path)
    ahead, behind = _scheduler(huey), _scheduler(huey)
    ahead.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, 1, 0))
    ahead.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, 2, 0))
    behind.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, 1, 40))  # its clock 40 s behind
    assert _queued(huey) == ["every_minute", "every_minute"]


def test_old_claims_are_forgotten(tmp_path):
    huey = _queue(tmp_path)
    scheduler = _scheduler(huey)
    for minute in range(12):
        scheduler.enqueue_periodic_tasks(datetime(2026, 3, 2, 9, minute, 0))
    assert len(huey.pending()) == 12 + 3
    # per task: the last two periods' claims and the record of them
    assert huey.storage.result_store_size() == 2 * 3
