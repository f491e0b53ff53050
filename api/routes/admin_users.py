"""Staff users, for admins: list, add, change role, deactivate / reactivate, reset a password,
issue and revoke API tokens, and the page that does it. A thin adapter over accounts.service;
a new password or token is in the answer once and never stored in clear."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from accounts import service
from accounts.models import LABEL_MAX, LOGIN_MAX, NAME_MAX, Role, Staff
from accounts.service import PASSWORD_MAX, AccountError, AccountRefusal, UserSummary
from api.deps import AdminStaff, DbSession
from api.fields import Id, PlainText
from api.pages import AdminPage, render
from api.routing import ApiRoute, errors
from words.accounts import account_refusal
from words.render import label

PREFIX = "/api/admin/users"
router = APIRouter(route_class=ApiRoute, tags=["staff users"])

STATUS = {
    AccountRefusal.BAD_LOGIN: status.HTTP_422_UNPROCESSABLE_CONTENT,
    AccountRefusal.BAD_NAME: status.HTTP_422_UNPROCESSABLE_CONTENT,
    AccountRefusal.WEAK_PASSWORD: status.HTTP_422_UNPROCESSABLE_CONTENT,
    AccountRefusal.LOGIN_TAKEN: status.HTTP_409_CONFLICT,
    AccountRefusal.NAME_TAKEN: status.HTTP_409_CONFLICT,
    AccountRefusal.OWN_ACCOUNT: status.HTTP_409_CONFLICT,
    AccountRefusal.LAST_ADMIN: status.HTTP_409_CONFLICT,
    AccountRefusal.INACTIVE: status.HTTP_409_CONFLICT,
    AccountRefusal.NO_USER: status.HTTP_404_NOT_FOUND,
}


@contextmanager
def refusals() -> Iterator[None]:
    """An AccountError as the HTTP error it is, in words (the request's changes roll back)."""
    try:
        yield
    except AccountError as exc:
        raise HTTPException(STATUS[exc.refusal], account_refusal(exc.refusal)) from exc


class UserOut(BaseModel):
    id: int
    login: str
    name: str = Field(description="the unique name shoppers and reports see (花名)")
    role: Role
    role_label: str
    active: bool
    created_at: datetime
    live_tokens: int = Field(description="API tokens not revoked")
    you: bool = Field(description="the signed-in admin's own account")


class RoleOut(BaseModel):
    value: Role
    label: str


class UsersOut(BaseModel):
    items: list[UserOut]
    roles: list[RoleOut]


class UserIn(BaseModel):
    login: PlainText = Field(max_length=LOGIN_MAX, description="a-z 0-9 . _ -, e.g. xiaomei")
    name: PlainText = Field(max_length=NAME_MAX, description="the unique 花名, e.g. 客服小美")
    role: Role
    password: PlainText | None = Field(
        None, max_length=PASSWORD_MAX, description="none: a random one, in the answer once"
    )


class CreatedOut(BaseModel):
    user: UserOut
    password: str | None = Field(description="the generated password, shown this once")


class UserChange(BaseModel):
    role: Role | None = None
    active: bool | None = Field(None, description="false: sessions end, API tokens revoked")


class PasswordOut(BaseModel):
    password: str = Field(description="the new password, shown this once")


class TokenIn(BaseModel):
    label: PlainText = Field(min_length=1, max_length=LABEL_MAX, description="what it is for")


class TokenOut(BaseModel):
    token: str = Field(description="the bearer token, shown this once")
    label: str


class RevokedOut(BaseModel):
    revoked: int


def _out(user: UserSummary, me: Staff) -> UserOut:
    return UserOut(
        id=user.id,
        login=user.login,
        name=user.name,
        role=user.role,
        role_label=label(user.role),
        active=user.active,
        created_at=user.created_at,
        live_tokens=user.live_tokens,
        you=user.id == me.id,
    )


UserId = Annotated[Id, Path(description="the user's id")]


@router.get(PREFIX, response_model=UsersOut)
def users(session: DbSession, staff: AdminStaff) -> UsersOut:
    """Every staff user, active ones first, and the roles a user can have."""
    return UsersOut(
        items=[_out(u, staff) for u in service.list_users(session)],
        roles=[RoleOut(value=r, label=label(r)) for r in Role],
    )


@router.post(PREFIX, response_model=CreatedOut, status_code=201, responses=errors(409))
def create(session: DbSession, staff: AdminStaff, body: UserIn) -> CreatedOut:
    """A new active user. Without a password one is generated and returned this once."""
    password = body.password or service.generate_password()
    with refusals():
        user = service.create_user(session, body.login, body.name, body.role, password)
    return CreatedOut(
        user=_out(service.user_summary(session, user), staff),
        password=None if body.password else password,
    )


@router.patch(f"{PREFIX}/{{user_id}}", response_model=UserOut, responses=errors(404, 409))
def change(session: DbSession, staff: AdminStaff, user_id: UserId, body: UserChange) -> UserOut:
    """A new role, or deactivate (sessions end, tokens revoked) / reactivate. Nobody changes
    their own account here, and the last active admin stays one."""
    with refusals():
        user = service.get_user(session, user_id)
        if body.role is not None:
            service.change_role(session, user, body.role, staff)
        if body.active is False and user.active:
            service.deactivate(session, user, staff)
        elif body.active is True and not user.active:
            service.reactivate(session, user)
    return _out(service.user_summary(session, user), staff)


@router.post(
    f"{PREFIX}/{{user_id}}/password", response_model=PasswordOut, responses=errors(404, 409)
)
def reset_password(session: DbSession, _admin: AdminStaff, user_id: UserId) -> PasswordOut:
    """A new random password, returned this once; the user's browser sessions end."""
    with refusals():
        return PasswordOut(
            password=service.reset_password(session, service.get_user(session, user_id))
        )


@router.post(
    f"{PREFIX}/{{user_id}}/tokens",
    response_model=TokenOut,
    status_code=201,
    responses=errors(404, 409),
)
def issue_token(session: DbSession, _admin: AdminStaff, user_id: UserId, body: TokenIn) -> TokenOut:
    """A new API bearer token for the user, returned this once (only its hash is kept)."""
    with refusals():
        token = service.issue_token_for(session, service.get_user(session, user_id), body.label)
    return TokenOut(token=token, label=body.label)


@router.delete(f"{PREFIX}/{{user_id}}/tokens", response_model=RevokedOut, responses=errors(404))
def revoke_tokens(session: DbSession, _admin: AdminStaff, user_id: UserId) -> RevokedOut:
    """Revoke every API token of the user (their browser sign-in is unaffected)."""
    with refusals():
        user = service.get_user(session, user_id)
    return RevokedOut(revoked=service.revoke_api_tokens(session, user))


@router.get("/admin/users", include_in_schema=False, response_class=HTMLResponse)
def users_page(request: Request, ctx: AdminPage) -> HTMLResponse:
    """The staff users, a form to add one, and each user's actions."""
    return render(request, "staff/admin/users.html", ctx)
