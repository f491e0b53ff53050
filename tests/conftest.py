"""Shared fixtures: a migrated, seeded demo database for the whole session.

Tests never touch DATABASE_URL's database: they use TEST_DATABASE_URL (CI points it at a
PostgreSQL test database; under pytest-xdist each worker gets a database of its own beside it)
or else a fresh SQLite file in a temporary folder. The demo is seeded once; a test writes only
through `db`, which rolls back everything at its end, including what the code under test writes
in its own units of work (and the API's, through `api_client`).
"""

import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, make_url, text


def _worker_database(url: str, worker: str) -> str:
    """A database of this xdist worker's own beside `url`'s (kefu_test_gw0, …), created when
    missing: each worker seeds the demo and resets the schema at its start."""
    base = make_url(url)
    mine = base.set(database=f"{base.database}_{worker}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": mine.database}
        )
        if not exists:
            connection.execute(
                text(f"CREATE DATABASE \"{mine.database}\" ENCODING 'UTF8' TEMPLATE template0")
            )
    engine.dispose()
    return mine.render_as_string(hide_password=False)


def _test_database_url() -> str:
    url, worker = os.environ.get("TEST_DATABASE_URL"), os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='kefu-tests-')) / 'test.db'}"
    return _worker_database(url, worker) if worker else url


os.environ["DATABASE_URL"] = _test_database_url()
os.environ["JOBS_URL"] = "memory://"  # jobs run at once, in the test process

from alembic import command  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from core.clock import utcnow  # noqa: E402
from core.database import get_engine, sessions_bound_to, unit_of_work  # noqa: E402
from core.migrations import alembic_config  # noqa: E402
from faq.knowledge_base import import_if_empty  # noqa: E402
from shop.demo.seed import seed  # noqa: E402
from tests.staff import add_test_staff  # noqa: E402

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the test database (CI's second run, on PostgreSQL: "
        "the others ran on SQLite already and never read a database)",
    )


def _uses_the_test_database(item: pytest.Item) -> bool:
    """Whether a test reads the test database: through the seeded demo or a scratch database,
    or by TEST_DATABASE_URL itself (marked `database`)."""
    if item.get_closest_marker("database") is not None:
        return True
    return bool(set(getattr(item, "fixturenames", ())) & {"seeded_at", "scratch"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests last: their live server commits into the shared test database (a
    browser cannot join a test's transaction), which tests counting rows must not see.
    With --database-tests-only, the tests that never use the database are deselected."""
    if config.getoption("--database-tests-only"):
        kept = [item for item in items if _uses_the_test_database(item)]
        kept_ids = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[i for i in items if id(i) not in kept_ids])
        items[:] = kept
    items.sort(key=lambda item: "/tests/e2e/" in str(item.path))


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
    with unit_of_work() as session:
        seed(session, now=now)
        import_if_empty(session)
        add_test_staff(session)
    yield now
    get_engine().dispose()


@pytest.fixture
def db(seeded_at: datetime) -> Iterator[Session]:
    """A session on the seeded demo database; whatever the test writes is rolled back.

    Every unit of work opened during the test (by the code under test, the API's requests, a
    CLI) runs in a savepoint of the same connection and transaction, so it is rolled back too.
    The connection is used by one thread at a time: the test's, or the API's while the test
    waits for its response (TestClient), which is what SQLite and psycopg allow.
    """
    connection = get_engine().connect()
    transaction = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite sends BEGIN only before the first write: a unit of work's SAVEPOINT sent
        # first would open the real transaction itself, and its RELEASE would commit to disk.
        connection.exec_driver_sql("BEGIN")
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    units = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        with sessions_bound_to(units):
            yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()
        _forget_derived_state()


def _forget_derived_state() -> None:
    """Forget caches built from rows the test wrote and rolled back (the FAQ index is keyed by
    the latest revision id, which the next test's revision reuses on SQLite) and what the
    test's requests counted against the rate limits."""
    faq_service = sys.modules.get("faq.service")
    if faq_service is not None:
        faq_service.faq_search.forget()
    rate_limits = sys.modules.get("core.rate_limits")
    if rate_limits is not None:  # each test starts with every limit's window empty
        rate_limits.limiter.cache_clear()


@pytest.fixture
def api_client(db: Session) -> "TestClient":
    """A TestClient of the whole app (without its lifespan: no gateway, no follow-up loop) whose
    requests write into the test's rolled-back transaction. `tests.staff.bearer(role)` signs a
    request in as the test user of that role."""
    from fastapi.testclient import TestClient

    from api.main import app

    return TestClient(app)
