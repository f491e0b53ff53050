"""Alembic environment: migrates the database that DATABASE_URL (core.settings) names."""

from logging.config import fileConfig

from alembic import context

import core.models  # noqa: F401  (registers every table on Base.metadata)
from core.database import Base, get_engine, make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(
        url=str(get_engine().url),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on a connection given by the caller, or on the configured database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url")
    engine = make_engine(url) if url else get_engine()
    with engine.connect() as connection:
        _run(connection)


def _run(connection) -> None:
    # render_as_batch lets ALTER-style migrations work on SQLite too.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
