"""The policy file is checked when it is loaded; migration 0010 creates the three tables (as the
models declare them) and its downgrade drops them with the queue items' events and sink rows."""

import threading
import time
from datetime import datetime

import pytest
import yaml
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from recurring.models import Queue, RecurringComplaint, RecurringIssue
from recurring.policy import POLICY_FILE, PolicyError, load_recurring_policy
from recurring.service import consume
from reviews.importer import ReviewRow
from reviews.service import store_reviews
from tests.core.test_migrations import migrate, scratch  # noqa: F401  (a fixture)

FADED = "衣服洗了一次就掉色，质量太差"
TABLES = {"recurring_issues", "recurring_complaints", "recurring_cursor"}


def test_the_shipped_policy_covers_every_queue():
    policy = load_recurring_policy()
    assert set(policy.queues) == set(Queue)
    logistics = policy.queues[Queue.LOGISTICS]
    assert (logistics.threshold, logistics.window_days) == (3, 3)


def _without_logistics(policy: dict) -> None:
    del policy["queues"]["logistics"]


def _threshold_zero(policy: dict) -> None:
    policy["queues"]["product"]["threshold"] = 0


def _unknown_field(policy: dict) -> None:
    policy["queues"]["service"]["colour"] = "red"


def _window_past_lookback(policy: dict) -> None:
    policy["queues"]["service"]["window_days"] = policy["lookback_days"] + 1


@pytest.mark.parametrize(
    ("breaks", "complaint"),
    [
        (_without_logistics, "queues missing: logistics"),
        (_threshold_zero, "threshold"),
        (_unknown_field, "colour"),
        (_window_past_lookback, "longer than lookback_days"),
    ],
)
def test_an_invalid_policy_is_refused_naming_the_file(tmp_path, breaks, complaint):
    policy = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    breaks(policy)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyError, match=complaint) as refused:
        load_recurring_policy(path)
    assert str(path) in str(refused.value)


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_0010_creates_the_recurring_tables_and_its_downgrade_drops_them(scratch):  # noqa: F811
    migrate(scratch, "upgrade", "0010")
    assert _tables(scratch) >= TABLES
    uniques = inspect(scratch).get_unique_constraints("recurring_issues")
    assert [u["column_names"] for u in uniques] == [["open_key"]]
    at = datetime(2026, 12, 5, 8, 0)
    with scratch.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO outbox (topic, destination, subject_id, payload, state, attempts, "
                "created_at, next_attempt_at) VALUES "
                "('queue_sink', 'queue_sink', '1:1', '{}', 'pending', 0, :at, :at), "
                "('review_alert', 'wecom', '7', '{}', 'pending', 0, :at, :at)"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO events (name, occurred_at, subject_type, subject_id, payload) VALUES "
                "('queue_item.opened', :at, 'queue_item', '1', '{}'), "
                "('review.received', :at, 'review', '7', '{}')"
            ),
            {"at": at},
        )
    migrate(scratch, "downgrade", "0009")
    assert _tables(scratch).isdisjoint(TABLES)
    with scratch.connect() as connection:
        topics = connection.execute(text("SELECT topic FROM outbox")).scalars().all()
        names = connection.execute(text("SELECT name FROM events")).scalars().all()
    assert (topics, names) == (["review_alert"], ["review.received"])
    migrate(scratch, "upgrade", "head")
    assert _tables(scratch) >= TABLES


def test_two_consumers_at_once_count_each_complaint_once(scratch):  # noqa: F811
    """Two workers start the consumer together: on PostgreSQL the second waits for the first
    and finds nothing new; on SQLite the single writer refuses the stale one."""
    migrate(scratch, "upgrade", "head")
    with Session(scratch) as session, session.begin():
        rows = [
            ReviewRow(line=n, platform="jd", review_id=f"twice-{n}", text=FADED, rating=1,
                      product_id="P-TWICE")
            for n in range(3)
        ]  # fmt: skip
        store_reviews(session, rows)
    first_has_read, outcomes = threading.Event(), {}

    def run(name: str, hold_s: float) -> None:
        try:
            with Session(scratch) as session, session.begin():
                outcomes[name] = consume(session).complaints
                first_has_read.set()
                time.sleep(hold_s)  # still uncommitted
        except (OperationalError, IntegrityError) as exc:  # SQLite: a writer with stale reads
            outcomes[name] = type(exc).__name__
        finally:
            first_has_read.set()

    first = threading.Thread(target=run, args=("first", 0.5))
    first.start()
    first_has_read.wait(10)
    run("second", 0)
    first.join(10)
    assert outcomes["first"] == 3
    assert outcomes["second"] in (0, "IntegrityError", "OperationalError")
    with Session(scratch) as session:
        [item] = session.scalars(select(RecurringIssue)).all()
        assert item.complaint_count == 3
        assert session.scalar(select(func.count()).select_from(RecurringComplaint)) == 3
