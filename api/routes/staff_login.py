"""Staff sign-in: the login page, and the session API the page (or a script) signs in with.

A session is an HttpOnly, SameSite=Strict cookie; its CSRF token goes into every staff page and
comes back in X-CSRF-Token with each change. Sign-in attempts are limited per client and wrong
passwords per login (api/limits.py)."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from accounts.models import LOGIN_MAX, Role
from accounts.service import (
    PASSWORD_MAX,
    SESSION_LIFETIME,
    authenticate,
    end_session,
    session_staff,
    start_session,
)
from api.deps import NOT_SIGNED_IN, STAFF_COOKIE, DbSession, SignedInDep
from api.fields import PlainText
from api.limits import limit_items, sign_ins
from api.pages import StaffPage, home_path
from api.routing import ApiRoute, errors
from api.templating import templates
from core.rate_limits import hit, within
from core.settings import get_settings

router = APIRouter(route_class=ApiRoute, tags=["staff sign-in"])

WRONG = "账号或密码不正确 / wrong login or password"
LOCKED = "该账号密码错误次数过多，请稍后再试 / too many wrong passwords for this login: wait"


class Credentials(BaseModel):
    login: PlainText = Field(min_length=1, max_length=LOGIN_MAX)
    password: PlainText = Field(min_length=1, max_length=PASSWORD_MAX)


class SignedInOut(BaseModel):
    name: str
    role: Role
    home: str = Field(description="the page the role starts on")


class SessionOut(SignedInOut):
    csrf_token: str | None = Field(
        description="send it in X-CSRF-Token with every change made with the session cookie; "
        "null when signed in with an API token (no cookie, no CSRF)"
    )


def _safe_next(target: str | None) -> str | None:
    """A local path to go on to after signing in, never another site (`//evil`, `https:`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@router.get("/login", include_in_schema=False, response_class=HTMLResponse)
def login_page(
    request: Request,
    session: DbSession,
    next_path: Annotated[str | None, Query(alias="next", max_length=500)] = None,
) -> Response:
    cookie = request.cookies.get(STAFF_COOKIE)
    who = session_staff(session, cookie) if cookie else None
    if who is not None:
        return RedirectResponse(_safe_next(next_path) or home_path(who.staff), status_code=303)
    context = {"shop_name": get_settings().shop_name, "next": _safe_next(next_path) or ""}
    return templates.TemplateResponse(request, "staff/login.html", context)


@router.get("/staff", include_in_schema=False)
def staff_home(ctx: StaffPage) -> RedirectResponse:
    return RedirectResponse(home_path(ctx.staff), status_code=303)


@router.post(
    "/api/session", response_model=SignedInOut, dependencies=[sign_ins], responses=errors(401)
)
def sign_in(
    request: Request,
    response: Response,
    session: DbSession,
    credentials: Annotated[Credentials, Body()],
) -> SignedInOut:
    """Sign in with a login and password: sets the session cookie (12 hours)."""
    login = credentials.login.strip().lower()
    for item in limit_items(get_settings().sign_in_failure_limit):
        if not within(item, "sign_in_failure", login):
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, LOCKED, {"Retry-After": "900"})
    user = authenticate(session, login, credentials.password)
    if user is None:
        for item in limit_items(get_settings().sign_in_failure_limit):
            hit(item, "sign_in_failure", login)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, WRONG)
    issued = start_session(session, user)
    response.set_cookie(
        STAFF_COOKIE,
        issued.token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    staff = user.staff()
    return SignedInOut(name=staff.name, role=staff.role, home=home_path(staff))


@router.get("/api/session", response_model=SessionOut, responses=errors(401))
def who_am_i(who: SignedInDep) -> SessionOut:
    """Who the request is signed in as."""
    if who is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN, {"WWW-Authenticate": "Bearer"}
        )
    staff = who.staff
    home = home_path(staff)
    return SessionOut(name=staff.name, role=staff.role, home=home, csrf_token=who.csrf_token)


@router.delete("/api/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request, response: Response, session: DbSession, who: SignedInDep) -> None:
    """Sign out: the session ends on the server, the cookie is cleared."""
    cookie = request.cookies.get(STAFF_COOKIE)
    if who is not None and cookie:
        end_session(session, cookie)
    response.delete_cookie(STAFF_COOKIE, path="/")
