"""The admins' staff-user API: each action, what it refuses and why, and who may use it."""

import pytest

from accounts.models import Role
from accounts.service import AccountRefusal, find_user
from tests.staff import PASSWORD, STAFF, bearer
from words.accounts import account_refusal

URL = "/api/admin/users"
ADMIN = bearer(Role.ADMIN)


def _new(api_client, **fields) -> dict:
    body = {"login": "xiaoli", "name": "客服小丽", "role": "agent", **fields}
    response = api_client.post(URL, json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


def _id_of(db, role: Role) -> int:
    return find_user(db, STAFF[role][0]).id


def _sign_in(api_client, login: str, password: str) -> int:
    return api_client.post("/api/session", json={"login": login, "password": password}).status_code


def test_an_admin_lists_the_users_with_role_labels_and_the_roles_to_choose_from(api_client):
    response = api_client.get(URL, headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    by_login = {u["login"]: u for u in body["items"]}
    assert by_login["xiaomei"]["role_label"] == "客服"
    assert by_login["xiaomei"]["live_tokens"] == 1
    assert by_login["xiaowang"]["you"]
    assert not by_login["xiaomei"]["you"]
    assert {r["value"]: r["label"] for r in body["roles"]}["supervisor"] == "主管"


def test_a_user_added_without_a_password_gets_one_generated_that_signs_in(api_client):
    created = _new(api_client)
    assert created["user"]["login"] == "xiaoli"
    assert created["user"]["active"]
    assert len(created["password"]) >= 16
    assert _sign_in(api_client, "xiaoli", created["password"]) == 200


def test_a_user_added_with_a_password_gets_no_password_back(api_client):
    created = _new(api_client, password="a-long-password-1")
    assert created["password"] is None
    assert _sign_in(api_client, "xiaoli", "a-long-password-1") == 200


@pytest.mark.parametrize(
    ("fields", "status", "refusal"),
    [
        ({"login": "xiaomei"}, 409, AccountRefusal.LOGIN_TAKEN),
        ({"name": "客服小美"}, 409, AccountRefusal.NAME_TAKEN),
        ({"login": "Xiao Li"}, 422, AccountRefusal.BAD_LOGIN),
        ({"name": "   "}, 422, AccountRefusal.BAD_NAME),
        ({"password": "short"}, 422, AccountRefusal.WEAK_PASSWORD),
    ],
)
def test_a_taken_or_bad_login_name_or_password_is_refused_in_words(
    api_client, fields, status, refusal
):
    body = {"login": "xiaoli", "name": "客服小丽", "role": "agent", **fields}
    response = api_client.post(URL, json=body, headers=ADMIN)
    assert response.status_code == status
    assert response.json()["detail"] == account_refusal(refusal)


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "boss"},
        {"login": "xiao\x00li"},
        {"name": "小\x00丽"},
        {"name": "名" * 21},
        {"login": "x" * 41},
        {"password": "p" * 201},
    ],
)
def test_a_bad_role_a_nul_or_an_overlong_field_is_a_422(api_client, fields):
    body = {"login": "xiaoli", "name": "客服小丽", "role": "agent", **fields}
    assert api_client.post(URL, json=body, headers=ADMIN).status_code == 422


def test_every_refusal_has_words_in_chinese_then_english():
    for refusal in AccountRefusal:
        text = account_refusal(refusal)
        assert " / " in text
        assert "{" not in text
        assert any("\u4e00" <= c <= "\u9fff" for c in text.split(" / ")[0])


def test_changing_a_users_role_shows_at_once(api_client):
    user = _new(api_client)["user"]
    response = api_client.patch(f"{URL}/{user['id']}", json={"role": "supervisor"}, headers=ADMIN)
    assert response.status_code == 200
    assert response.json()["role"] == "supervisor"
    assert response.json()["role_label"] == "主管"


def test_a_deactivated_user_can_no_longer_sign_in_or_use_a_token_until_reactivated(api_client):
    created = _new(api_client)
    user_id = created["user"]["id"]
    token = api_client.post(f"{URL}/{user_id}/tokens", json={"label": "脚本"}, headers=ADMIN)
    assert token.status_code == 201
    agent = {"Authorization": f"Bearer {token.json()['token']}"}
    assert api_client.get("/api/agent/inbox", headers=agent).status_code == 200

    off = api_client.patch(f"{URL}/{user_id}", json={"active": False}, headers=ADMIN)
    assert off.status_code == 200
    assert not off.json()["active"]
    assert off.json()["live_tokens"] == 0
    assert api_client.get("/api/agent/inbox", headers=agent).status_code == 401
    assert _sign_in(api_client, "xiaoli", created["password"]) == 401

    on = api_client.patch(f"{URL}/{user_id}", json={"active": True}, headers=ADMIN)
    assert on.json()["active"]
    assert _sign_in(api_client, "xiaoli", created["password"]) == 200


def test_an_admin_cannot_deactivate_or_demote_themselves(api_client, db):
    me = f"{URL}/{_id_of(db, Role.ADMIN)}"
    for change in ({"active": False}, {"role": "agent"}):
        response = api_client.patch(me, json=change, headers=ADMIN)
        assert response.status_code == 409
        assert response.json()["detail"] == account_refusal(AccountRefusal.OWN_ACCOUNT)
    assert api_client.get(URL, headers=ADMIN).status_code == 200  # still an admin


def test_a_refused_change_leaves_the_user_as_they_were(api_client, db):
    other = _new(api_client, login="admin2", name="运营小李", role="admin")["user"]
    own = _id_of(db, Role.ADMIN)
    api_client.patch(f"{URL}/{own}", json={"role": "agent", "active": False}, headers=ADMIN)
    listed = {u["id"]: u for u in api_client.get(URL, headers=ADMIN).json()["items"]}
    assert listed[own]["role"] == "admin"
    assert listed[own]["active"]
    assert listed[other["id"]]["role"] == "admin"


def test_the_last_active_admin_stays_one(api_client, db):
    second = _new(api_client, login="admin2", name="运营小李", role="admin", password=PASSWORD)
    other = {"Authorization": "Bearer " + _token(api_client, second["user"]["id"])}
    me = _id_of(db, Role.ADMIN)
    assert api_client.patch(f"{URL}/{me}", json={"active": False}, headers=other).status_code == 200
    # now the second admin is the only active one: nobody may deactivate or demote them
    response = api_client.patch(
        f"{URL}/{second['user']['id']}", json={"role": "agent"}, headers=other
    )
    assert response.status_code == 409  # their own account, and the last admin


def _token(api_client, user_id: int) -> str:
    response = api_client.post(f"{URL}/{user_id}/tokens", json={"label": "tests"}, headers=ADMIN)
    assert response.status_code == 201
    return response.json()["token"]


def test_a_reset_password_is_shown_once_and_replaces_the_old_one(api_client, db):
    agent_id = _id_of(db, Role.AGENT)
    response = api_client.post(f"{URL}/{agent_id}/password", headers=ADMIN)
    assert response.status_code == 200
    new = response.json()["password"]
    assert _sign_in(api_client, "xiaomei", PASSWORD) == 401
    assert _sign_in(api_client, "xiaomei", new) == 200


def test_revoking_a_users_tokens_says_how_many_and_they_stop_working(api_client, db):
    agent_id = _id_of(db, Role.AGENT)
    _token(api_client, agent_id)
    response = api_client.delete(f"{URL}/{agent_id}/tokens", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == {"revoked": 2}
    assert api_client.get("/api/agent/inbox", headers=bearer(Role.AGENT)).status_code == 401


def test_a_deactivated_user_gets_no_new_password_or_token(api_client):
    user_id = _new(api_client)["user"]["id"]
    api_client.patch(f"{URL}/{user_id}", json={"active": False}, headers=ADMIN)
    password = api_client.post(f"{URL}/{user_id}/password", headers=ADMIN)
    token = api_client.post(f"{URL}/{user_id}/tokens", json={"label": "x"}, headers=ADMIN)
    assert password.status_code == token.status_code == 409
    assert token.json()["detail"] == account_refusal(AccountRefusal.INACTIVE)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/999999"),
        ("POST", "/999999/password"),
        ("POST", "/999999/tokens"),
        ("DELETE", "/999999/tokens"),
    ],
)
def test_an_unknown_user_is_a_404(api_client, method, path):
    response = api_client.request(method, URL + path, json={"label": "x"}, headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["detail"] == account_refusal(AccountRefusal.NO_USER)


def test_a_token_label_with_a_nul_or_empty_is_a_422(api_client, db):
    agent_id = _id_of(db, Role.AGENT)
    for label in ("", "a\x00b", "x" * 81):
        response = api_client.post(f"{URL}/{agent_id}/tokens", json={"label": label}, headers=ADMIN)
        assert response.status_code == 422


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.MANAGER])
def test_other_roles_may_not_manage_users_or_open_the_page(api_client, db, role):
    assert api_client.get(URL, headers=bearer(role)).status_code == 403
    body = {"login": "sneaky", "name": "偷偷", "role": "admin"}
    assert api_client.post(URL, json=body, headers=bearer(role)).status_code == 403
    own = _id_of(db, role)
    assert (
        api_client.patch(f"{URL}/{own}", json={"role": "admin"}, headers=bearer(role)).status_code
        == 403
    )


def test_the_page_sends_a_visitor_to_sign_in_and_shows_an_admin_the_user_screen(api_client):
    away = api_client.get("/admin/users", follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"].startswith("/login?next=")
    assert _sign_in(api_client, STAFF[Role.ADMIN][0], PASSWORD) == 200
    page = api_client.get("/admin/users")
    assert page.status_code == 200
    assert "/static/staff/users.js" in page.text
    assert "员工账号" in page.text
