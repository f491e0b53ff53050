"""Abuse limits on the public routes (api/limits.py)."""

import socket

import pytest
from fastapi.testclient import TestClient

from api.limits import TOO_MANY
from api.main import app
from core import rate_limits
from core.settings import get_settings


@pytest.fixture
def tight_limits(api_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The app with small limits, so a test reaches them in a few requests."""
    monkeypatch.setattr(get_settings(), "client_rate_limit", "3/minute")
    return api_client


def client_at(address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def search(client: TestClient) -> int:
    return client.get("/api/faq/search", params={"q": "运费怎么算"}).status_code


def test_a_client_past_its_limit_is_asked_to_wait_in_words_it_reads(tight_limits):
    assert [search(tight_limits) for _ in range(3)] == [200, 200, 200]
    refused = tight_limits.get("/api/faq/search", params={"q": "运费怎么算"})
    assert refused.status_code == 429
    assert refused.json() == {"detail": TOO_MANY}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_one_client_over_its_limit_does_not_slow_another(tight_limits):
    greedy, other = client_at("203.0.113.7"), client_at("198.51.100.20")
    for _ in range(4):
        search(greedy)
    assert search(greedy) == 429
    assert search(other) == 200


def test_every_public_page_counts_against_the_client(tight_limits):
    tight_limits.get("/")
    tight_limits.get("/help")
    tight_limits.get("/api/faq")
    assert search(tight_limits) == 429


def test_health_checks_are_never_limited(tight_limits):
    for _ in range(5):
        tight_limits.get("/healthz")
    assert search(tight_limits) == 200


def test_the_schema_tells_clients_which_routes_may_answer_429(api_client):
    paths = api_client.get("/openapi.json").json()["paths"]
    assert "429" in paths["/api/faq/search"]["get"]["responses"]
    assert "429" not in paths["/healthz"]["get"]["responses"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_requests_go_through_when_the_limits_store_is_unreachable(
    tight_limits, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(get_settings(), "rate_limit_url", f"redis://127.0.0.1:{closed_port()}")
    rate_limits.limiter.cache_clear()
    assert [search(tight_limits) for _ in range(5)] == [200] * 5


def test_a_client_starts_only_so_many_conversations(api_client, monkeypatch):
    monkeypatch.setattr(get_settings(), "chat_start_rate_limit", "2/minute")
    assert [api_client.post("/api/chat").status_code for _ in range(3)] == [201, 201, 429]
    assert client_at("198.51.100.20").post("/api/chat").status_code == 201


def test_the_client_digest_is_keyed_so_the_address_cannot_be_found_by_trying_them_all(
    monkeypatch: pytest.MonkeyPatch,
):
    from starlette.requests import Request

    from api.limits import client_digest

    request = Request({"type": "http", "client": ("198.51.100.20", 5), "headers": []})
    monkeypatch.setattr(get_settings(), "client_digest_key", "a" * 32)
    first = client_digest(request)
    assert client_digest(request) == first  # the same client, the same name
    monkeypatch.setattr(get_settings(), "client_digest_key", "b" * 32)
    assert client_digest(request) != first
