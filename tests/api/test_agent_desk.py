"""The agent desk's JSON API: the inbox, take (409 for the second agent), release, resolve,
private notes, saved replies, canned answers and the order beside the transcript."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accounts.models import Role
from api.main import app
from conversations.models import EscalationReason, Sender
from conversations.service import hand_over, post
from core.events import Event, EventName
from tests.echo_bot import EchoBot
from tests.shop.conftest import demo_order
from tests.staff import bearer, name_of

AGENT = bearer(Role.AGENT)
SUPERVISOR = bearer(Role.SUPERVISOR)


@pytest.fixture
def client(db):
    """The whole app with its lifespan (the chat gateway), writing into the test's rollback."""
    with TestClient(app) as client:
        app.state.gateway.bot = EchoBot()
        yield client


def _waiting(db, text="转人工", order_no=None) -> str:
    conversation_id = f"api-desk-{uuid.uuid4().hex[:12]}"
    post(db, conversation_id, Sender.SHOPPER, text)
    hand_over(db, conversation_id, EscalationReason.SHOPPER_ASKED, detail=text, order_no=order_no)
    db.flush()
    return conversation_id


def _url(conversation_id: str, action: str = "") -> str:
    return f"/api/agent/conversations/{conversation_id}{'/' + action if action else ''}"


def test_the_inbox_shows_each_waiting_shopper_with_reason_wait_mood_and_order(api_client, db):
    order = demo_order(db, "in_transit")
    conversation_id = _waiting(db, "我要投诉你们，再不处理就找12315", order.order_no)
    inbox = api_client.get("/api/agent/inbox", headers=AGENT)
    assert inbox.status_code == 200
    [item] = [i for i in inbox.json() if i["conversation_id"] == conversation_id]
    assert (item["status"], item["status_label"]) == ("open", "待接入")
    assert item["reason_label"] == "顾客要求人工"
    assert item["waiting_seconds"] >= 0
    assert (item["mood"], item["mood_label"]) == ("angry", "很生气（扬言投诉/曝光）")
    assert item["mood_cue"].startswith("顾客原话")
    assert item["order_no"] == order.order_no
    assert item["mine"] is False


def test_the_desk_refuses_the_wrong_role_and_strangers(api_client, db):
    conversation_id = _waiting(db)
    assert api_client.get("/api/agent/inbox").status_code == 401
    assert api_client.get("/api/agent/inbox", headers=bearer(Role.MANAGER)).status_code == 403
    took = api_client.post(_url(conversation_id, "take"), headers=bearer(Role.ADMIN))
    assert took.status_code == 403


def test_an_agent_who_takes_a_conversation_has_it_and_a_second_agent_gets_409(api_client, db):
    conversation_id = _waiting(db)
    took = api_client.post(_url(conversation_id, "take"), headers=AGENT)
    assert took.status_code == 200
    assert (took.json()["agent"], took.json()["already"]) == (name_of(Role.AGENT), False)
    second = api_client.post(_url(conversation_id, "take"), headers=SUPERVISOR)
    assert second.status_code == 409
    assert name_of(Role.AGENT) in second.json()["detail"]
    [item] = [
        i
        for i in api_client.get("/api/agent/inbox", headers=AGENT).json()
        if i["conversation_id"] == conversation_id
    ]
    assert (item["status"], item["mine"]) == ("taken", True)
    taken = db.scalars(
        select(Event).where(
            Event.name == EventName.CONVERSATION_TAKEN, Event.conversation_id == conversation_id
        )
    ).all()
    assert len(taken) == 1


def test_release_puts_it_back_and_taking_the_unknown_is_404(api_client, db):
    conversation_id = _waiting(db)
    api_client.post(_url(conversation_id, "take"), headers=AGENT)
    assert api_client.post(_url(conversation_id, "release"), headers=AGENT).status_code == 204
    again = api_client.post(_url(conversation_id, "release"), headers=AGENT)
    assert again.status_code == 409
    missing = api_client.post(_url("no-such-conversation", "take"), headers=AGENT)
    assert missing.status_code == 404


def test_a_reply_takes_the_conversation_and_a_supervisor_may_step_in(client, db):
    conversation_id = _waiting(db)
    reply = client.post(_url(conversation_id, "messages"), json={"text": "您好"}, headers=AGENT)
    assert reply.status_code == 200
    view = client.get(_url(conversation_id), headers=AGENT).json()
    assert (view["taken_by"], view["waiting"], view["status"]) == (
        name_of(Role.AGENT),
        False,
        "open",
    )
    helping = client.post(
        _url(conversation_id, "messages"), json={"text": "我是店长，补充一下"}, headers=SUPERVISOR
    )
    assert helping.status_code == 200  # a supervisor may answer in an agent's conversation
    back = client.post(_url(conversation_id, "hand-back"), headers=SUPERVISOR)
    assert back.status_code == 204  # a supervisor may hand back anyone's


def test_resolving_tells_the_shopper_the_bot_answers_again_and_twice_is_409(client, db):
    conversation_id = _waiting(db)
    client.post(_url(conversation_id, "take"), headers=AGENT)
    assert client.post(_url(conversation_id, "resolve"), headers=AGENT).status_code == 204
    view = client.get(_url(conversation_id), headers=AGENT).json()
    assert (view["status"], view["handled_by"], view["status_label"]) == (
        "resolved",
        "bot",
        "已解决",
    )
    assert view["messages"][-1]["sender"] == "system"
    again = client.post(_url(conversation_id, "resolve"), headers=AGENT)
    assert again.status_code == 409
    assert "已经解决" in again.json()["detail"]


def test_private_notes_are_added_listed_and_held_to_1000_characters(api_client, db):
    conversation_id = _waiting(db)
    added = api_client.post(
        _url(conversation_id, "notes"), json={"text": "顾客要求周末送货"}, headers=AGENT
    )
    assert added.status_code == 201
    assert added.json()["author"] == name_of(Role.AGENT)
    too_long = api_client.post(
        _url(conversation_id, "notes"), json={"text": "长" * 1001}, headers=AGENT
    )
    assert too_long.status_code == 422
    blank = api_client.post(_url(conversation_id, "notes"), json={"text": "   "}, headers=AGENT)
    assert blank.status_code == 422
    listed = api_client.get(_url(conversation_id, "notes"), headers=AGENT).json()
    assert [n["text"] for n in listed] == ["顾客要求周末送货"]
    assert api_client.get(_url("nope", "notes"), headers=AGENT).status_code == 404


def test_saved_replies_are_created_found_as_canned_answers_and_deleted(api_client):
    created = api_client.post(
        "/api/agent/saved-replies",
        json={"title": "致歉", "text": "非常抱歉给您带来不便，我们马上为您处理"},
        headers=AGENT,
    )
    assert created.status_code == 201
    reply_id = created.json()["id"]
    same = api_client.post(
        "/api/agent/saved-replies", json={"title": "致歉", "text": "另一条"}, headers=AGENT
    )
    assert same.status_code == 409
    canned = api_client.get("/api/agent/canned", params={"q": "抱歉"}, headers=AGENT).json()
    assert canned[0]["kind"] == "saved"
    assert (canned[0]["kind_label"], canned[0]["text"]) == ("快捷回复", created.json()["text"])
    faq = api_client.get("/api/agent/canned", params={"q": "运费谁出"}, headers=AGENT).json()
    assert any(c["kind"] == "faq" for c in faq)
    listed = api_client.get("/api/agent/saved-replies", params={"q": "致歉"}, headers=AGENT)
    assert [r["title"] for r in listed.json()] == ["致歉"]
    gone = api_client.delete(f"/api/agent/saved-replies/{reply_id}", headers=AGENT)
    assert gone.status_code == 204
    missing = api_client.delete(f"/api/agent/saved-replies/{reply_id}", headers=AGENT)
    assert missing.status_code == 404


def test_bad_saved_replies_and_queries_are_a_clear_4xx(api_client):
    inducing = api_client.post(
        "/api/agent/saved-replies", json={"title": "返现", "text": "好评返现5元"}, headers=AGENT
    )
    assert inducing.status_code == 422
    assert "好评" in " ".join(inducing.json()["detail"])
    long_title = api_client.post(
        "/api/agent/saved-replies", json={"title": "标" * 41, "text": "正文"}, headers=AGENT
    )
    assert long_title.status_code == 422
    for search in ("/api/agent/canned", "/api/agent/saved-replies"):  # PostgreSQL refuses NUL
        nul = api_client.get(search, params={"q": "运\u0000费"}, headers=AGENT)
        assert nul.status_code == 422
    long_query = api_client.get("/api/agent/canned", params={"q": "问" * 101}, headers=AGENT)
    assert long_query.status_code == 422
    assert api_client.delete("/api/agent/saved-replies/0", headers=AGENT).status_code == 422


def test_the_order_beside_the_transcript_has_items_parcels_and_labels(api_client, db):
    order = demo_order(db, "in_transit")
    conversation_id = _waiting(db, order_no=order.order_no)
    body = api_client.get(_url(conversation_id, "order"), headers=AGENT).json()
    beside = body["order"]
    assert beside["order_no"] == order.order_no
    assert beside["status_label"] == "已发货"
    assert beside["lines"][0]["product"]
    assert beside["parcels"][0]["status_label"] in ("运输中", "派送中")
    assert beside["parcels"][0]["scans"][0]["description"]
    nothing = api_client.get(_url(_waiting(db), "order"), headers=AGENT).json()
    assert nothing == {"order": None}


def _signed_in(api_client, role: Role) -> str:
    """Signs the client in with a cookie session; returns the session's CSRF token."""
    from tests.staff import PASSWORD, STAFF

    signed = api_client.post("/api/session", json={"login": STAFF[role][0], "password": PASSWORD})
    assert signed.status_code == 200
    return api_client.get("/api/session").json()["csrf_token"]


def test_the_desk_pages_ask_for_sign_in_and_refuse_a_manager(api_client, db):
    conversation_id = _waiting(db)
    page = f"/desk/conversations/{conversation_id}"
    first = api_client.get(page, follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"].startswith("/login?next=")
    _signed_in(api_client, Role.MANAGER)
    assert api_client.get("/desk").status_code == 403


def test_the_conversation_page_carries_its_id_and_an_unknown_one_is_404(api_client, db):
    conversation_id = _waiting(db)
    _signed_in(api_client, Role.AGENT)
    inbox = api_client.get("/desk")
    assert inbox.status_code == 200
    assert 'src="/static/staff/desk.js"' in inbox.text
    page = api_client.get(f"/desk/conversations/{conversation_id}")
    assert page.status_code == 200
    assert f'data-conversation-id="{conversation_id}"' in page.text
    assert api_client.get("/desk/conversations/no-such-one").status_code == 404


def test_a_change_made_with_the_session_cookie_needs_the_pages_csrf_token(api_client, db):
    conversation_id = _waiting(db)
    csrf = _signed_in(api_client, Role.AGENT)
    assert api_client.post(_url(conversation_id, "take")).status_code == 403
    took = api_client.post(_url(conversation_id, "take"), headers={"X-CSRF-Token": csrf})
    assert took.status_code == 200
