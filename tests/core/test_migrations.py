from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import core.models  # noqa: F401
from core.database import Base, get_engine


def test_migrations_create_exactly_the_tables_the_models_declare(seeded_at):
    with get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_upgrade(seeded_at):
    tables = set(inspect(get_engine()).get_table_names())
    assert set(Base.metadata.tables) <= tables
