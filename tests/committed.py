"""For the few tests that must commit (real concurrency, a live server): leave the shared test
database's recurring-issue consumer where it was."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, insert, select

from core.database import get_engine
from recurring.models import RecurringCursor


@contextmanager
def consumer_cursor_kept() -> Iterator[None]:
    """A commit wakes the recurring-issue consumer (jobs run at once in the tests), which moves
    its cursor past the committed events; once the test deletes them, SQLite gives their ids
    to the next tests' events, which the consumer would then skip. Put the cursor back."""
    table = RecurringCursor.__table__
    with get_engine().begin() as connection:
        kept = [dict(row._mapping) for row in connection.execute(select(table))]
    try:
        yield
    finally:
        with get_engine().begin() as connection:
            connection.execute(delete(table))
            if kept:
                connection.execute(insert(table), kept)
