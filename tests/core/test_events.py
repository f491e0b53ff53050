import pytest
from sqlalchemy import select

from core.events import AppendOnlyError, Event, record_event


def test_recorded_event_is_stored_with_its_payload(db):
    record_event(db, "test.recorded", "case", 42, {"reason": "物流停滞"})
    db.flush()
    stored = db.scalars(select(Event).where(Event.name == "test.recorded")).one()
    assert stored.subject_id == "42"
    assert stored.payload == {"reason": "物流停滞"}
    assert stored.occurred_at.tzinfo is not None


def test_changing_a_recorded_event_is_refused(db):
    event = record_event(db, "message.received", "conversation", "c1")
    db.flush()
    event.name = "message.edited"
    with pytest.raises(AppendOnlyError):
        db.flush()


def test_deleting_a_recorded_event_is_refused(db):
    event = record_event(db, "message.received", "conversation", "c2")
    db.flush()
    db.delete(event)
    with pytest.raises(AppendOnlyError):
        db.flush()
