"""Creating users, checking passwords, and the credentials a signed-in user carries: a browser
session (cookie + CSRF token) or an API bearer token. Only hashes are stored: argon2 (pwdlib)
for passwords, sha256 for the random tokens (256 bits: nothing to guess, so no slow hash)."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pwdlib import PasswordHash
from sqlalchemy import delete, select
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
