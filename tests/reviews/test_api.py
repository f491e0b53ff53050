"""POST /api/reviews stores and analyses one or many; GET lists the negative ones.

The requests write into the test's transaction (the `db` fixture binds every unit of work).
"""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accounts.models import Role
from api.routes import reviews
from reviews.importer import ReviewRow
from reviews.models import ReviewAnalysis
from reviews.service import store_reviews
from tests.staff import bearer

READER = bearer(Role.AGENT)  # agents read reviews; an admin's token stores them


def _app() -> FastAPI:
    app = FastAPI()
    app.include_router(reviews.router)
    return app


@pytest.fixture
def client(db):
    client = TestClient(_app())
    client.headers.update(bearer(Role.ADMIN))  # stores reviews (an integration's token)
    return client


def test_reviews_need_an_admin_token(db):
    anonymous = TestClient(_app())
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
    negatives = client.get("/api/reviews", params={"negative": "true"}, headers=READER).json()
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


def _analysis(review_id: int, version: str, negative: bool) -> ReviewAnalysis:
    return ReviewAnalysis(
        review_id=review_id,
        negative=negative,
        negative_score=0.9 if negative else 0.1,
        causes=["service"] if negative else [],
        sub_causes=[],
        severity="low" if negative else "none",
        severity_reasons=[],
        evidence={},
        model_version=version,
    )


def test_pages_of_negative_reviews_hold_each_review_once(client, db):
    rows = [
        ReviewRow(
            line=n, platform="jd", review_id=f"page-{n}", text="客服不理人", product_id="p-pg"
        )
        for n in range(1, 5)
    ]
    _, second, third, _ = (s.review for s in store_reviews(db, rows))
    # re-analysed by two more model versions: every analysis of `second` is negative, and the
    # latest one of `third` is not (the list shows, and filters on, the latest)
    db.add_all(
        [
            _analysis(second.id, "v-next", True),
            _analysis(second.id, "v-after", True),
            _analysis(third.id, "v-next", False),
        ]
    )
    db.flush()

    def page(offset: int) -> list[str]:
        params = {"negative": "true", "product_id": "p-pg", "limit": 2, "offset": offset}
        return [
            r["review_id"] for r in client.get("/api/reviews", params=params, headers=READER).json()
        ]

    assert page(0) == ["page-4", "page-2"]
    assert page(2) == ["page-1"]
    assert page(4) == []
    positive = client.get(
        "/api/reviews", params={"negative": "false", "product_id": "p-pg"}, headers=READER
    )
    assert [r["review_id"] for r in positive.json()] == ["page-3"]
    assert positive.json()[0]["analysis"]["negative"] is False
