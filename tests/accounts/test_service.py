"""Staff users: passwords, sessions and API tokens."""

from datetime import timedelta

import pytest

from accounts.models import Area, Role, User
from accounts.service import (
    SESSION_LIFETIME,
    AccountError,
    AccountRefusal,
    authenticate,
    create_user,
    end_session,
    issue_api_token,
    revoke_api_tokens,
    session_staff,
    set_password,
    start_session,
    token_staff,
)
from core.clock import utcnow

PASSWORD = "correct horse 9"


@pytest.fixture
def user(db) -> User:
    return create_user(db, "xiaoli", "客服小丽", Role.AGENT, PASSWORD)


def test_a_password_is_stored_only_as_an_argon2_hash(user):
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")


def test_the_right_password_signs_in_and_a_wrong_one_or_an_unknown_login_does_not(db, user):
    assert authenticate(db, "xiaoli", PASSWORD) is user
    assert authenticate(db, " XiaoLi ", PASSWORD) is user  # as typed on a phone
    assert authenticate(db, "xiaoli", PASSWORD + "x") is None
    assert authenticate(db, "nobody", PASSWORD) is None


def test_a_deactivated_user_cannot_sign_in_or_use_a_session_or_a_token(db, user):
    issued = start_session(db, user)
    token = issue_api_token(db, user, "script")
    user.active = False
    assert authenticate(db, "xiaoli", PASSWORD) is None
    assert session_staff(db, issued.token) is None
    assert token_staff(db, token) is None


@pytest.mark.parametrize(
    ("login", "name", "password", "refusal"),
    [
        ("Bad Login", "小丽", PASSWORD, AccountRefusal.BAD_LOGIN),
        ("x" * 41, "小丽", PASSWORD, AccountRefusal.BAD_LOGIN),
        ("ok", " ", PASSWORD, AccountRefusal.BAD_NAME),
        ("ok", "名" * 21, PASSWORD, AccountRefusal.BAD_NAME),
        ("ok", "小丽", "short", AccountRefusal.WEAK_PASSWORD),
        ("xiaomei", "另一个", PASSWORD, AccountRefusal.LOGIN_TAKEN),  # a test user's login
        ("another", "客服小美", PASSWORD, AccountRefusal.NAME_TAKEN),  # and name
    ],
)
def test_a_user_with_a_bad_login_name_or_password_is_refused(db, login, name, password, refusal):
    with pytest.raises(AccountError) as raised:
        create_user(db, login, name, Role.AGENT, password)
    assert raised.value.refusal is refusal


def test_a_session_carries_a_csrf_token_and_ends_on_sign_out_or_after_its_lifetime(db, user):
    now = utcnow()
    issued = start_session(db, user, now=now)
    who = session_staff(db, issued.token, now=now)
    assert who is not None
    assert who.staff.name == "客服小丽"
    assert who.csrf_token == issued.csrf_token
    assert (
        session_staff(db, issued.token, now=now + SESSION_LIFETIME + timedelta(seconds=1)) is None
    )
    end_session(db, issued.token)
    assert session_staff(db, issued.token, now=now) is None


def test_a_new_password_ends_every_session_of_the_user(db, user):
    issued = start_session(db, user)
    set_password(db, user, "another password 7")
    assert session_staff(db, issued.token) is None
    assert authenticate(db, "xiaoli", "another password 7") is user


def test_an_api_token_is_shown_once_stored_hashed_and_can_be_revoked(db, user):
    token = issue_api_token(db, user, "erp sync")
    who = token_staff(db, token)
    assert who is not None
    assert who.staff.role is Role.AGENT
    assert who.csrf_token is None
    assert token_staff(db, token + "x") is None
    assert revoke_api_tokens(db, user) == 1
    assert token_staff(db, token) is None


def test_what_each_role_may_do():
    agent = create_staff(Role.AGENT)
    assert agent.can(Area.DESK)
    assert not agent.can(Area.SUPERVISE)
    assert not agent.can(Area.REPORTS)
    assert create_staff(Role.SUPERVISOR).can(Area.SUPERVISE)
    assert create_staff(Role.MANAGER).can(Area.REPORTS)
    assert not create_staff(Role.MANAGER).can(Area.DESK)
    assert create_staff(Role.ADMIN).can(Area.ADMIN)
    assert not create_staff(Role.ADMIN).can(Area.DESK)


def create_staff(role: Role):
    from accounts.models import Staff

    return Staff(id=1, login="x", name="x", role=role)
