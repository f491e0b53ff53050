"""Two Rasa servers sharing the tuned SQL tracker store keep every event exactly once.

The store runs inside Rasa, so the scenario runs in the Rasa environment and reports what it
read back.
"""

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import asyncio, json, sys
from bot.tracker_store import SharedSQLTrackerStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

def store():
    return SharedSQLTrackerStore(Domain.empty(), dialect="sqlite", db=sys.argv[1])

def texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]

async def main():
    server_a, server_b = store(), store()
    report = {}
    tracker = await server_a.get_or_create_tracker("c1")  # new: saved without a retrieve
    tracker.update(UserUttered("你好"))
    await server_a.save(tracker)
    tracker.update(ActionExecuted("utter_greet"))
    await server_a.save(tracker)  # saved twice by the same server
    other = await server_b.retrieve("c1")  # the next message lands on the other server
    other.update(UserUttered("我的快递到哪了"))
    await server_b.save(other)
    again = await server_a.retrieve("c1")
    report["texts"] = texts(again)
    report["events"] = len(again.events)
    again.update(SessionStarted())  # a new session: only its events are read back
    again.update(UserUttered("在吗"))
    await server_a.save(again)
    report["new_session"] = texts(await server_b.retrieve("c1"))
    stranger = server_b.init_tracker("c1")  # a tracker this store never read or saved
    for value in "123":
        stranger.update(SlotSet("order_id", value))
    new = server_b._additional_events(server_b.sessionmaker(), stranger)
    report["stranger_new"] = [e.value for e in new]
    report["rows"] = len((await server_a.retrieve_full_tracker("c1")).events)
    with server_a.engine.connect() as connection:
        report["journal"] = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    rasas = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=sys.argv[1] + "-rasa")
    ours = store()
    for kept_by in (ours, rasas):  # the same turn kept by our store and by Rasa's own
        turn = kept_by.init_tracker("c2")
        intent = {"name": "track_order", "confidence": 0.9}
        turn.update(UserUttered("查物流", intent, timestamp=1.5))
        turn.update(ActionExecuted("action_track_order", timestamp=2.5))
        turn.update(SlotSet("order_id", "DD1", timestamp=3.5))
        await kept_by.save(turn)
    rows = []
    for kept_by in (ours, rasas):
        with kept_by.engine.connect() as connection:
            rows.append([list(row) for row in connection.exec_driver_sql(
                "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                "FROM events WHERE sender_id = 'c2' ORDER BY id")])
    report["rows_as_rasas"] = rows[0] == rows[1] and len(rows[0]) == 3
    read = [await kept_by.retrieve("c2") for kept_by in (ours, rasas)]
    report["read_as_rasas"] = [e.as_dict() for e in read[0].events] == [
        e.as_dict() for e in read[1].events]
    report["nobody"] = await ours.retrieve("nobody")
    print(json.dumps(report, ensure_ascii=False))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    return run_in_rasa_env(SCENARIO, str(tmp_path_factory.mktemp("trackers") / "trackers.db"))


def test_messages_handled_by_either_server_are_stored_once_in_order(report):
    assert report["texts"] == ["你好", "我的快递到哪了"]
    assert report["events"] == 4  # action_listen, 你好, utter_greet, 我的快递到哪了
    assert report["rows"] == 6  # + the new session's start and 在吗


def test_a_new_session_is_read_back_alone(report):
    assert report["new_session"] == ["在吗"]


def test_a_tracker_the_store_never_read_is_compared_with_the_rows_counted_in_sql(report):
    assert report["stranger_new"] == ["3"]  # the latest session holds two rows


def test_events_are_stored_and_read_back_as_rasas_own_store_does(report):
    assert report["rows_as_rasas"]
    assert report["read_as_rasas"]
    assert report["nobody"] is None


def test_the_sqlite_tracker_store_writes_ahead(report):
    assert report["journal"] == "wal"
