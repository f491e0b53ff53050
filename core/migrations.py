"""Apply the Alembic migrations programmatically (used by `make run`, the seed and the tests)."""

from alembic import command
from alembic.config import Config

from core.settings import PROJECT_ROOT


def alembic_config(url: str | None = None, quiet: bool = False) -> Config:
    """The project's Alembic config; `url` overrides DATABASE_URL; `quiet` keeps logging as is."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    if url:
        config.attributes["url"] = url
    config.attributes["configure_logger"] = not quiet
    return config


def upgrade(url: str | None = None, quiet: bool = False) -> None:
    """Bring the database up to the newest revision."""
    command.upgrade(alembic_config(url, quiet), "head")
