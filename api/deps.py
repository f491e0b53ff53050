"""Request dependencies, as `Annotated` aliases for route signatures."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from core.database import get_session_factory
from core.settings import Settings, get_settings


def _db_session() -> Iterator[Session]:
    with get_session_factory()() as session:
        yield session


DbSession = Annotated[Session, Depends(_db_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
