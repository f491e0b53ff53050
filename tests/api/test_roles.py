"""Every route of the API either is public (listed here) or requires a role, and refuses the
roles that may not use it: walked over the OpenAPI schema, so a new route cannot forget."""

import re

import pytest
from fastapi.routing import APIRoute

from accounts.models import ROLE_AREAS, Area, Role
from api.deps import required_area
from api.main import app
from api.routing import api_routes
from connectors.storefront_chat import ChatGateway
from tests.echo_bot import EchoBot
from tests.staff import bearer

# Shoppers and the storefront, the sign-in, health: reachable without a staff role.
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/"),  # the demo storefront
    ("GET", "/help"),
    ("GET", "/api/faq/search"),
    ("GET", "/api/faq"),
    ("GET", "/api/faq/{entry_id}"),
    ("POST", "/api/chat"),
    ("GET", "/api/chat/{conversation_id}/messages"),
    ("POST", "/api/chat/{conversation_id}/messages"),
    ("GET", "/api/chat/{conversation_id}/status"),
    ("GET", "/api/chat/{conversation_id}/events"),
    ("POST", "/api/session"),
    ("GET", "/api/session"),
    ("DELETE", "/api/session"),
}


def _operations() -> list[tuple[str, str, APIRoute]]:
    found = []
    for route in api_routes(app.routes):
        if route.include_in_schema:
            found += [(method, route.path, route) for method in sorted(route.methods)]
    return found


OPERATIONS = _operations()


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_the_public_list_names_only_routes_that_exist_and_need_no_role():
    by_key = {(method, path): route for method, path, route in OPERATIONS}
    assert set(by_key) >= PUBLIC, PUBLIC - set(by_key)
    assert [key for key in PUBLIC if required_area(by_key[key].dependant)] == []


@pytest.mark.parametrize(
    ("method", "path", "route"),
    [op for op in OPERATIONS if op[:2] not in PUBLIC],
    ids=[f"{m} {p}" for m, p, _ in OPERATIONS if (m, p) not in PUBLIC],
)
def test_every_other_route_requires_a_role_and_refuses_the_others(
    api_client, monkeypatch, method, path, route
):
    monkeypatch.setattr(app.state, "gateway", ChatGateway(EchoBot()), raising=False)
    area = required_area(route.dependant)
    assert area is not None, f"{method} {path} checks no role"
    url = _concrete(path)
    anonymous = api_client.request(method, url, json={})
    assert anonymous.status_code == 401, anonymous.text
    assert "Bearer" in anonymous.headers["WWW-Authenticate"]
    for role in Role:
        response = api_client.request(method, url, json={}, headers=bearer(role))
        if area in ROLE_AREAS[role]:
            assert response.status_code not in (401, 403), f"{role} refused: {response.text}"
        else:
            assert response.status_code == 403, f"{role} let in: {response.status_code}"


def test_the_schema_documents_the_401_and_403_of_every_route_with_a_role():
    paths = app.openapi()["paths"]
    for method, path, route in OPERATIONS:
        if required_area(route.dependant) is not None:
            responses = paths[path][method.lower()]["responses"]
            assert {"401", "403"} <= set(responses), f"{method} {path}"


def test_every_area_is_some_roles_work_and_supervisors_approve_what_agents_cannot():
    assert set().union(*ROLE_AREAS.values()) == set(Area)
    assert Area.SUPERVISE in ROLE_AREAS[Role.SUPERVISOR]
    assert Area.SUPERVISE not in ROLE_AREAS[Role.AGENT]
