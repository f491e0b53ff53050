"""`python -m jobs`: the worker. Runs the jobs of jobs.tasks with JOB_WORKERS threads, sweeps
the outbox at once (a restart picks up what the last run left) and then every OUTBOX_SWEEP_S.
Ctrl-C (SIGINT) stops it after the running jobs, SIGTERM at once (Huey's signals): its
supervisor sends SIGINT (scripts/programs.py, docs/deployment.md).

Any number of workers may share one queue (JOBS_URL on Redis or PostgreSQL): each periodic job
is queued by one of them a period (jobs.periodic). Every worker sweeps the outbox: a sweep only
gives back rows of dead workers and wakes channels with due rows, whose rows are then claimed
by one worker, and only a worker of the same machine can tell that a worker there died."""

import logging
import threading

from core.settings import get_settings
from jobs import tasks
from jobs.periodic import OncePerPeriodConsumer
from jobs.runner import huey


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    tasks.enqueue_on_commit()
    settings = get_settings()
    threading.Thread(target=_sweep_every, args=(settings.outbox_sweep_s,), daemon=True).start()
    OncePerPeriodConsumer(
        huey,
        workers=settings.job_workers,
        worker_type="thread",
        periodic=True,
        # An idle worker looks at a SQLite or PostgreSQL queue at least twice a second (Huey's
        # default backs off to 10 s, which an alert due within 5 s cannot wait; Redis blocks).
        max_delay=0.5,
    ).run()


def _sweep_every(seconds: float) -> None:
    stop = threading.Event()
    while True:
        tasks.sweep_outbox()  # queued: a worker thread runs it
        stop.wait(seconds)


if __name__ == "__main__":
    main()
