"""The agents' routes for negative reviews: the worklist by severity and waiting time, one review
with its drafts and alerts, and each step, refused with the right status when it must be."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from accounts.models import Role
from reviews.importer import ReviewRow
from reviews.service import store_reviews
from shop.models import Order
from tests.staff import bearer

AUTH = bearer(Role.AGENT)
BOSS = bearer(Role.SUPERVISOR)


@pytest.fixture
def client(api_client):
    return api_client


def store(db, review_id: str, text: str, rating: int | None = 1, **kw) -> int:
    row = ReviewRow(line=1, platform="jd", review_id=review_id, text=text, rating=rating, **kw)
    (stored,) = store_reviews(db, [row])
    db.flush()
    return stored.review.id


def test_every_route_needs_an_admin_token(client, db):
    number = store(db, "n0", "质量太差")
    assert client.get("/api/negative-reviews").status_code == 401
    assert client.get(f"/api/negative-reviews/{number}").status_code == 401
    put = client.put(f"/api/negative-reviews/{number}/reply", json={"text": "好"})
    assert put.status_code == 401


def test_the_worklist_puts_the_most_severe_first_then_the_longest_waiting(client, db):
    mild = store(db, "n1", "快递有点慢", rating=3)
    severe = store(db, "n2", "用了以后过敏了，脸上起红疹，我要投诉到12315", rating=1)
    store(db, "n3", "很好用，推荐", rating=5)
    listed = client.get("/api/negative-reviews", headers=AUTH).json()
    numbers = [item["number"] for item in listed]
    assert numbers.index(severe) < numbers.index(mild)
    assert all(item["severity"] != "none" for item in listed)
    first = next(item for item in listed if item["number"] == severe)
    assert first["severity"] == "critical"
    assert first["offer_state"] == "drafted"
    assert first["reply_state"] == "drafted"
    assert first["waiting_s"] >= 0
    assert not first["contacted"]


def test_one_review_comes_with_its_analysis_drafts_and_why(client, db):
    number = store(db, "n4", "快递太慢了，等了一个星期", product_name="保温杯")
    body = client.get(f"/api/negative-reviews/{number}", headers=AUTH).json()
    assert body["causes"] == ["logistics"]
    (offer,) = body["offers"]
    assert (offer["remedy"], offer["summary"], offer["state"]) == ("coupon", "¥5优惠券", "drafted")
    assert offer["why"] == ["规则「物流慢」第 1 步"]
    assert body["reply"]["violations"] == []
    assert body["reply"]["text"]
    assert body["alerts"] == []
    assert body["contacts"] == []


def test_an_unknown_or_positive_review_is_not_found(client, db):
    positive = store(db, "n5", "非常满意，下次还来", rating=5)
    assert client.get(f"/api/negative-reviews/{positive}", headers=AUTH).status_code == 404
    assert client.get("/api/negative-reviews/999999", headers=AUTH).status_code == 404
    assert client.get("/api/negative-reviews/0", headers=AUTH).status_code == 422


def test_an_edited_reply_shows_the_checkers_findings_and_cannot_be_approved(client, db):
    number = store(db, "n6", "质量太差了，穿一次就起球")
    edited = client.put(
        f"/api/negative-reviews/{number}/reply",
        json={"text": "亲，给个好评返现10元，我们是全网最低价哦"},
        headers=AUTH,
    )
    assert edited.status_code == 200
    kinds = {v["kind"] for v in edited.json()["violations"]}
    assert {"inducement", "absolute_claim"} <= kinds
    assert all(v["explanation"] for v in edited.json()["violations"])
    approve = client.post(f"/api/negative-reviews/{number}/reply/approve", headers=AUTH)
    assert approve.status_code == 409
    assert "不能审批" in approve.json()["detail"]


def test_an_approved_clean_reply_cannot_be_decided_twice(client, db):
    number = store(db, "n7", "客服态度太差了")
    approve = client.post(f"/api/negative-reviews/{number}/reply/approve", headers=AUTH)
    assert approve.status_code == 200
    assert (approve.json()["state"], approve.json()["decided_by"]) == ("approved", "客服小美")
    again = client.post(f"/api/negative-reviews/{number}/reply/reject", headers=AUTH)
    assert again.status_code == 409


def test_an_offer_above_the_threshold_needs_a_supervisor(client, db, seeded_at):
    order = db.scalars(select(Order).order_by(Order.id)).first()
    order.total_amount = Decimal(400)
    number = store(db, "n8", "水果烂了好几个，不新鲜", rating=2, order_id=order.order_no)
    path = f"/api/negative-reviews/{number}/offer/approve"
    refused = client.post(path, headers=AUTH)
    assert refused.status_code == 403
    assert "主管" in refused.json()["detail"]
    approved = client.post(path, headers=BOSS)
    assert approved.status_code == 200
    assert (approved.json()["state"], approved.json()["decided_by"]) == ("approved", "店长老陈")


def test_a_declined_offer_comes_back_with_the_next_step(client, db):
    number = store(db, "n9", "物流太慢了", rating=2)
    assert client.post(f"/api/negative-reviews/{number}/offer/approve", headers=AUTH).is_success
    answer = client.post(
        f"/api/negative-reviews/{number}/offer/answer", json={"accepted": False}, headers=AUTH
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["answered"]["state"], body["next_offer"]["step"]) == ("declined", 2)
    unapproved = client.post(
        f"/api/negative-reviews/{number}/offer/answer", json={"accepted": True}, headers=AUTH
    )
    assert unapproved.status_code == 409  # the next step is not approved yet


def test_a_contact_stops_the_waiting_clock_and_leaves_the_waiting_list(client, db):
    number = store(db, "n10", "发错货了，颜色不对")
    contact = client.post(
        f"/api/negative-reviews/{number}/contacts",
        json={"channel": "phone", "note": "已致电道歉，顾客同意补发"},
        headers=AUTH,
    )
    assert contact.status_code == 201
    assert contact.json()["agent"] == "客服小美"
    waiting = client.get("/api/negative-reviews", headers=AUTH).json()
    assert number not in [item["number"] for item in waiting]
    everyone = client.get("/api/negative-reviews?waiting=false", headers=AUTH).json()
    assert next(i for i in everyone if i["number"] == number)["contacted"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("contacts", {"channel": "pigeon"}),
        ("contacts", {"note": "长" * 501}),
        ("revision", {"rating": 6}),
        ("offer/answer", {}),
    ],
)
def test_bad_input_is_a_clear_4xx(client, db, path, body):
    number = store(db, "n11", "包装破了")
    response = client.post(f"/api/negative-reviews/{number}/{path}", json=body, headers=AUTH)
    assert response.status_code == 422


def test_an_over_long_reply_is_refused(client, db):
    number = store(db, "n12", "质量差")
    response = client.put(
        f"/api/negative-reviews/{number}/reply", json={"text": "好" * 2001}, headers=AUTH
    )
    assert response.status_code == 422


def test_a_revision_is_recorded(client, db):
    number = store(db, "n13", "快递员态度很差", rating=1)
    response = client.post(
        f"/api/negative-reviews/{number}/revision", json={"rating": 4}, headers=AUTH
    )
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "reply", {"text": "您好\x00"}),
        ("put", "offer/message", {"text": "抱歉\x07"}),
        ("post", "contacts", {"channel": "chat", "note": "已联系\ud800"}),
    ],
)
def test_control_characters_are_refused_not_stored(client, db, method, path, body):
    number = store(db, "n14", "质量差，用了一天就坏")
    response = client.request(  # JSON escapes, as a client sends a lone surrogate
        method.upper(),
        f"/api/negative-reviews/{number}/{path}",
        content=json.dumps(body),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "控制字符" in response.text


def test_an_approval_the_budget_overtook_returns_the_redraft_to_check(client, db, seeded_at):
    order = db.scalars(select(Order).order_by(Order.id)).first()
    order.total_amount = Decimal(400)
    first = store(db, "n15", "水果烂了好几个，不新鲜", rating=2, order_id=order.order_no)
    second = store(db, "n16", "又烂了好几个，不新鲜", rating=2, order_id=order.order_no)
    assert client.post(f"/api/negative-reviews/{first}/offer/approve", headers=BOSS).is_success
    refused = client.post(f"/api/negative-reviews/{second}/offer/approve", headers=BOSS)
    assert refused.status_code == 409
    assert "重新起草" in refused.json()["detail"]
    (offer,) = client.get(f"/api/negative-reviews/{second}", headers=AUTH).json()["offers"]
    assert (offer["state"], offer["refund"]) == ("drafted", 0.0)  # the redraft was kept
