"""The queue sink: every version of an item (opened, updated, acknowledged, assigned, closed) is
an outbox row written with the change, delivered as signed JSON by the job runner; and a commit
that records complaints wakes the consumer."""

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from core.clock import utcnow
from core.database import unit_of_work
from core.outbox import OutboxItem, OutboxState, Topic
from core.settings import Settings, get_settings
from recurring import service, sink
from recurring.models import Queue
from tests.connectors.alerts.receivers import WEBHOOK, Failure, RobotReceiver
from tests.recurring.conftest import open_items, read_all, review

SECRET = "sink-secret"
FADED = "衣服洗了一次就掉色，质量太差"


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch):
    """A signed webhook receiver switched on as the queue sink."""
    with RobotReceiver(WEBHOOK, SECRET) as hook:
        monkeypatch.setattr(get_settings(), "queue_sink_url", hook.url)
        monkeypatch.setattr(get_settings(), "queue_sink_secret", SECRET)
        yield hook


def _sink_rows(db) -> list[OutboxItem]:
    query = select(OutboxItem).where(OutboxItem.topic == Topic.QUEUE_SINK).order_by(OutboxItem.id)
    return list(db.scalars(query.execution_options(populate_existing=True)))


def test_sink_rows_are_written_when_an_item_opens_and_each_time_it_changes(db, receiver):
    for _ in range(3):
        review(db, FADED)
    read_all(db)
    [item] = open_items(db, Queue.PRODUCT)
    [opened] = _sink_rows(db)
    assert (opened.destination, opened.subject_id) == ("queue_sink", f"{item.id}:{item.version}")
    assert opened.payload["action"] == "opened"
    assert opened.payload["item"]["complaint_count"] == 3
    assert len(opened.payload["item"]["links"]["review_ids"]) == 3

    review(db, FADED)
    read_all(db)
    service.acknowledge(db, item.id, "运营小王", utcnow())
    rows = _sink_rows(db)
    assert [(r.payload["action"], r.payload["item"]["complaint_count"]) for r in rows] == [
        ("opened", 3),
        ("updated", 4),
        ("acknowledged", 4),
    ]
    assert rows[2].payload["by"] == "运营小王"
    assert len({r.subject_id for r in rows}) == 3  # one row per version
    assert [r.payload["item"]["version"] for r in rows] == sorted(
        r.payload["item"]["version"] for r in rows
    )


def test_no_sink_rows_without_a_sink(db):
    for _ in range(3):
        review(db, FADED)
    read_all(db)
    assert open_items(db, Queue.PRODUCT)
    assert _sink_rows(db) == []


def test_the_sink_gets_the_item_versions_as_signed_json(db, receiver):
    for _ in range(3):
        review(db, FADED)
    read_all(db)
    [item] = open_items(db, Queue.PRODUCT)
    service.assign(db, item.id, "品控小张", "运营小王", utcnow())
    db.flush()
    assert sink.deliver_turn("test-host:1") is None
    [request] = receiver.requests
    assert request.status == 204  # the receiver checked the signature and the timestamp
    body = request.body
    assert body["type"] == "queue_items"
    assert request.headers["x-kefu-delivery"] == body["id"]
    assert [(v["action"], v["item"]["state"]) for v in body["items"]] == [
        ("opened", "open"),
        ("assigned", "assigned"),
    ]
    assert body["items"][1]["item"]["assignee"] == "品控小张"
    assert body["items"][0]["url"].endswith(f"/api/queues/items/{item.id}")
    assert {r.state for r in _sink_rows(db)} == {OutboxState.SENT}


def test_a_failing_sink_is_tried_again_and_a_switched_off_one_leaves_its_rows_dead(
    db, receiver, monkeypatch
):
    receiver.fail(Failure.http(503))
    for _ in range(3):
        review(db, FADED)
    read_all(db)
    assert sink.deliver_turn("test-host:1") > 0  # back off, then again
    [row] = _sink_rows(db)
    assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
    monkeypatch.setattr(get_settings(), "queue_sink_url", "")
    row.next_attempt_at = utcnow()
    db.flush()
    assert sink.deliver_turn("test-host:1") is None
    [row] = _sink_rows(db)
    assert row.state == OutboxState.DEAD
    assert "QUEUE_SINK_URL" in row.last_error


def test_a_sink_address_needs_its_secret():
    with pytest.raises(ValidationError, match="QUEUE_SINK_SECRET"):
        Settings(_env_file=None, queue_sink_url="https://tracker.example.com/hook")
    assert Settings(_env_file=None).queue_sink_url == ""


def test_a_commit_that_records_complaints_wakes_the_consumer(db, monkeypatch):
    from core import outbox
    from jobs import tasks

    monkeypatch.setattr(outbox, "_wakers", [])
    tasks.enqueue_on_commit()  # jobs run in-process in tests (JOBS_URL=memory://)
    for _ in range(3):
        with unit_of_work() as session:
            review(session, FADED, product_id="P-WAKE")
    [item] = open_items(db, Queue.PRODUCT)  # no one called the consumer
    assert (item.product_id, item.complaint_count) == ("P-WAKE", 3)
