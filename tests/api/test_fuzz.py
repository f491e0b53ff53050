"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis).

Every operation gets generated requests, valid ones and invalid ones (wrong types, values past
their bounds, strings with control characters, …) with the admin token: none may get a server
error, and every response must match the schema (status code, content type, body). Bounded
(50 examples an operation, derandomized) so CI runs the same cases every time, in well under a
minute. Everything the requests write goes into the `db` fixture's rolled-back transaction.

The SSE stream never ends, so it is left out here; its `after` bound has a direct test. The
chat routes answer only a conversation's owner: their requests name a conversation issued for
the run and carry its secret, so the fuzzer reaches the routes themselves, not only their 404.
"""

import json
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import ASGIClient
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from accounts.models import Area, Role
from api.deps import required_area
from api.main import app
from api.routing import MAX_BODY_BYTES, TOO_LARGE, api_routes
from connectors.storefront_chat import ChatGateway
from conversations.service import Issued, issue
from tests.echo_bot import EchoBot
from tests.staff import bearer

ROLE_FOR = {
    Area.DESK: Role.AGENT,
    Area.SUPERVISE: Role.SUPERVISOR,
    Area.REPORTS: Role.MANAGER,
    Area.RECORDS: Role.MANAGER,
    Area.ADMIN: Role.ADMIN,
}


ADMIN = bearer(Role.ADMIN)  # imports reviews, edits the FAQ


def auth_for(method: str, path: str) -> dict[str, str]:
    """The Authorization header of a user whose role the route (`path` concrete or templated)
    needs; none for a public route."""
    for route in api_routes(app.routes):
        if method.upper() not in route.methods:
            continue
        if route.path == path or route.path_regex.match(path.split("?")[0]):
            area = required_area(route.dependant)
            return bearer(ROLE_FOR[area]) if area else {}
    return {}


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# from the app's own schema, without a request: no lifespan starts (no gateway to Rasa, no
# alert deliveries woken by commits), as with the `api_client` fixture
schema = schemathesis.openapi.from_dict(app.openapi())
schema.app = app
schema = schema.exclude(path_regex=r"/events$")  # SSE: an endless stream


@pytest.fixture
def conversation(db: Session) -> Issued:
    """A conversation issued for the run: the chat routes' requests name it with its secret."""
    issued = issue(db)
    db.flush()
    return issued


@pytest.fixture
def fuzz_client(db: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[ASGIClient]:
    """Requests into `db`'s rolled-back transaction, with an echo bot."""
    monkeypatch.setattr(app.state, "gateway", ChatGateway(EchoBot()), raising=False)  # type: ignore[arg-type]
    client = ASGIClient(app)  # not entered: no lifespan
    yield client
    client.close()


@schema.parametrize()
@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one rolled-back transaction per operation
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_server_error_and_responses_match_the_schema(
    case: schemathesis.Case, fuzz_client: ASGIClient, conversation: Issued
) -> None:
    headers = auth_for(case.method, case.path)
    if case.path.startswith("/api/chat/{conversation_id}"):
        case.path_parameters = {**(case.path_parameters or {}), "conversation_id": conversation.id}
        headers = {**headers, "X-Chat-Secret": conversation.secret}
    case.call_and_validate(session=fuzz_client, headers=headers, checks=CHECKS)


# The classes of bad input a tester found server errors on, each checked directly: the fuzzer
# draws from the schema and rarely writes NaN, a lone surrogate or a 65-bit integer.

BIG = 2**64
OWN = "/api/chat/OWN"  # stands for `chat` in the parameters below


@pytest.fixture
def client(api_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(app.state, "gateway", ChatGateway(EchoBot()), raising=False)  # type: ignore[arg-type]
    return api_client


@pytest.fixture
def chat(client: TestClient) -> str:
    """The URL of a conversation issued to `client`, whose cookie jar now holds its secret: a
    made-up one would be refused (404) before the input is checked."""
    created = client.post("/api/chat")
    assert created.status_code == 201
    return f"/api/chat/{created.json()['id']}"


def _raw(client: TestClient, method: str, path: str, body: str) -> Response:
    """A request with the body exactly as written (NaN, escapes): not through json.dumps."""
    headers = {**auth_for(method, path), "Content-Type": "application/json"}
    return client.request(method, path, content=body.encode(), headers=headers)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"{OWN}/messages", '{"text": "你好", "payload": NaN}'),
        ("POST", "/api/reviews", '{"review_id": "r1", "text": "差评", "rating": NaN}'),
        ("POST", "/api/reviews", '{"review_id": "r1", "images_count": Infinity}'),
        ("POST", "/api/reviews", '{"review_id": "r1", "rating": 1e999}'),
        ("PUT", "/api/faq/invoice", '{"id": "invoice", "answer": -Infinity}'),
        ("POST", "/api/agent/conversations/c1/messages", '{"text": NaN}'),
    ],
)
def test_nan_and_infinity_are_refused(
    client: TestClient, chat: str, method: str, path: str, body: str
) -> None:
    response = _raw(client, method, path.replace(OWN, chat), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"{OWN}/messages", '{"text": "\\ud800"}'),
        ("POST", "/api/reviews", '{"review_id": "r1", "text": "\\udfff坏了"}'),
        (
            "POST",
            "/api/faq",
            '{"id": "x_y", "category": "c", "question": "\\ud800?", "answer": "ok"}',
        ),
        ("POST", "/api/agent/conversations/c1/messages", '{"text": "好\\ud83d"}'),
    ],
)
def test_lone_surrogates_are_refused(
    client: TestClient, chat: str, method: str, path: str, body: str
) -> None:
    response = _raw(client, method, path.replace(OWN, chat), body)
    assert response.status_code == 422
    assert "控制字符" in response.text


def test_a_body_that_is_not_utf8_is_refused(client: TestClient, chat: str) -> None:
    response = client.post(
        f"{chat}/messages",
        content=b'{"text": "\xff\xfe"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "UTF-8" in response.text


@pytest.mark.parametrize(
    "path",
    [
        f"{OWN}/messages?after={BIG}",
        f"{OWN}/events?after={BIG}",  # before the stream starts: the SSE never runs
        f"/api/reviews?offset={BIG}",
        f"/api/reviews/{BIG}",
        f"/api/negative-reviews/{BIG}",
        f"/api/outbox?limit={BIG}",
        f"{OWN}/messages?after=-1",
        f"{OWN}/messages?after={2**31}",
    ],
)
def test_integers_out_of_range_in_the_url_are_refused(
    client: TestClient, chat: str, path: str
) -> None:
    assert client.get(path.replace(OWN, chat), headers=auth_for("GET", path)).status_code == 422


def test_the_sse_stream_resumes_only_from_an_event_id_it_can_use() -> None:
    from api.routes.chat import _event_id

    assert _event_id("42", 7) == 42
    assert _event_id(str(2**31), 7) == 7  # past the ids' 32 bits: the query's `after` instead
    assert _event_id("４２", 7) == 7  # digits, but not ASCII ones
    assert _event_id("²", 7) == 7
    assert _event_id(None, 7) == 7


@pytest.mark.parametrize(
    "body",
    [
        {"review_id": "r1", "images_count": BIG},
        {"review_id": "r1", "rating": BIG},
        {"review_id": "r1", "images_count": -1},
    ],
)
def test_integers_out_of_range_in_a_body_are_refused(client: TestClient, body: dict) -> None:
    assert client.post("/api/reviews", json=body, headers=ADMIN).status_code == 422


@pytest.mark.parametrize(
    "created_at",
    [
        "0001-01-01T00:00:00+05:00",  # converting to UTC overflows
        "9999-12-31T23:59:59-05:00",
        "1969-12-31T23:59:59Z",
        "2101-01-01T00:00:00Z",
        "2024-05-01T10:00:00",  # no timezone
    ],
)
def test_datetimes_outside_the_calendar_are_refused(client: TestClient, created_at: str) -> None:
    body = {"review_id": "r1", "text": "一般", "created_at": created_at}
    response = client.post("/api/reviews", json=body, headers=ADMIN)
    assert response.status_code == 422
    assert created_at not in response.text  # the input is not echoed


def test_a_datetime_with_an_offset_is_stored_in_utc(client: TestClient) -> None:
    body = {"review_id": "r-utc", "text": "挺好的", "created_at": "2024-05-01T10:00:00+08:00"}
    assert client.post("/api/reviews", json=body, headers=ADMIN).status_code == 201
    (stored,) = [
        r
        for r in client.get("/api/reviews", headers=bearer(Role.AGENT)).json()
        if r["review_id"] == "r-utc"
    ]
    assert stored["created_at"].startswith("2024-05-01T02:00:00")


def test_a_body_over_the_limit_is_refused_by_its_content_length(
    client: TestClient, chat: str
) -> None:
    body = json.dumps({"text": "好" * (MAX_BODY_BYTES // 3 + 10)}, ensure_ascii=False)
    response = client.post(
        f"{chat}/messages",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE}


def test_a_streamed_body_over_the_limit_is_refused_as_it_comes_in(client: TestClient) -> None:
    sent = []

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):  # 40 x 64 KiB, no Content-Length (chunked)
            sent.append(1)
            yield b"a" * 65536
        yield b'"}'

    response = client.post(
        "/api/reviews", content=chunks(), headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE}


def test_a_refusal_does_not_echo_a_large_input(client: TestClient, chat: str) -> None:
    response = client.post(f"{chat}/messages", json={"text": "长" * 200_000})
    assert response.status_code == 422
    assert len(response.content) < 1000


@pytest.mark.parametrize(
    "change",
    [
        {"answer": "答" * 2001},
        {"question": "问" * 201},
        {"variants": ["说法"] * 10 + [f"说法{i}" for i in range(51)]},
        {"variants": ["变" * 201]},
        {"category_answers": {"fresh": "答" * 2001}},
        {"category_answers": {"x" * 33: "答案"}},
    ],
)
def test_faq_fields_have_length_limits(client: TestClient, change: dict) -> None:
    entry = {**client.get("/api/faq/invoice").json(), **change}
    assert client.put("/api/faq/invoice", json=entry, headers=ADMIN).status_code == 422
