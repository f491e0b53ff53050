"""The outbox keeps work exactly once: added with its cause, claimed, finished, swept."""

from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import outbox
from core.clock import utcnow
from core.database import unit_of_work
from core.outbox import Delivery, OutboxAttempt, OutboxItem, OutboxState, Outcome, Topic, Work

ALERT = Topic.REVIEW_ALERT
ME = "test-host:1"


def claim(db: Session, when: datetime, limit: int, worker: str = ME) -> list[OutboxItem]:
    return outbox.claim(db, ALERT, "wecom", when, limit, worker, f"wecom-{uuid4().hex}")


def _add(session: Session, *subjects: str, destination: str = "wecom") -> list[OutboxItem]:
    added = outbox.add(session, ALERT, [Work(destination, s, {"n": s}) for s in subjects])
    session.flush()
    return added


def test_adding_the_same_work_twice_keeps_one_row(db):
    assert len(_add(db, "1", "2")) == 2
    assert [i.subject_id for i in _add(db, "2", "3")] == ["3"]
    assert [i.subject_id for i in _add(db, "1", destination="email")] == ["1"]
    count = db.scalar(select(func.count()).select_from(OutboxItem))
    assert count == 4


def test_work_rolled_back_with_its_cause_never_wakes_the_runner(db, monkeypatch):
    woken: list[set[tuple[Topic, str]]] = []
    monkeypatch.setattr(outbox, "_wakers", [woken.append])

    def store_and_fail() -> None:
        with unit_of_work() as session:
            _add(session, "9")
            raise RuntimeError("the review could not be stored")

    with pytest.raises(RuntimeError):
        store_and_fail()
    assert woken == []
    with unit_of_work() as session:
        _add(session, "10")
    assert woken == [{(ALERT, "wecom")}]
    assert db.scalar(select(OutboxItem.subject_id).where(OutboxItem.subject_id == "9")) is None


def test_claimed_rows_are_sending_and_not_claimed_again(db):
    _add(db, "1", "2", "3")
    now = utcnow()
    first = claim(db, now, 2, ME)
    assert [i.subject_id for i in first] == ["1", "2"]
    assert {i.state for i in first} == {OutboxState.SENDING}
    assert [i.subject_id for i in claim(db, now, 10, ME)] == ["3"]
    assert claim(db, now, 10, ME) == []


def test_a_failure_backs_off_exponentially_and_the_last_one_is_dead(db):
    (item,) = _add(db, "1")
    now = utcnow()
    delays = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        claimed = claim(db, item.next_attempt_at, 10, ME)
        assert claimed == [item]
        failed = Delivery(f"m{attempt}", 0.2, "HTTP 500: busy", "500")
        outcome = outbox.finish(db, claimed, failed, now)
        if attempt < outbox.MAX_ATTEMPTS:
            assert outcome == Outcome.RETRY
            delays.append((item.next_attempt_at - now).total_seconds())
    assert outcome == Outcome.DEAD
    assert item.state == OutboxState.DEAD
    assert delays[:4] == [5, 15, 45, 135]
    assert max(delays) <= outbox.MAX_RETRY_S
    log = list(db.scalars(select(OutboxAttempt).where(OutboxAttempt.item_id == item.id)))
    assert [a.outcome for a in log] == [Outcome.RETRY] * (outbox.MAX_ATTEMPTS - 1) + [Outcome.DEAD]
    assert log[0].error_code == "500"
    assert log[0].error == "HTTP 500: busy"


def test_a_permanent_refusal_is_dead_at_once_and_an_admin_can_revive_it(db):
    (item,) = _add(db, "1")
    claimed = claim(db, utcnow(), 10, ME)
    refused = Delivery("m1", 0.1, "errcode 93000: invalid webhook url", "93000", permanent=True)
    assert outbox.finish(db, claimed, refused, utcnow()) == Outcome.DEAD
    assert outbox.items(db, OutboxState.DEAD) == [item]
    assert outbox.revive(db, item.id, utcnow()) is item
    assert (item.state, item.attempts) == (OutboxState.PENDING, 0)
    assert outbox.revive(db, item.id, utcnow()) is None  # only a dead row


def test_a_sent_row_records_the_message_that_carried_it(db):
    items = _add(db, "1", "2")
    claimed = claim(db, utcnow(), 10)
    carried_by = claimed[0].message_id
    assert outbox.finish(db, claimed, Delivery(carried_by, 0.3), utcnow()) == Outcome.SENT
    assert {(i.state, i.message_id) for i in items} == {(OutboxState.SENT, carried_by)}
    assert outbox.next_due(db, ALERT, "wecom") is None


def test_a_message_a_dead_worker_may_have_sent_goes_again_whole_under_its_own_id(db):
    _add(db, "1", "2")
    in_flight = claim(db, utcnow(), 10, "this-host:4242")
    message = in_flight[0].message_id
    _add(db, "3")  # arrived since
    outbox.sweep(db, utcnow(), timedelta(minutes=2), lambda worker: worker == "this-host:4242")

    again = claim(db, utcnow(), 10)
    assert [(i.subject_id, i.message_id) for i in again] == [("1", message), ("2", message)]
    later = claim(db, utcnow(), 10)
    assert [i.subject_id for i in later] == ["3"]
    assert later[0].message_id != message


def test_a_refused_message_is_a_new_message_next_time(db):
    _add(db, "1")
    first = claim(db, utcnow(), 10)
    outbox.finish(db, first, Delivery(first[0].message_id or "", 0.1, "HTTP 502", "502"), utcnow())
    assert first[0].message_id is None
    (again,) = claim(db, first[0].next_attempt_at, 10)
    assert again.message_id is not None


def test_the_sweep_releases_rows_a_dead_worker_left_sending(db):
    (item,) = _add(db, "1")
    lease = timedelta(minutes=2)
    long_ago = utcnow() - lease - timedelta(seconds=1)
    claim(db, long_ago, 10, ME)

    def alive(worker: str) -> bool:
        return False

    assert outbox.sweep(db, long_ago + timedelta(seconds=30), lease, alive) == set()  # in lease
    assert outbox.sweep(db, utcnow(), lease, alive) == {(ALERT, "wecom")}
    db.refresh(item)
    assert (item.state, item.claimed_by) == (OutboxState.PENDING, None)


def test_a_worker_known_dead_gives_its_rows_back_before_its_lease_runs_out(db):
    (item,) = _add(db, "1")
    claim(db, utcnow(), 10, "this-host:4242")
    lease = timedelta(minutes=2)
    assert outbox.sweep(db, utcnow(), lease, lambda worker: worker == "other-host:1") == set()
    assert outbox.sweep(db, utcnow(), lease, lambda worker: worker == "this-host:4242") == {
        (ALERT, "wecom")
    }
    db.refresh(item)
    assert item.state == OutboxState.PENDING


def test_the_sweep_leaves_a_row_another_worker_claimed_after_the_sweep_read_it(db):
    (item,) = _add(db, "1")
    claim(db, utcnow(), 10, "this-host:4242")

    def gone_and_reclaimed_meanwhile(worker: str) -> bool:
        # between the sweep's read and its update: the row was released and claimed again
        outbox.release(db, [item])
        claim(db, utcnow(), 10, "other-host:7")
        return worker == "this-host:4242"

    outbox.sweep(db, utcnow(), timedelta(minutes=2), gone_and_reclaimed_meanwhile)
    db.refresh(item)
    assert (item.state, item.claimed_by) == (OutboxState.SENDING, "other-host:7")


def test_only_a_process_of_this_machine_that_is_gone_is_known_dead():
    from jobs.workers import HOST, WORKER, is_gone

    assert not is_gone(WORKER)  # this test's own process
    assert not is_gone(f"another-{HOST}:1")  # another machine: only its lease tells
    assert is_gone(f"{HOST}:{2**22 + 12345}")  # beyond Linux's pid range: no such process
