"""A real alert stack on this machine: a scratch shop database, the job queue, a `python -m jobs`
worker process, and all five alert channels pointing at local receivers. The worker test and
`bench/alert_latency.py` use it to import reviews, kill workers and see what arrived where.

The database and the queue are of the suite's kind: SQLite files (the embedded default), or,
when TEST_DATABASE_URL names PostgreSQL, a scratch schema there for both (Huey's PostgreSQL
storage), dropped at the end.
"""

import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from sqlalchemy import Engine, create_engine, text

from tests.connectors.alerts.receivers import (
    DINGTALK,
    FEISHU,
    PLATFORM_PER_MINUTE,
    WEBHOOK,
    WECOM,
    ClosedOnExit,
    RecordedMail,
    RecordedRequest,
    RobotReceiver,
    SmtpReceiver,
    covered_review_ids,
)
from tests.local_servers import RedisServer
from words.render import alert_text

ROOT = Path(__file__).resolve().parents[2]
SECRET = "stack-secret"
EMAIL_LEVELS = {"medium", "high", "critical"}  # reviews/alert_channels.yaml: email from medium


@dataclass(frozen=True)
class Arrival:
    review_id: int
    channel: str
    at: float  # time.time() the message carrying it arrived
    message: str  # which message: its delivery id (webhook), Message-ID (email) or text (robots)


def message_identity(recorded: RecordedRequest | RecordedMail) -> str:
    """What tells one message from another: a message sent again after a worker died mid-send
    is the same message (the same id, the same text)."""
    if isinstance(recorded, RecordedMail):
        return str(recorded.message["Message-ID"])
    repeat = alert_text("sent_before_notice") + "\n\n"
    return recorded.headers.get("x-kefu-delivery") or recorded.text.removeprefix(repeat)


class AlertStack(ClosedOnExit):
    """`redis=True`: the queue and the channels' rate limits in a Redis server of its own (how
    several workers on several machines share them), the database as above."""

    def __init__(
        self, folder: Path, lease_s: float = 120.0, sweep_s: float = 1.0, redis: bool = False
    ) -> None:
        self.folder = folder
        self.redis: RedisServer | None = None
        self.robots = {
            "webhook": RobotReceiver(WEBHOOK, SECRET),
            "wecom": RobotReceiver(WECOM, per_minute=PLATFORM_PER_MINUTE[WECOM]),
            "dingtalk": RobotReceiver(DINGTALK, SECRET, per_minute=PLATFORM_PER_MINUTE[DINGTALK]),
            "feishu": RobotReceiver(FEISHU, SECRET, per_minute=PLATFORM_PER_MINUTE[FEISHU]),
        }
        self.smtp = SmtpReceiver()
        database, jobs = self._storage(folder)
        self.engine: Engine = create_engine(database)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database,
            "JOBS_URL": jobs,
            "OUTBOX_LEASE_S": str(lease_s),
            "OUTBOX_SWEEP_S": str(sweep_s),
            "ALERT_WEBHOOK_URL": self.robots["webhook"].url,
            "ALERT_WEBHOOK_SECRET": SECRET,
            "ALERT_WECOM_URL": self.robots["wecom"].url,
            "ALERT_DINGTALK_URL": self.robots["dingtalk"].url,
            "ALERT_DINGTALK_SECRET": SECRET,
            "ALERT_FEISHU_URL": self.robots["feishu"].url,
            "ALERT_FEISHU_SECRET": SECRET,
            "ALERT_SMTP_URL": self.smtp.url,
            "ALERT_EMAIL_TO": "dianzhang@example.com",
        }
        if redis:
            self.redis = RedisServer(folder)
            self.redis.start()
            self.env |= {"JOBS_URL": self.redis.url(0), "RATE_LIMIT_URL": self.redis.url(1)}
        self.workers: list[subprocess.Popen[bytes]] = []
        self._run([sys.executable, "-c", "from core.migrations import upgrade; upgrade()"])

    def _storage(self, folder: Path) -> tuple[str, str]:
        """The shop database's URL and the queue's."""
        postgres = os.environ.get("TEST_DATABASE_URL", "")
        self.schema: str | None = None
        if not postgres.startswith("postgresql"):
            return f"sqlite:///{folder / 'shop.db'}", f"sqlite:///{folder / 'jobs.db'}"
        self.schema = f"stack_{uuid4().hex[:12]}"
        with create_engine(postgres).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        scoped = f"{postgres}?options=-csearch_path%3D{self.schema}"
        return scoped, scoped.replace("postgresql+psycopg://", "postgresql://")

    def _run(self, command: list[str]) -> None:
        subprocess.run(command, cwd=ROOT, env=self.env, check=True, capture_output=True)

    # --- the worker

    def start_worker(self) -> None:
        log = (self.folder / f"worker{len(self.workers)}.log").open("wb")
        self.workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "jobs"], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        )

    def kill_worker(self, index: int = -1) -> None:
        """SIGKILL: the worker dies mid-task, acknowledging nothing."""
        worker = self.workers[index]
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    # --- reviews in

    def import_reviews(self, texts: list[str], first_id: int = 1) -> None:
        """`python -m reviews import` of a CSV of these texts (1 star each, ids from first_id)."""
        path = self.folder / f"import-{first_id}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["review_id", "text", "rating", "product_id"])
            for n, text in enumerate(texts, start=first_id):
                writer.writerow([f"R{n}", text, 1, f"P-{n % 7}"])
        subprocess.run(
            [sys.executable, "-m", "reviews", "import", str(path), "--platform", "taobao"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    # --- what arrived

    def expected(self) -> dict[str, dict[int, float]]:
        """channel → {review id: when it was stored} for every alert the shop should send."""
        with self.engine.connect() as db:
            rows = db.execute(
                text(
                    "select r.id, r.imported_at, a.severity from reviews r"
                    " join review_analyses a on a.review_id = r.id where a.negative"
                )
            ).all()
        stored = {review_id: _utc(at).timestamp() for review_id, at, _ in rows}
        wanted = {channel: dict(stored) for channel in self.robots}
        wanted["email"] = {i: stored[i] for i, _, level in rows if level in EMAIL_LEVELS}
        return wanted

    def messages(self) -> dict[str, list[RecordedRequest] | list[RecordedMail]]:
        found: dict[str, list[RecordedRequest] | list[RecordedMail]] = {
            name: robot.accepted for name, robot in self.robots.items()
        }
        found["email"] = self.smtp.messages
        return found

    def arrivals(self) -> list[Arrival]:
        return [
            Arrival(review_id, channel, message.at, message_identity(message))
            for channel, messages in self.messages().items()
            for message in messages
            for review_id in covered_review_ids(message)
        ]

    def coverage(self) -> dict[str, Counter[int]]:
        """channel → how many accepted messages named each review."""
        counts: dict[str, Counter[int]] = {channel: Counter() for channel in self.messages()}
        for arrival in self.arrivals():
            counts[arrival.channel][arrival.review_id] += 1
        return counts

    def distinct_coverage(self) -> dict[str, Counter[int]]:
        """channel → in how many *different* messages each review was (a message sent again
        after a worker died mid-send counts once)."""
        seen = {(a.channel, a.review_id, a.message) for a in self.arrivals()}
        counts: dict[str, Counter[int]] = {channel: Counter() for channel in self.messages()}
        for channel, review_id, _ in seen:
            counts[channel][review_id] += 1
        return counts

    def wait_until_delivered(self, timeout_s: float) -> bool:
        """Whether every expected alert arrived before the timeout."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            expected, coverage = self.expected(), self.coverage()
            if all(set(expected[c]) <= set(coverage[c]) for c in expected):
                return True
            time.sleep(0.2)
        return False

    # --- the end

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(10)
                except subprocess.TimeoutExpired:
                    worker.kill()
        for robot in self.robots.values():
            robot.close()
        self.smtp.close()
        self.engine.dispose()
        if self.redis is not None:
            self.redis.stop()
        if self.schema is not None:
            with create_engine(os.environ["TEST_DATABASE_URL"]).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))


def _utc(moment: datetime | str) -> datetime:
    """A stored naive-UTC moment (SQLite gives text, PostgreSQL a datetime) as aware UTC."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.replace(tzinfo=UTC)
