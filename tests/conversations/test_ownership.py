"""A conversation belongs to whoever holds the secret it was issued with (issue #14)."""

import hashlib

from sqlalchemy import select

from conversations.models import Conversation, Sender
from conversations.service import issue, owns, post
from core.events import Event, EventName


def test_only_the_owners_secret_opens_an_issued_conversation(db):
    mine, theirs = issue(db), issue(db)
    assert owns(db, mine.id, mine.secret)
    assert not owns(db, mine.id, theirs.secret)
    assert not owns(db, mine.id, mine.secret + "x")
    assert not owns(db, mine.id, None)
    assert not owns(db, mine.id, "")


def test_an_unknown_id_has_no_owner(db):
    issued = issue(db)
    assert not owns(db, "demo-1", issued.secret)
    assert not owns(db, "demo-1", None)


def test_a_conversation_stored_without_a_secret_has_no_owner(db):
    post(db, "legacy-1", Sender.BOT, "您好")  # as before issue #14, or started by the bot's side
    assert db.get(Conversation, "legacy-1").secret_hash is None
    for secret in (None, "", hashlib.sha256(b"").hexdigest(), "legacy-1"):
        assert not owns(db, "legacy-1", secret)


def test_only_the_secrets_hash_is_stored_and_the_start_is_recorded(db):
    issued = issue(db)
    stored = db.get(Conversation, issued.id)
    assert stored.secret_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in (stored.id, stored.secret_hash)
    started = db.scalars(
        select(Event).where(
            Event.name == EventName.CONVERSATION_STARTED, Event.conversation_id == issued.id
        )
    ).all()
    assert len(started) == 1
