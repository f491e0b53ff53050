"""Rasa's SQL tracker store, tuned for several Rasa servers sharing it (runs inside Rasa).

Two costs of Rasa 3.6's `SQLTrackerStore` per message, found by profiling a server under the
chat benchmark, are removed; the table and its rows stay Rasa's own:

- Before every save it counts the stored events of the conversation's latest session, to know
  which of the tracker's events are new. Under the Redis lock store one server handles a
  conversation at a time, so that count is the number of events this server read when it
  retrieved the tracker a moment earlier, or wrote when it last saved it: the store remembers
  it on the tracker and counts in the database only for a tracker it neither read nor saved.
- On SQLite, SQLAlchemy 1.4 opens and closes a connection for every session (NullPool), and
  closing the last one checkpoints the write-ahead log: a quarter of the time of a save. The
  store keeps its connections open and gives them the settings of the application's SQLite
  database (WAL, so servers read while one writes; `synchronous=NORMAL`).
- Reading a tracker built an ORM object for every row, and saving one added an ORM object per
  new event and flushed them one by one: together a fifth of the server's CPU (session 27).
  Here the rows are read as their `data` column alone and written in one `executemany` insert;
  the query, the columns and the values are Rasa's.

Configured in `var/endpoints.yml` (`scripts/rasa_stores.py`) as
`type: bot.tracker_store.SharedSQLTrackerStore`.
"""

import itertools
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

_STORED = "_stored_event_count"  # events of the latest session already in the table


class SharedSQLTrackerStore(SQLTrackerStore):
    engine: "sa.engine.Engine"  # set by SQLTrackerStore (Rasa's environment; untyped here)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=QueuePool)
            sa.event.listen(self.engine, "connect", _sqlite_settings)
            self.sessionmaker = sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        tracker = await super().retrieve(sender_id)
        if tracker is not None:  # one tracker event per stored row of the latest session
            setattr(tracker, _STORED, len(tracker.events))
        return tracker

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_row(tracker.sender_id, e) for e in self._additional_events(session, tracker)]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        setattr(tracker, _STORED, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        stored = getattr(tracker, _STORED, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """The row Rasa's `SQLTrackerStore.save` stores for an event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _sqlite_settings(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
