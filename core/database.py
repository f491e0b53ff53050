"""The SQLAlchemy engine, session factory and declarative base for every table."""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import (
    DateTime,
    Dialect,
    Engine,
    Enum,
    MetaData,
    TypeDecorator,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from core.settings import get_settings

# Stable constraint names, so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of all models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys on and its folder created."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(
            dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry
        ) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives a crash of the app; only a power cut can undo the
            # last few, and the file never corrupts. FULL would fsync on every chat message.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured DATABASE_URL."""
    return make_engine(get_settings().database_url)


@lru_cache
def _default_session_factory() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


_override: sessionmaker[Session] | None = None


def get_session_factory() -> sessionmaker[Session]:
    """The sessions every unit of work opens (the configured database, or a test's)."""
    return _override or _default_session_factory()


@contextmanager
def sessions_bound_to(factory: sessionmaker[Session]) -> Iterator[None]:
    """Make every unit of work in this process use `factory` (tests bind it to a connection
    inside a transaction they roll back)."""
    global _override
    previous, _override = _override, factory
    try:
        yield
    finally:
        _override = previous


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: what is written inside commits together at the end, or not at all.

    Open one per request, per bot action turn and per job, and pass the session down; domain
    code only flushes.
    """
    with get_session_factory().begin() as session:
        yield session


T = TypeVar("T")


def remembered(session: Session, key: Hashable, load: Callable[[], T]) -> T:
    """`load()`, computed once per session under `key`: a read that several parts of one unit of
    work repeat (a bot turn's readers each ask for the product names). `forget` drops it when
    what it read changes."""
    memo: dict[Hashable, Any] = session.info.setdefault(_REMEMBERED, {})
    if key not in memo:
        memo[key] = load()
    return cast(T, memo[key])


def remembers(session: Session, key: Hashable) -> bool:
    """Whether `remembered` keeps something under `key` in this session."""
    return key in session.info.get(_REMEMBERED, {})


def forget(session: Session, key: Hashable) -> None:
    """Drop what `remembered` keeps under `key` in this session."""
    session.info.get(_REMEMBERED, {}).pop(key, None)


_REMEMBERED = "remembered"


def one_at_a_time(session: Session, name: str) -> None:
    """Make this unit of work the only one named `name` until it ends, across processes and
    machines (a periodic job that two workers started at once): on PostgreSQL a transaction-level
    advisory lock, released by the commit or a crash; SQLite lets one writer at a time anyway,
    and a writer whose reads are stale is refused rather than allowed to write."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back timezone-aware, on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one (core.clock.utcnow())")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        return None if value is None else value.replace(tzinfo=UTC)


def enum_column(enum_cls: type[StrEnum], length: int = 32) -> Enum:
    """A portable enum column: a VARCHAR holding the value, the same on SQLite and PostgreSQL."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
