"""Signing in to the staff pages: the session cookie, its CSRF token, the limits, the pages."""

import pytest

from accounts.models import Role
from api.deps import CSRF_HEADER, STAFF_COOKIE
from core.settings import get_settings
from tests.staff import PASSWORD, STAFF, bearer


def sign_in(client, role: Role = Role.AGENT, password: str = PASSWORD):
    return client.post("/api/session", json={"login": STAFF[role][0], "password": password})


def csrf_of(client) -> str:
    return client.get("/api/session").json()["csrf_token"]


def test_a_signed_in_page_learns_who_it_is_and_its_csrf_token_and_a_visitor_gets_a_401(api_client):
    assert api_client.get("/api/session").status_code == 401
    sign_in(api_client, Role.SUPERVISOR)
    me = api_client.get("/api/session").json()
    assert me["name"] == "店长老陈"
    assert me["role"] == "supervisor"
    assert len(me["csrf_token"]) >= 40
    assert api_client.get("/api/session", headers=bearer(Role.AGENT)).json()["csrf_token"] is None


def test_signing_in_sets_an_httponly_strict_cookie_and_names_the_roles_first_page(api_client):
    response = sign_in(api_client, Role.MANAGER)
    assert response.status_code == 200
    assert response.json() == {"name": "经理老周", "role": "manager", "home": "/reports"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{STAFF_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie


def test_a_wrong_password_is_a_401_that_does_not_say_whether_the_login_exists(api_client):
    wrong_password = sign_in(api_client, password="not the password")
    unknown = api_client.post("/api/session", json={"login": "nobody", "password": "whatever"})
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.json() == unknown.json()
    assert STAFF_COOKIE not in api_client.cookies


def test_too_many_wrong_passwords_for_one_login_lock_it_for_a_while(api_client, monkeypatch):
    monkeypatch.setattr(get_settings(), "sign_in_failure_limit", "3/hour")
    for _ in range(3):
        assert sign_in(api_client, password="guess guess").status_code == 401
    locked = sign_in(api_client)  # even the right password, until the window passes
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
    assert sign_in(api_client, Role.MANAGER).status_code == 200  # other logins are not locked


def test_one_client_may_try_only_so_many_times(api_client, monkeypatch):
    monkeypatch.setattr(get_settings(), "sign_in_rate_limit", "2/15 minutes")
    assert sign_in(api_client).status_code == 200
    assert sign_in(api_client).status_code == 200
    assert sign_in(api_client).status_code == 429


def test_a_change_sent_with_the_cookie_needs_the_sessions_csrf_token(api_client):
    sign_in(api_client, Role.AGENT)
    path = "/api/queues/items/999999/acknowledge"
    forged = api_client.post(path)
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["detail"]
    wrong = api_client.post(path, headers={CSRF_HEADER: "guessed"})
    assert wrong.status_code == 403
    allowed = api_client.post(path, headers={CSRF_HEADER: csrf_of(api_client)})
    assert allowed.status_code == 404  # past the checks: there is no such item


def test_a_read_with_the_cookie_and_a_change_with_a_bearer_token_need_no_csrf_token(api_client):
    sign_in(api_client, Role.AGENT)
    assert api_client.get("/api/agent/escalations").status_code == 200
    api_client.cookies.clear()
    path = "/api/queues/items/999999/acknowledge"
    assert api_client.post(path, headers=bearer(Role.AGENT)).status_code == 404


def test_signing_out_ends_the_session_on_the_server(api_client):
    sign_in(api_client)
    token = api_client.cookies[STAFF_COOKIE]
    assert (
        api_client.delete("/api/session", headers={CSRF_HEADER: csrf_of(api_client)}).status_code
        == 204
    )
    api_client.cookies.set(STAFF_COOKIE, token)  # a copy of the old cookie
    assert api_client.get("/api/agent/escalations").status_code == 401


def test_a_page_sends_a_visitor_to_sign_in_and_back_and_refuses_a_wrong_role(api_client):
    first = api_client.get("/reports?from=2026-11-01", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=%2Freports%3Ffrom%3D2026-11-01"
    sign_in(api_client, Role.AGENT)
    refused = api_client.get("/reports")
    assert refused.status_code == 403
    assert "无权访问" in refused.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil.example"])
def test_the_login_page_never_sends_on_to_another_site(api_client, target):
    page = api_client.get("/login", params={"next": target})
    assert 'data-next=""' in page.text


def test_every_response_carries_a_strict_content_security_policy(api_client):
    for path in ("/login", "/", "/help", "/healthz", "/api/faq"):
        policy = api_client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy


def test_the_navigation_marks_the_section_a_page_is_under(api_client):
    sign_in(api_client, Role.AGENT)
    assert 'href="/desk" aria-current="page">会话' in api_client.get("/desk").text
    reviews = api_client.get("/desk/reviews").text
    assert 'href="/desk/reviews" aria-current="page">中差评' in reviews
    assert 'href="/desk" aria-current' not in reviews


@pytest.mark.parametrize("field", ["login", "password"])
def test_a_control_character_in_a_sign_in_is_a_422_not_a_database_error(api_client, field):
    body = {"login": "xiaomei", "password": PASSWORD, field: "a\u0000b"}
    assert api_client.post("/api/session", json=body).status_code == 422
