"""While the database cannot be reached (a PostgreSQL restart, a failover), every route answers
503 with Retry-After and a message in Chinese and English, never a 500 (which also made uvicorn
drop the load balancer's kept-alive connection, and nginx then took the worker for dead)."""

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker
from starlette.requests import Request

from api.main import _database_unavailable
from api.routing import DATABASE_UNAVAILABLE
from core.database import sessions_bound_to


@pytest.fixture
def unreachable_database(api_client, tmp_path):
    """Every unit of work on a database that cannot be opened (OperationalError)."""
    engine = create_engine(f"sqlite:///{tmp_path}/no-such-folder/kefu.db")
    try:
        with sessions_bound_to(sessionmaker(bind=engine)):
            yield
    finally:
        engine.dispose()


def _unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"].isdigit()
    assert response.json() == {"detail": DATABASE_UNAVAILABLE}
    assert "数据库" in DATABASE_UNAVAILABLE
    assert "database" in DATABASE_UNAVAILABLE


def test_chat_and_agent_routes_answer_503_with_retry_after_while_the_database_is_away(
    api_client, unreachable_database
):
    _unavailable(api_client.post("/api/chat"))
    _unavailable(api_client.get("/api/chat/abc/messages", headers={"X-Chat-Secret": "x" * 43}))
    _unavailable(
        api_client.get(
            "/api/agent/conversations/abc",
            headers={"Authorization": "Bearer test-agent-token"},
        )
    )


def test_the_next_request_succeeds_once_the_database_answers_again(api_client, tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/no-such-folder/kefu.db")
    try:
        with sessions_bound_to(sessionmaker(bind=engine)):
            _unavailable(api_client.post("/api/chat"))
    finally:
        engine.dispose()
    assert api_client.post("/api/chat").status_code == 201


def _request() -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": []})


async def test_a_connection_dropped_mid_query_is_503_too():
    dropped = DBAPIError(
        "SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True
    )
    assert dropped.connection_invalidated
    response = await _database_unavailable(_request(), dropped)
    assert response.status_code == 503


async def test_other_database_errors_stay_500s():
    """A broken constraint is a bug to see, not an outage to wait out: the handler passes it on
    (Starlette then answers 500)."""
    broken = IntegrityError("INSERT …", {}, Exception("duplicate key"))
    with pytest.raises(IntegrityError):
        await _database_unavailable(_request(), broken)
