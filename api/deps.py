"""Request dependencies, as `Annotated` aliases for route signatures."""

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from accounts.models import Area, Staff
from accounts.service import SignedIn, session_staff, token_staff
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

STAFF_COOKIE = "kefu_staff"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(
    auto_error=False, description="a staff API token (`python -m accounts issue-token LOGIN`)"
)


def signed_in(
    request: Request,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> SignedIn | None:
    """Who the request comes from: an API bearer token, or else the browser session's cookie.
    A change sent with the cookie must carry the session's CSRF token in X-CSRF-Token (a page
    of another site can make the browser send the cookie, never read the token)."""
    if credentials is not None:
        return token_staff(session, credentials.credentials)
    cookie = request.cookies.get(STAFF_COOKIE)
    if not cookie:
        return None
    who = session_staff(session, cookie)
    if who is not None and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not (who.csrf_token and secrets.compare_digest(sent.encode(), who.csrf_token.encode())):
            raise HTTPException(status.HTTP_403_FORBIDDEN, CSRF_REFUSED)
    return who


SignedInDep = Annotated[SignedIn | None, Depends(signed_in)]

NOT_SIGNED_IN = "请先登录 / sign in first (a staff session, or Authorization: Bearer <API token>)"
CSRF_REFUSED = "页面已过期，请刷新后重试 / missing or wrong X-CSRF-Token for this session"


def _wrong_role(area: Area) -> str:
    return f"您的角色无权进行此操作 / your role may not do this (needs: {area.value})"


def require(area: Area) -> Callable[[SignedInDep], Staff]:
    """A dependency: the signed-in staff member, if their role works in `area`; 401, 403."""

    def staff_in_area(who: SignedInDep) -> Staff:
        if who is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN, {"WWW-Authenticate": "Bearer"}
            )
        if not who.staff.can(area):
            raise HTTPException(status.HTTP_403_FORBIDDEN, _wrong_role(area))
        return who.staff

    staff_in_area.area = area  # type: ignore[attr-defined]  # read by required_area
    return staff_in_area


DeskStaff = Annotated[Staff, Depends(require(Area.DESK))]
"""An agent or a supervisor: conversations, the review worklist, the queues, teaching the bot."""
ReportsStaff = Annotated[Staff, Depends(require(Area.REPORTS))]
"""A manager or a supervisor: the reports."""
RecordsStaff = Annotated[Staff, Depends(require(Area.RECORDS))]
"""Anyone who reads one review's or conversation's record: the desk roles, and managers (what a
report's number drills down to), read-only."""
AdminStaff = Annotated[Staff, Depends(require(Area.ADMIN))]
"""An admin: the FAQ, policies, alert channels, users, the outbox, the bot's corrections."""


def required_area(dependant: Dependant) -> Area | None:
    """The area a route (its dependency tree) requires a role for, if any."""
    area = getattr(dependant.call, "area", None)
    if isinstance(area, Area):
        return area
    for sub in dependant.dependencies:
        found = required_area(sub)
        if found is not None:
            return found
    return None


def _gateway(request: Request) -> ChatGateway:
    return request.app.state.gateway


Gateway = Annotated[ChatGateway, Depends(_gateway)]
