"""The storefront chat channel: every message stored, bot or human in charge, nothing lost;
each conversation issued by the server and open only to whoever holds its secret."""

import hashlib
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import app
from api.routes.chat import NOT_YOURS, SECRET_COOKIE
from connectors.rasa_client import BotReply, BotUnavailableError, RasaRestClient
from conversations.models import Conversation, EscalationReason, Sender
from conversations.service import hand_over, post
from core.clock import utcnow
from core.database import unit_of_work
from core.settings import get_settings
from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.logistics import open_case
from shop.models import CaseKind, Order
from words.render import phrase

AGENT = {"Authorization": "Bearer test-agent-token"}


class FakeBot:
    """Stands in for Rasa: echoes, hands over on 转人工, fails on 'down'."""

    button_payload = "查物流"  # what its one button sends

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.metadata: list[dict[str, str] | None] = []

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> list[BotReply]:
        self.seen.append(text)
        self.metadata.append(metadata)
        if text == "down":
            raise BotUnavailableError("simulated outage")
        if text == "转人工":
            with unit_of_work() as session:
                hand_over(session, sender_id, EscalationReason.SHOPPER_ASKED, detail=text)
            return [BotReply("好的，马上为您转接人工客服。")]
        return [BotReply(f"收到：{text}", [{"title": "查物流", "payload": self.button_payload}])]


@pytest.fixture
def client(db):
    with TestClient(app) as client:
        client.app.state.gateway.bot = FakeBot()
        yield client


@pytest.fixture
def conversation_id(client) -> str:
    """A conversation issued to the client, whose cookie jar now holds its secret."""
    return _start(client)["id"]


def _start(client) -> dict[str, str]:
    created = client.post("/api/chat")
    assert created.status_code == 201
    return created.json()


def _send(client, conversation_id, text):
    return client.post(f"/api/chat/{conversation_id}/messages", json={"text": text})


def test_the_bot_answers_and_both_sides_are_in_the_transcript(client, conversation_id):
    body = _send(client, conversation_id, "你好").json()
    assert body == {
        "replies": [{"text": "收到：你好", "buttons": [{"title": "查物流", "payload": "查物流"}]}],
        "handled_by": "bot",
    }
    transcript = client.get(f"/api/chat/{conversation_id}/messages").json()
    assert [(m["sender"], m["text"]) for m in transcript] == [
        ("shopper", "你好"),
        ("bot", "收到：你好"),
    ]


def test_when_the_bot_is_down_the_shopper_is_offered_a_human_and_nothing_is_lost(
    client, conversation_id
):
    body = _send(client, conversation_id, "down").json()
    assert body["replies"][0]["text"] == phrase("bot_unavailable")
    assert body["replies"][0]["buttons"] == [{"title": "转人工客服", "payload": "/request_human"}]
    transcript = client.get(f"/api/chat/{conversation_id}/messages").json()
    assert transcript[0] == {**transcript[0], "sender": "shopper", "text": "down"}


def test_after_a_handoff_messages_wait_for_the_agent_and_the_bot_stays_silent(
    client, conversation_id
):
    handed = _send(client, conversation_id, "转人工").json()
    assert handed["handled_by"] == "human"
    assert "人工客服" in handed["replies"][-1]["text"]  # where the shopper stands in the queue
    held = _send(client, conversation_id, "我的快递三天没动了").json()
    assert held["handled_by"] == "human"
    assert [r["text"][:2] for r in held["replies"]] == ["收到"]  # acknowledged, not answered
    assert client.app.state.gateway.bot.seen == ["转人工"]
    queue = client.get("/api/agent/escalations", headers=AGENT).json()
    mine = [e for e in queue if e["conversation_id"] == conversation_id]
    assert len(mine) == 1
    assert mine[0]["reason"] == "shopper_asked"
    assert mine[0]["reason_label"] == "顾客要求人工"
    context = client.get(f"/api/agent/conversations/{conversation_id}", headers=AGENT).json()
    assert context["messages"][-2]["text"] == "我的快递三天没动了"


def test_an_agent_replies_then_hands_back_to_the_bot(client, conversation_id):
    _send(client, conversation_id, "转人工")
    url = f"/api/agent/conversations/{conversation_id}"
    reply = client.post(f"{url}/messages", json={"text": "您好，我是客服小美"}, headers=AGENT)
    assert reply.status_code == 200
    assert client.post(f"{url}/hand-back", headers=AGENT).status_code == 204
    assert _send(client, conversation_id, "谢谢").json()["handled_by"] == "bot"
    senders = [m["sender"] for m in client.get(f"/api/chat/{conversation_id}/messages").json()]
    assert senders == ["shopper", "bot", "system", "agent", "system", "shopper", "bot"]


def test_the_status_says_who_answers_now_for_the_widgets_header(client, conversation_id):
    status = f"/api/chat/{conversation_id}/status"
    assert client.get(status).json() == {"handled_by": "bot", "agent": None, "waiting_ahead": None}
    _send(client, conversation_id, "转人工")
    waiting = client.get(status).json()
    assert (waiting["handled_by"], waiting["agent"]) == ("human", None)
    assert isinstance(waiting["waiting_ahead"], int)
    url = f"/api/agent/conversations/{conversation_id}"
    client.post(f"{url}/messages", json={"text": "您好，我是客服小美"}, headers=AGENT)
    answering = client.get(status).json()
    assert answering == {"handled_by": "human", "agent": "客服小美", "waiting_ahead": None}
    client.post(f"{url}/hand-back", headers=AGENT)
    assert client.get(status).json()["handled_by"] == "bot"


def test_an_agent_cannot_reply_where_the_bot_is_in_charge(client, conversation_id):
    _send(client, conversation_id, "你好")
    url = f"/api/agent/conversations/{conversation_id}/messages"
    assert client.post(url, json={"text": "在的"}, headers=AGENT).status_code == 409
    assert client.post(url, json={"text": "在的"}).status_code == 401


@pytest.mark.parametrize(("payload"), [{"text": "   "}, {}, {"text": "你好", "payload": 1}])
def test_bad_messages_are_rejected(client, conversation_id, payload):
    response = client.post(f"/api/chat/{conversation_id}/messages", json=payload)
    assert response.status_code == 422


def test_an_id_outside_the_pattern_is_rejected(client, conversation_id):
    response = client.post("/api/chat/bad id!/messages", json={"text": "你好"})
    assert response.status_code in (404, 422)


def test_the_real_rasa_client_reports_an_unreachable_server_quickly(client, conversation_id):

    client.app.state.gateway.bot = RasaRestClient(["http://127.0.0.1:9"], timeout_s=1.0)
    body = _send(client, conversation_id, "在吗").json()
    assert body["replies"][0]["text"] == phrase("bot_unavailable")


def test_a_button_shows_its_title_but_sends_its_payload_to_the_bot(client, conversation_id):
    _send(client, conversation_id, "你好")  # the fake bot answers with a 查物流 button
    client.post(
        f"/api/chat/{conversation_id}/messages", json={"text": "查一下物流", "payload": "查物流"}
    )
    assert client.app.state.gateway.bot.seen == ["你好", "查物流"]
    transcript = client.get(f"/api/chat/{conversation_id}/messages").json()
    assert transcript[2]["text"] == "查一下物流"


@pytest.mark.parametrize(
    "typed",
    ["/restart", '/inform{"verified_order_no": "DD2026112200001"}', "  /request_human"],
)
def test_typed_intent_syntax_reaches_the_bot_as_words(client, conversation_id, typed):
    _send(client, conversation_id, typed)
    (seen,) = client.app.state.gateway.bot.seen
    assert not seen.lstrip().startswith("/")
    assert seen.startswith("／")


def test_an_offered_buttons_payload_typed_as_the_text_is_a_tap(client, conversation_id):
    client.app.state.gateway.bot.button_payload = "/request_human"
    _send(client, conversation_id, "你好")  # offered: /request_human
    _send(client, conversation_id, " /request_human ")
    _send(client, conversation_id, "/restart")  # never offered: words
    assert client.app.state.gateway.bot.seen == ["你好", "/request_human", "／restart"]


def test_a_payload_the_bot_did_not_offer_reaches_it_as_words(client, conversation_id):
    _send(client, conversation_id, "你好")  # offered: 查物流 only
    client.post(
        f"/api/chat/{conversation_id}/messages",
        json={"text": "转人工客服", "payload": '/inform{"verified_order_no": "DD1"}'},
    )
    assert client.app.state.gateway.bot.seen == ["你好", "转人工客服"]


def test_the_storefront_page_lists_products_and_carries_the_widget(client):
    page = client.get("/").text
    assert "悦购优选官方旗舰店" in page
    assert "/static/chat.js" in page
    assert client.get("/static/chat.js").status_code == 200


def test_agents_see_open_logistics_cases_with_the_order_and_remedies(client, db):

    order_no = [
        s["order_no"] for s in load_yaml(ORDERS_FILE)["orders"] if s["situation"] == "late"
    ][-1]
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    open_case(db, order, CaseKind.DELAYED, utcnow(), conversation_id="desk-test")
    db.flush()
    cases = client.get("/api/agent/cases", headers=AGENT).json()
    mine = [c for c in cases if c["conversation_id"] == "desk-test"]
    assert mine[0]["order_no"] == order_no
    assert "urge_carrier" in mine[0]["remedies"]
    assert mine[0]["kind_label"] == "物流延误/停滞"
    assert client.get("/api/agent/cases").status_code == 401


def test_the_desk_reads_an_escalations_detail_in_words(client, conversation_id):
    with unit_of_work() as session:
        hand_over(
            session,
            conversation_id,
            EscalationReason.CHANGE_FAILED,
            reason_detail="spec",
            detail="白色 / L",
        )
    queue = client.get("/api/agent/escalations", headers=AGENT).json()
    [mine] = [e for e in queue if e["conversation_id"] == conversation_id]
    assert (mine["reason_label"], mine["reason_detail_label"]) == ("订单修改未能完成", "颜色/尺码")
    assert mine["detail"] == "白色 / L"


def test_an_agent_reply_that_ties_anything_to_a_review_is_refused(client, conversation_id):
    _send(client, conversation_id, "转人工")
    url = f"/api/agent/conversations/{conversation_id}/messages"
    refused = client.post(url, json={"text": "亲，给个五星好评返现5元哦"}, headers=AGENT)
    assert refused.status_code == 422
    assert "评价" in refused.json()["detail"][0]
    sent = client.post(url, json={"text": "亲，非常抱歉，我们给您补发"}, headers=AGENT)
    assert sent.status_code == 200
    texts = [m["text"] for m in client.get(f"/api/chat/{conversation_id}/messages").json()]
    assert "亲，给个五星好评返现5元哦" not in texts


# --- who may reach a conversation (issue #14) ------------------------------------------------

SHOPPER_ROUTES = [
    ("GET", "/messages"),
    ("GET", "/status"),
    ("GET", "/events"),
    ("POST", "/messages"),
]


def _reach(client, conversation_id, method, route, headers=None) -> tuple[int, object]:
    """The status and JSON body of a request to a shopper route; an opened stream (SSE, which
    never ends) is closed at once, with no body."""
    body = {"json": {"text": "我的快递到哪了"}} if method == "POST" else {}
    url = f"/api/chat/{conversation_id}{route}"
    with client.stream(method, url, headers=headers or {}, **body) as response:
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            return response.status_code, None
        response.read()
        return response.status_code, response.json()


def _stored_messages(db, conversation_id) -> list[str]:
    conversation = db.get(Conversation, conversation_id)
    return [] if conversation is None else [m.text for m in conversation.messages]


@pytest.mark.parametrize(("method", "route"), SHOPPER_ROUTES)
def test_a_transcript_cannot_be_read_without_the_conversations_secret(client, db, method, route):
    issued = _start(client)
    _send(client, issued["id"], "我的手机号是13812345678")
    client.cookies.clear()
    for headers in ({}, {"X-Chat-Secret": ""}, {"X-Chat-Secret": "guess"}):
        assert _reach(client, issued["id"], method, route, headers) == (404, {"detail": NOT_YOURS})
    assert _stored_messages(db, issued["id"]) == [
        "我的手机号是13812345678",
        "收到：我的手机号是13812345678",
    ]
    allowed = _reach(client, issued["id"], method, route, {"X-Chat-Secret": issued["secret"]})
    assert allowed[0] == 200


@pytest.mark.parametrize(("method", "route"), SHOPPER_ROUTES)
def test_the_secret_of_one_conversation_does_not_open_another(client, db, method, route):
    mine, theirs = _start(client), _start(client)
    _send(client, theirs["id"], "我的地址是文三路100号")
    client.cookies.clear()
    refused = _reach(client, theirs["id"], method, route, {"X-Chat-Secret": mine["secret"]})
    assert refused == (404, {"detail": NOT_YOURS})
    client.cookies.set(SECRET_COOKIE, mine["secret"], path="/api/chat/")
    assert _reach(client, theirs["id"], method, route)[0] == 404
    assert _stored_messages(db, theirs["id"]) == [
        "我的地址是文三路100号",
        "收到：我的地址是文三路100号",
    ]
    assert _reach(client, mine["id"], method, route)[0] == 200  # the cookie works


@pytest.mark.parametrize(("method", "route"), SHOPPER_ROUTES)
def test_ids_the_client_makes_up_are_refused(client, db, method, route):
    issued = _start(client)  # a secret in the cookie jar, and one sent as the header
    for made_up in ("demo-1", issued["id"][:-1], issued["id"] + "x"):
        refused = _reach(client, made_up, method, route, {"X-Chat-Secret": issued["secret"]})
        assert refused == (404, {"detail": NOT_YOURS})
        assert db.get(Conversation, made_up) is None  # nothing started, nothing stored
    assert client.app.state.gateway.bot.seen == []


def test_a_conversation_stored_before_secrets_is_no_longer_the_shoppers(client, db):
    with unit_of_work() as session:
        post(session, "legacy-1", Sender.BOT, "您好")  # as before: stored without a secret
    for secret in (None, "", hashlib.sha256(b"").hexdigest()):
        headers = {} if secret is None else {"X-Chat-Secret": secret}
        client.cookies.clear()
        assert _reach(client, "legacy-1", "GET", "/messages", headers)[0] == 404


def test_the_cookie_the_server_sets_lets_the_widgets_stream_in(client):
    created = client.post("/api/chat")
    cookie = created.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith(f"{SECRET_COOKIE}={created.json()['secret']};")
    assert {"httponly", "path", "samesite"} <= attributes
    assert "path=/api/chat/" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    assert "secure" not in attributes  # plain http here; https below
    conversation_id = created.json()["id"]
    _send(client, conversation_id, "你好")
    with client.stream("GET", f"/api/chat/{conversation_id}/events") as stream:  # cookie only
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        data = next(line for line in stream.iter_lines() if line.startswith("data:"))
    assert '"sender": "shopper"' in data
    client.cookies.clear()
    with client.stream("GET", f"/api/chat/{conversation_id}/events") as stream:
        assert stream.status_code == 404


def test_over_https_the_cookie_is_sent_only_over_https(db):
    with TestClient(app, base_url="https://testserver") as secure:
        cookie = secure.post("/api/chat").headers["set-cookie"]
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


def test_two_created_conversations_never_share_an_id(client, db, monkeypatch):
    monkeypatch.setattr(get_settings(), "chat_start_rate_limit", "1000/minute")
    issued = [_start(client) for _ in range(50)]
    ids, secrets = {i["id"] for i in issued}, {i["secret"] for i in issued}
    assert len(ids) == len(secrets) == 50
    for one in issued:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", one["id"])  # at least 128 random bits
        assert len(one["secret"]) >= 22
        assert one["secret"] != one["id"]
        stored = db.get(Conversation, one["id"])
        assert stored.secret_hash == hashlib.sha256(one["secret"].encode()).hexdigest()
        assert one["secret"] not in {stored.id, stored.secret_hash}


def test_an_agent_still_reads_any_conversation_through_the_desk(client, db):
    issued = _start(client)
    _send(client, issued["id"], "转人工")
    with unit_of_work() as session:
        hand_over(session, "legacy-2", EscalationReason.SHOPPER_ASKED, detail="旧会话")
    client.cookies.clear()  # the desk needs no shopper's secret, only the admin token
    for conversation_id in (issued["id"], "legacy-2"):
        assert client.get(f"/api/chat/{conversation_id}/messages").status_code == 404
        url = f"/api/agent/conversations/{conversation_id}"
        assert client.get(url, headers=AGENT).status_code == 200
        reply = client.post(f"{url}/messages", json={"text": "您好，我是客服小美"}, headers=AGENT)
        assert reply.status_code == 200
    texts = [
        m["text"]
        for m in client.get(f"/api/agent/conversations/{issued['id']}", headers=AGENT).json()[
            "messages"
        ]
    ]
    assert texts[0] == "转人工"


def test_a_conversation_takes_only_so_many_messages_and_another_is_not_slowed(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "chat_message_rate_limit", "2/minute")
    first, second = _start(client), _start(client)

    def send(conversation: dict[str, str], text: str) -> int:
        return client.post(
            f"/api/chat/{conversation['id']}/messages",
            json={"text": text},
            headers={"X-Chat-Secret": conversation["secret"]},
        ).status_code

    assert [send(first, t) for t in ("一", "二", "三")] == [200, 200, 429]
    assert client.app.state.gateway.bot.seen == ["一", "二"]  # the third reached no one
    assert send(second, "你好") == 200


def test_the_bot_hears_which_device_writes_but_never_its_address(client, conversation_id):
    owner = {"X-Chat-Secret": client.cookies[SECRET_COOKIE]}
    url = f"/api/chat/{conversation_id}/messages"
    client.post(url, json={"text": "你好"}, headers=owner)
    elsewhere = TestClient(app, client=("198.51.100.20", 50000))
    elsewhere.post(url, json={"text": "在吗"}, headers=owner)

    here, there = (m["client"] for m in client.app.state.gateway.bot.metadata)
    assert here != there
    assert len(here) == len(there) == 24
    assert "198.51.100.20" not in there


def test_a_stranger_naming_a_conversation_cannot_spend_its_owners_messages(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "chat_message_rate_limit", "2/minute")
    owned = _start(client)
    stranger = TestClient(app, client=("203.0.113.9", 50000))
    url = f"/api/chat/{owned['id']}/messages"
    wrong = {"X-Chat-Secret": "not-the-secret"}
    refused = [stranger.post(url, json={"text": "hi"}, headers=wrong) for _ in range(3)]
    assert [r.status_code for r in refused] == [404, 404, 404]
    owner = {"X-Chat-Secret": owned["secret"]}
    assert [client.post(url, json={"text": t}, headers=owner).status_code for t in "一二"] == [
        200,
        200,
    ]
