"""Shared fixtures: a migrated, seeded demo database for the whole session.

Tests never touch DATABASE_URL's database: they use TEST_DATABASE_URL (CI points it at a
PostgreSQL test database) or else a fresh SQLite file in a temporary folder.
"""

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

_tmp = Path(tempfile.mkdtemp(prefix="kefu-tests-"))
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_tmp / 'test.db'}"

from alembic import command  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from core.clock import utcnow  # noqa: E402
from core.database import get_engine, get_session_factory  # noqa: E402
from core.migrations import alembic_config  # noqa: E402
from faq.knowledge_base import import_if_empty  # noqa: E402
from shop.demo.seed import seed  # noqa: E402


def reset_schema() -> None:
    """Drop every table through the migrations, then migrate to head."""
    config = alembic_config()
    command.downgrade(config, "base")
    command.upgrade(config, "head")


@pytest.fixture(scope="session")
def seeded_at() -> Iterator[datetime]:
    """Migrate and seed the test database once; yields the moment the demo was seeded."""
    reset_schema()
    now = utcnow()
    with get_session_factory()() as session:
        seed(session, now=now)
        import_if_empty(session)
        session.commit()
    yield now
    get_engine().dispose()


@pytest.fixture
def db(seeded_at: datetime) -> Iterator[Session]:
    """A session on the seeded demo database; whatever the test writes is rolled back."""
    connection = get_engine().connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()
