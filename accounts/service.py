"""Creating users, checking passwords, and the credentials a signed-in user carries: a browser
session (cookie + CSRF token) or an API bearer token. Only hashes are stored: argon2 (pwdlib)
for passwords, sha256 for the random tokens (256 bits: nothing to guess, so no slow hash)."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pwdlib import PasswordHash
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from accounts.models import (
    LABEL_MAX,
    LOGIN_MAX,
    NAME_MAX,
    ApiToken,
    Role,
    Staff,
    StaffSession,
    User,
)
from core.clock import utcnow

PASSWORD_MIN = 10
PASSWORD_MAX = 200
SESSION_LIFETIME = timedelta(hours=12)  # a working day; then sign in again
LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")

_hasher = PasswordHash.recommended()  # argon2id with the library's current parameters
# Verified when the login is unknown, so both answers take as long as a real check.
_UNKNOWN_USER_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountRefusal(StrEnum):
    BAD_LOGIN = "bad_login"  # not lower-case letters, digits, . _ -
    LOGIN_TAKEN = "login_taken"
    NAME_TAKEN = "name_taken"  # shoppers and reports tell agents apart by their names
    BAD_NAME = "bad_name"
    WEAK_PASSWORD = "weak_password"
    NO_USER = "no_user"
    OWN_ACCOUNT = "own_account"  # an admin may not deactivate or demote themselves
    LAST_ADMIN = "last_admin"  # someone must be left to manage the users
    INACTIVE = "inactive"  # a deactivated user gets no new credentials


class AccountError(ValueError):
    def __init__(self, refusal: AccountRefusal, detail: str) -> None:
        super().__init__(detail)
        self.refusal = refusal


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise AccountError(
            AccountRefusal.WEAK_PASSWORD,
            f"password must be {PASSWORD_MIN}–{PASSWORD_MAX} characters",
        )


def create_user(session: Session, login: str, name: str, role: Role, password: str) -> User:
    """A new active user; the login is lower-case ASCII, the name what shoppers see."""
    if len(login) > LOGIN_MAX or not LOGIN_PATTERN.fullmatch(login):
        raise AccountError(
            AccountRefusal.BAD_LOGIN, f"login must be 1–{LOGIN_MAX} of a-z 0-9 . _ -"
        )
    name = name.strip()
    if not 1 <= len(name) <= NAME_MAX:
        raise AccountError(AccountRefusal.BAD_NAME, f"name must be 1–{NAME_MAX} characters")
    _check_password(password)
    if session.scalar(select(User.id).where(User.login == login)) is not None:
        raise AccountError(AccountRefusal.LOGIN_TAKEN, f"login {login!r} is taken")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(AccountRefusal.NAME_TAKEN, f"name {name!r} is taken")
    user = User(login=login, name=name, role=role, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise AccountError(AccountRefusal.NO_USER, f"no user {login!r}")
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; every browser session of the user ends with the old one."""
    _check_password(password)
    user.password_hash = _hasher.hash(password)
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The active user with this login and password, else None (in about the same time)."""
    user = session.scalar(select(User).where(User.login == login.strip().lower()))
    if user is None or not user.active:
        _hasher.verify(password, _UNKNOWN_USER_HASH)
        return None
    valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
    if not valid:
        return None
    if new_hash is not None:  # the library's parameters grew since this hash was made
        user.password_hash = new_hash
    return user


@dataclass(frozen=True)
class IssuedSession:
    token: str  # goes into the HttpOnly cookie
    csrf_token: str  # goes into the pages, and comes back in the X-CSRF-Token header
    expires_at: datetime


def start_session(session: Session, user: User, now: datetime | None = None) -> IssuedSession:
    now = now or utcnow()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires_at = now + SESSION_LIFETIME
    session.add(
        StaffSession(
            user_id=user.id,
            token_hash=token_hash(token),
            csrf_token=csrf,
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    session.flush()
    return IssuedSession(token, csrf, expires_at)


@dataclass(frozen=True)
class SignedIn:
    staff: Staff
    csrf_token: str | None  # None for an API token (no cookie, nothing to forge)


def session_staff(session: Session, token: str, now: datetime | None = None) -> SignedIn | None:
    """Who a browser session's cookie belongs to, while it is valid and the user active."""
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == token_hash(token)))
    if row is None or row.expires_at <= (now or utcnow()) or not row.user.active:
        return None
    return SignedIn(row.user.staff(), row.csrf_token)


def end_session(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))


def issue_api_token(session: Session, user: User, label: str) -> str:
    """A new bearer token for the user; shown once, only its hash is kept."""
    token = "kefu_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), label=label[:LABEL_MAX]))
    session.flush()
    return token


def token_staff(session: Session, token: str) -> SignedIn | None:
    """Who an API bearer token belongs to, unless revoked or the user inactive."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return SignedIn(row.user.staff(), None)


def revoke_api_tokens(session: Session, user: User, now: datetime | None = None) -> int:
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now or utcnow()
    return len(rows)


# Managing users (the admins' page): listing them, and the changes only an admin makes.

GENERATED_PASSWORD_BYTES = 12  # 16 URL-safe characters, 96 bits


@dataclass(frozen=True)
class UserSummary:
    id: int
    login: str
    name: str
    role: Role
    active: bool
    created_at: datetime
    live_tokens: int  # API tokens not revoked


def generate_password() -> str:
    """A random password for an admin to hand over once (16 characters)."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def _summaries(session: Session, *where: Any) -> list[UserSummary]:
    live = (
        select(ApiToken.user_id, func.count().label("n"))
        .where(ApiToken.revoked_at.is_(None))
        .group_by(ApiToken.user_id)
        .subquery()
    )
    rows = session.execute(
        select(User, func.coalesce(live.c.n, 0))
        .outerjoin(live, live.c.user_id == User.id)
        .where(*where)
        .order_by(User.id)
    ).all()
    return [
        UserSummary(u.id, u.login, u.name, u.role, u.active, u.created_at, int(n)) for u, n in rows
    ]


def list_users(session: Session) -> list[UserSummary]:
    """Every user, active ones first, then by role and login, with their live API tokens."""
    order = list(Role)
    return sorted(_summaries(session), key=lambda s: (not s.active, order.index(s.role), s.login))


def user_summary(session: Session, user: User) -> UserSummary:
    """One user as list_users gives it."""
    session.flush()
    return _summaries(session, User.id == user.id)[0]


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountError(AccountRefusal.NO_USER, f"no user {user_id}")
    return user


def _refuse_own_account(user: User, actor: Staff) -> None:
    if user.id == actor.id:
        raise AccountError(
            AccountRefusal.OWN_ACCOUNT, "another admin must change your own role or status"
        )


def _refuse_last_admin(session: Session, user: User) -> None:
    """Refused when `user` is the only active admin (the change would leave none)."""
    if user.role is not Role.ADMIN or not user.active:
        return
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise AccountError(AccountRefusal.LAST_ADMIN, "the last active admin must stay one")


def deactivate(session: Session, user: User, actor: Staff) -> int:
    """No more sign-ins: the user's sessions end and API tokens are revoked (how many)."""
    _refuse_own_account(user, actor)
    _refuse_last_admin(session, user)
    user.active = False
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    revoked = revoke_api_tokens(session, user)
    session.flush()
    return revoked


def reactivate(session: Session, user: User) -> None:
    """The user may sign in again (with their password; revoked tokens stay revoked)."""
    user.active = True
    session.flush()


def change_role(session: Session, user: User, role: Role, actor: Staff) -> None:
    """A new role; the user's open pages show the new role's areas at their next request."""
    if role is user.role:
        return
    _refuse_own_account(user, actor)
    _refuse_last_admin(session, user)
    user.role = role
    session.flush()


def reset_password(session: Session, user: User) -> str:
    """A new random password (to be shown once); the user's browser sessions end."""
    if not user.active:
        raise AccountError(AccountRefusal.INACTIVE, "reactivate the user first")
    password = generate_password()
    set_password(session, user, password)
    session.flush()
    return password


def issue_token_for(session: Session, user: User, label: str) -> str:
    """A new API token for an active user (to be shown once)."""
    if not user.active:
        raise AccountError(AccountRefusal.INACTIVE, "reactivate the user first")
    return issue_api_token(session, user, label)
