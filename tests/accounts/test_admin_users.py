"""Managing staff users (the admins' page): listing, deactivating, roles, passwords, tokens."""

import pytest
from sqlalchemy import select, update

from accounts.models import Role, StaffSession, User
from accounts.service import (
    AccountError,
    AccountRefusal,
    authenticate,
    change_role,
    create_user,
    deactivate,
    find_user,
    issue_api_token,
    issue_token_for,
    list_users,
    reactivate,
    reset_password,
    session_staff,
    start_session,
    token_staff,
    user_summary,
)
from tests.staff import STAFF

PASSWORD = "correct horse 9"


@pytest.fixture
def admin(db) -> User:
    return find_user(db, STAFF[Role.ADMIN][0])


@pytest.fixture
def agent(db) -> User:
    return create_user(db, "xiaoli", "客服小丽", Role.AGENT, PASSWORD)


def test_the_list_shows_every_user_with_role_status_and_live_tokens_active_ones_first(
    db, admin, agent
):
    issue_api_token(db, agent, "script")
    issue_api_token(db, agent, "another")
    gone = create_user(db, "aaa", "已离职", Role.AGENT, PASSWORD)
    deactivate(db, gone, admin.staff())
    listed = list_users(db)
    by_login = {u.login: u for u in listed}
    assert by_login["xiaoli"].live_tokens == 2
    assert by_login["xiaoli"].role is Role.AGENT
    assert by_login["xiaoli"].active
    assert by_login[admin.login].live_tokens == 1  # the test token
    assert listed[-1].login == "aaa"
    assert not listed[-1].active
    assert [u.role for u in listed if u.active] == sorted(
        (u.role for u in listed if u.active), key=list(Role).index
    )


def test_deactivating_a_user_ends_their_sessions_and_revokes_their_tokens(db, admin, agent):
    issued = start_session(db, agent)
    token = issue_api_token(db, agent, "script")
    assert deactivate(db, agent, admin.staff()) == 1
    assert not agent.active
    assert session_staff(db, issued.token) is None
    assert db.scalar(select(StaffSession).where(StaffSession.user_id == agent.id)) is None
    assert token_staff(db, token) is None
    assert authenticate(db, "xiaoli", PASSWORD) is None
    assert user_summary(db, agent).live_tokens == 0


def test_a_reactivated_user_signs_in_again_but_their_old_tokens_stay_revoked(db, admin, agent):
    token = issue_api_token(db, agent, "script")
    deactivate(db, agent, admin.staff())
    reactivate(db, agent)
    assert authenticate(db, "xiaoli", PASSWORD) is agent
    assert token_staff(db, token) is None


def test_an_admin_cannot_deactivate_themselves_or_change_their_own_role(db, admin):
    with pytest.raises(AccountError) as deactivating:
        deactivate(db, admin, admin.staff())
    with pytest.raises(AccountError) as demoting:
        change_role(db, admin, Role.AGENT, admin.staff())
    assert deactivating.value.refusal is demoting.value.refusal is AccountRefusal.OWN_ACCOUNT
    assert admin.active
    assert admin.role is Role.ADMIN


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(db, admin, agent):
    other = create_user(db, "admin2", "运营小李", Role.ADMIN, PASSWORD)
    deactivate(db, admin, other.staff())  # another admin is left: allowed
    acting = agent.staff()  # e.g. the CLI, as nobody in particular
    for attempt in (
        lambda: deactivate(db, other, acting),
        lambda: change_role(db, other, Role.MANAGER, acting),
    ):
        with pytest.raises(AccountError) as refused:
            attempt()
        assert refused.value.refusal is AccountRefusal.LAST_ADMIN
    assert other.active
    assert other.role is Role.ADMIN


def test_an_inactive_admin_does_not_count_and_may_be_demoted(db, admin):
    other = create_user(db, "admin2", "运营小李", Role.ADMIN, PASSWORD)
    db.execute(update(User).where(User.id == other.id).values(active=False))
    db.refresh(other)
    change_role(db, other, Role.AGENT, admin.staff())
    assert other.role is Role.AGENT
    with pytest.raises(AccountError):  # admin is now the only active one
        deactivate(db, admin, other.staff())


def test_a_role_change_takes_effect_at_the_users_next_request(db, admin, agent):
    issued = start_session(db, agent)
    change_role(db, agent, Role.SUPERVISOR, admin.staff())
    signed_in = session_staff(db, issued.token)
    assert signed_in is not None
    assert signed_in.staff.role is Role.SUPERVISOR


def test_a_reset_password_is_random_works_once_given_and_ends_the_old_sessions(db, agent):
    issued = start_session(db, agent)
    first, second = reset_password(db, agent), reset_password(db, agent)
    assert first != second
    assert len(second) >= 16
    assert authenticate(db, "xiaoli", second) is agent
    assert authenticate(db, "xiaoli", PASSWORD) is None
    assert session_staff(db, issued.token) is None


def test_a_deactivated_user_gets_no_new_password_or_token(db, admin, agent):
    deactivate(db, agent, admin.staff())
    for attempt in (lambda: reset_password(db, agent), lambda: issue_token_for(db, agent, "x")):
        with pytest.raises(AccountError) as refused:
            attempt()
        assert refused.value.refusal is AccountRefusal.INACTIVE
    assert user_summary(db, agent).live_tokens == 0
