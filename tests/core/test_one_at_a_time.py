"""Two units of work with the same name never overlap on PostgreSQL (a periodic job that two
workers started at once runs one after the other); on SQLite the single writer does it."""

import threading
import time

from sqlalchemy.orm import Session

from core.database import get_engine, one_at_a_time


def test_the_second_waits_until_the_first_has_committed():
    engine = get_engine()
    taken: list[float] = []
    first = Session(engine)
    first.begin()
    one_at_a_time(first, "logistics_follow_ups")

    def second() -> None:
        with Session(engine) as session, session.begin():
            one_at_a_time(session, "logistics_follow_ups")
            taken.append(time.monotonic())

    waiting = threading.Thread(target=second)
    waiting.start()
    time.sleep(0.5)
    released = time.monotonic()
    first.commit()
    first.close()
    waiting.join(10)
    if engine.dialect.name == "postgresql":
        assert taken
        assert taken[0] >= released
    else:  # SQLite: no lock to take (nothing written yet), the second goes at once
        assert taken
        assert taken[0] < released


def test_different_names_do_not_wait_for_each_other():
    engine = get_engine()
    with Session(engine) as a, a.begin():
        one_at_a_time(a, "logistics_follow_ups")
        with Session(engine) as b, b.begin():
            started = time.monotonic()
            one_at_a_time(b, "another_job")
            assert time.monotonic() - started < 1
