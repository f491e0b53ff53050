"""A manager follows a report's number to a conversation or a review: they read it, with the
shopper's personal data masked, and change nothing; agents read it whole."""

import uuid

from accounts.models import Role
from api.main import app
from connectors.storefront_chat import ChatGateway
from conversations.models import EscalationReason, Sender
from conversations.service import hand_over, post
from reviews.importer import ReviewRow
from reviews.service import store_reviews
from tests.echo_bot import EchoBot
from tests.shop.conftest import demo_order
from tests.staff import bearer

PHONE = "13812345678"
MANAGER, AGENT = bearer(Role.MANAGER), bearer(Role.AGENT)


def _conversation(db, order_no: str | None = None) -> str:
    conversation_id = f"records-{uuid.uuid4().hex[:12]}"
    post(db, conversation_id, Sender.SHOPPER, f"快递一直没到，我电话{PHONE}，尽快联系我")
    hand_over(db, conversation_id, EscalationReason.COMPLAINT, detail="物流慢", order_no=order_no)
    db.flush()
    return conversation_id


def test_a_manager_reads_a_conversation_with_the_shoppers_phone_masked(api_client, db):
    url = f"/api/agent/conversations/{_conversation(db)}"
    shopper = api_client.get(url, headers=MANAGER).json()["messages"][0]["text"]
    assert PHONE not in shopper
    assert shopper.startswith("快递一直没到")
    assert "***" in shopper
    assert PHONE in api_client.get(url, headers=AGENT).json()["messages"][0]["text"]


def test_a_manager_sees_the_order_without_its_receiver(api_client, db):
    order = demo_order(db, "in_transit")
    url = f"/api/agent/conversations/{_conversation(db, order.order_no)}/order"
    seen = api_client.get(url, headers=MANAGER).json()["order"]
    assert (seen["receiver_name"], seen["phone_tail"]) == ("***", "***")
    assert seen["shipping_address"].endswith("***")
    assert order.shipping_address not in seen["shipping_address"]
    assert seen["lines"]
    assert seen["parcels"]
    whole = api_client.get(url, headers=AGENT).json()["order"]
    assert whole["shipping_address"] == order.shipping_address


def test_a_manager_reads_a_negative_review_masked_and_may_change_nothing(
    api_client, db, monkeypatch
):
    monkeypatch.setattr(app.state, "gateway", ChatGateway(EchoBot()), raising=False)
    row = ReviewRow(
        line=1,
        platform="jd",
        review_id=f"records-{uuid.uuid4().hex[:8]}",
        text=f"质量太差，鞋底开胶，联系我{PHONE}",
        rating=1,
    )
    (stored,) = store_reviews(db, [row])
    db.flush()
    url = f"/api/negative-reviews/{stored.review.id}"
    seen = api_client.get(url, headers=MANAGER).json()
    assert PHONE not in seen["text"]
    assert "鞋底开胶" in seen["text"]
    assert PHONE in api_client.get(url, headers=AGENT).json()["text"]
    assert api_client.put(f"{url}/reply", json={"text": "抱歉"}, headers=MANAGER).status_code == 403
    conversation = f"/api/agent/conversations/{_conversation(db)}"
    for action in ("take", "resolve", "hand-back", "messages"):
        refused = api_client.post(f"{conversation}/{action}", json={"text": "x"}, headers=MANAGER)
        assert refused.status_code == 403, action
