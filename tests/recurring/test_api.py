"""The queues for admins: list items with their count, trend, evidence and links; acknowledge,
assign and close them (an illegal step is a conflict); an admin token is required."""

import pytest
from sqlalchemy import select

from accounts.models import Role
from core.events import Event, EventName
from recurring.models import Queue, RecurringIssue
from tests.recurring.conftest import open_items, read_all, review
from tests.staff import bearer

ADMIN = bearer(Role.AGENT)
FADED = "衣服洗了一次就掉色，质量太差"


@pytest.fixture
def item(db) -> RecurringIssue:
    """An open product item of three complaints."""
    for _ in range(3):
        review(db, FADED, product_id="P-API")
    read_all(db)
    [found] = [i for i in open_items(db, Queue.PRODUCT) if i.product_id == "P-API"]
    return found


def test_an_admin_sees_the_queue_with_count_trend_evidence_and_links(api_client, item):
    answer = api_client.get("/api/queues/product/items", headers=ADMIN)
    assert answer.status_code == 200
    [shown] = [i for i in answer.json() if i["id"] == item.id]
    assert (shown["cause"], shown["product_id"], shown["state"]) == (
        "product.poor_quality",
        "P-API",
        "open",
    )
    assert shown["complaint_count"] == 3
    assert len(shown["links"]["review_ids"]) == 3
    assert 1 <= len(shown["samples"]) <= 3
    assert shown["trend"]["this_window"] == 3
    assert len(shown["trend"]["days"]) == 14
    assert api_client.get(f"/api/queues/items/{item.id}", headers=ADMIN).json() == shown
    assert api_client.get("/api/queues/logistics/items", headers=ADMIN).json() == []


def test_an_item_is_acknowledged_assigned_and_closed_and_closing_it_again_is_a_conflict(
    api_client, db, item
):
    base = f"/api/queues/items/{item.id}"
    acknowledged = api_client.post(f"{base}/acknowledge", headers=ADMIN)
    assert (acknowledged.status_code, acknowledged.json()["state"]) == (200, "acknowledged")
    assert api_client.post(f"{base}/acknowledge", headers=ADMIN).status_code == 409
    assigned = api_client.post(f"{base}/assign", json={"assignee": " 品控小张 "}, headers=ADMIN)
    assert assigned.status_code == 200
    assert (assigned.json()["state"], assigned.json()["assignee"]) == ("assigned", "品控小张")
    again = api_client.post(f"{base}/assign", json={"assignee": "品控小张"}, headers=ADMIN)
    assert again.status_code == 409
    closed = api_client.post(f"{base}/close", json={"note": "换了面料供应商"}, headers=ADMIN)
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["close_note"]) == ("closed", "换了面料供应商")
    assert closed.json()["closed_at"] is not None
    conflict = api_client.post(f"{base}/close", headers=ADMIN)
    assert conflict.status_code == 409
    assert "closed" in conflict.json()["detail"]
    assert api_client.post(f"{base}/assign", json={"assignee": "x"}, headers=ADMIN).status_code == (
        409
    )

    listed = api_client.get("/api/queues/product/items", headers=ADMIN).json()
    assert item.id not in [i["id"] for i in listed]  # the default list: not closed
    closed_ones = api_client.get("/api/queues/product/items?state=closed", headers=ADMIN).json()
    assert item.id in [i["id"] for i in closed_ones]
    steps = db.scalars(
        select(Event).where(Event.subject_id == str(item.id), Event.subject_type == "queue_item")
    ).all()
    assert [(e.name, e.agent) for e in steps] == [
        (EventName.QUEUE_ITEM_OPENED, None),
        (EventName.QUEUE_ITEM_ACKNOWLEDGED, "客服小美"),
        (EventName.QUEUE_ITEM_ASSIGNED, "客服小美"),
        (EventName.QUEUE_ITEM_CLOSED, "客服小美"),
    ]
    assert steps[2].payload["assignee"] == "品控小张"


def test_an_open_item_may_be_closed_without_a_note(api_client, item):
    closed = api_client.post(f"/api/queues/items/{item.id}/close", headers=ADMIN)
    assert (closed.status_code, closed.json()["close_note"]) == (200, None)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/queues/product/items"),
        ("get", "/api/queues/items/1"),
        ("post", "/api/queues/items/1/acknowledge"),
        ("post", "/api/queues/items/1/assign"),
        ("post", "/api/queues/items/1/close"),
    ],
)
def test_the_queues_answer_401_without_an_admin_token(api_client, method, path):
    answer = getattr(api_client, method)(path)
    assert answer.status_code == 401
    wrong = getattr(api_client, method)(path, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/queues/price/items", None),
        ("get", "/api/queues/product/items?state=lost", None),
        ("get", "/api/queues/product/items?limit=0", None),
        ("get", "/api/queues/items/0", None),
        ("get", f"/api/queues/items/{2**64}", None),
        ("get", "/api/queues/items/abc", None),
        ("post", "/api/queues/items/{id}/assign", {}),
        ("post", "/api/queues/items/{id}/assign", {"assignee": ""}),
        ("post", "/api/queues/items/{id}/assign", {"assignee": "   "}),
        ("post", "/api/queues/items/{id}/assign", {"assignee": "长" * 65}),
        ("post", "/api/queues/items/{id}/close", {"note": "长" * 501}),
    ],
)
def test_bad_input_is_a_clear_4xx(api_client, item, method, path, body):
    kwargs = {"headers": ADMIN} | ({} if body is None else {"json": body})
    answer = getattr(api_client, method)(path.format(id=item.id), **kwargs)
    assert answer.status_code == 422
    assert answer.json()["detail"]


def test_an_unknown_item_is_404(api_client):
    for answer in (
        api_client.get("/api/queues/items/999999", headers=ADMIN),
        api_client.post("/api/queues/items/999999/acknowledge", headers=ADMIN),
        api_client.post("/api/queues/items/999999/assign", json={"assignee": "x"}, headers=ADMIN),
        api_client.post("/api/queues/items/999999/close", headers=ADMIN),
    ):
        assert answer.status_code == 404
        assert "no such queue item" in answer.json()["detail"]
