"""`python -m jobs`: the worker. Runs the jobs of jobs.tasks with JOB_WORKERS threads, sweeps
the outbox at once (a restart picks up what the last run left) and then every minute.
Ctrl-C (SIGINT) or SIGTERM stops it after the running jobs."""

import logging

from huey.consumer import Consumer

from core.settings import get_settings
from jobs import tasks
from jobs.runner import huey


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    tasks.enqueue_on_commit()
    tasks.sweep_outbox()
    Consumer(huey, workers=get_settings().job_workers, worker_type="thread", periodic=True).run()


if __name__ == "__main__":
    main()
