"""POST /api/reviews stores and analyses one or many; GET lists the negative ones."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import _admin_name, _db_session
from api.routes import reviews


@pytest.fixture
def client(db):
    app = FastAPI()
    app.include_router(reviews.router)
    app.dependency_overrides[_db_session] = lambda: db
    app.dependency_overrides[_admin_name] = lambda: "接口对接"
    return TestClient(app)


def test_reviews_need_an_admin_token(db):
    app = FastAPI()
    app.include_router(reviews.router)
    app.dependency_overrides[_db_session] = lambda: db
    anonymous = TestClient(app)
    assert anonymous.get("/api/reviews").status_code == 401
    assert anonymous.post("/api/reviews", json={"review_id": "x"}).status_code == 401


def test_a_single_review_is_stored_and_its_analysis_returned(client):
    body = {"review_id": "api-1", "text": "收到就是碎的，箱子都压扁了", "rating": 5}
    response = client.post("/api/reviews", json=body)
    assert response.status_code == 201
    (found,) = response.json()
    assert found["negative"]
    assert found["causes"] == ["logistics"]
    assert not found["duplicate"]


def test_a_batch_with_a_duplicate_stores_it_once(client):
    batch = [
        {"review_id": "api-2", "text": "客服不理人"},
        {"review_id": "api-2", "text": "客服不理人"},
        {"review_id": "api-3", "text": "很好"},
    ]
    first = client.post("/api/reviews", json=batch).json()
    assert [x["duplicate"] for x in first] == [False, True, False]
    again = client.post("/api/reviews", json=batch[0]).json()
    assert again[0]["duplicate"]
    assert again[0]["causes"] == ["service"]
    negatives = client.get("/api/reviews", params={"negative": "true"}).json()
    ids = [r["review_id"] for r in negatives]
    assert "api-2" in ids
    assert "api-3" not in ids
    assert all(r["analysis"]["negative"] for r in negatives)


@pytest.mark.parametrize(
    "body",
    [{"text": "没有id"}, {"review_id": "x", "rating": 6}, {"review_id": ""}, "not json object"],
)
def test_bad_reviews_are_rejected_with_422(client, body):
    assert client.post("/api/reviews", json=body).status_code == 422
