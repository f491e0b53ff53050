"""Request dependencies, as `Annotated` aliases for route signatures."""

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from connectors.storefront_chat import ChatGateway
from core.database import unit_of_work
from core.settings import Settings, get_settings


def _db_session() -> Iterator[Session]:
    """The request's unit of work: committed when the route returns, rolled back if it raises."""
    with unit_of_work() as session:
        yield session


# scope="function": the unit of work ends when the route function returns (its return value
# already serialized), BEFORE the response is sent. With the default ("request") scope FastAPI
# would commit after sending, so a commit that fails would follow a 2xx already on the wire;
# here it becomes a 500 instead, and an HTTPException raised by the route rolls everything back.
DbSession = Annotated[Session, Depends(_db_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="An admin token from ADMIN_TOKENS")


def _admin_name(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The name of the admin whose token the request carries; 401 otherwise."""
    if credentials is not None:
        for name, token in settings.admin_tokens.items():
            if secrets.compare_digest(credentials.credentials.encode(), token.encode()):
                return name
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="需要管理员令牌 / admin token required (Authorization: Bearer <token>)",
        headers={"WWW-Authenticate": "Bearer"},
    )


AdminName = Annotated[str, Depends(_admin_name)]


def needs_admin(dependant: Dependant) -> bool:
    """Whether a route (its dependency tree) asks for an admin token."""
    return dependant.call is _admin_name or any(needs_admin(d) for d in dependant.dependencies)


def _gateway(request: Request) -> ChatGateway:
    return request.app.state.gateway


Gateway = Annotated[ChatGateway, Depends(_gateway)]
