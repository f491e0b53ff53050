"""Teach the bot over the API: an agent marks a shopper message, an admin reads and exports the
corrections; each route refuses the wrong role and bad input clearly."""

import pytest
import yaml

from accounts.models import Role
from conversations.models import Sender
from conversations.service import post
from tests.staff import bearer, name_of

URL = "/api/bot-corrections"


@pytest.fixture
def client(api_client):
    from api.main import app
    from api.routes import bot_corrections

    if not any(getattr(r, "path", "").startswith(URL) for r in app.routes):
        app.include_router(bot_corrections.router)  # until api/main.py registers it
    return api_client


def shopper_says(db, text: str) -> int:
    message = post(db, "teach-api-1", Sender.SHOPPER, text)
    db.flush()
    return message.id


def test_an_agent_marks_a_message_and_an_admin_sees_it(client, db):
    message = shopper_says(db, "咋还不发货呢都三天了")
    taught = client.post(
        URL,
        json={"message_id": message, "intent": "report_delivery_delay"},
        headers=bearer(Role.AGENT),
    )
    assert taught.status_code == 200, taught.text
    body = taught.json()
    assert (body["intent"], body["faq_topic"], body["author"]) == (
        "report_delivery_delay",
        None,
        name_of(Role.AGENT),
    )
    assert body["replaced_label"] is None
    listed = client.get(URL, headers=bearer(Role.ADMIN)).json()
    assert listed["total"] >= 1
    assert listed["items"][0]["text"] == "咋还不发货呢都三天了"


def test_a_second_correction_of_a_message_says_what_it_replaced(client, db):
    message = shopper_says(db, "能开发票吗")
    first = {"message_id": message, "intent": "ask_product_info"}
    assert client.post(URL, json=first, headers=bearer(Role.AGENT)).is_success
    second = client.post(
        URL, json={"message_id": message, "faq_topic": "invoice"}, headers=bearer(Role.SUPERVISOR)
    )
    assert second.json()["replaced_label"] == {"intent": "ask_product_info", "faq_topic": None}
    assert (second.json()["intent"], second.json()["replaced"]) == ("faq", 1)
    texts = [i["text"] for i in client.get(URL, headers=bearer(Role.ADMIN)).json()["items"]]
    assert texts.count("能开发票吗") == 1


def test_the_choices_are_the_bots_intents_and_the_faq_topics(client):
    choices = client.get(f"{URL}/choices", headers=bearer(Role.AGENT)).json()
    assert "track_order" in [i["name"] for i in choices["intents"]]
    topics = {t["id"]: t["question"] for t in choices["faq_topics"]}
    assert topics.get("shipping_fee")


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("post", URL, Role.MANAGER),
        ("post", URL, Role.ADMIN),
        ("get", URL, Role.AGENT),
        ("get", URL, Role.SUPERVISOR),
        ("get", f"{URL}/export", Role.AGENT),
        ("get", f"{URL}/choices", Role.MANAGER),
    ],
)
def test_a_wrong_role_is_refused(client, db, method, path, role):
    body = {"message_id": shopper_says(db, "在吗"), "intent": "greet"}
    response = client.request(method.upper(), path, json=body, headers=bearer(role))
    assert response.status_code == 403


def test_not_signed_in_is_a_401(client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, json={"message_id": 1, "intent": "greet"}).status_code == 401


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"message_id": 0, "intent": "greet"}, 422),
        ({"intent": "greet"}, 422),
        ({"message_id": "MESSAGE", "intent": "Greet!"}, 422),
        ({"message_id": "MESSAGE", "intent": "g" * 65}, 422),
        ({"message_id": "MESSAGE"}, 422),
        ({"message_id": "MESSAGE", "intent": "track_my_parcel"}, 422),
        ({"message_id": "MESSAGE", "faq_topic": "no_such_topic"}, 422),
        ({"message_id": "MESSAGE", "intent": "greet", "faq_topic": "invoice"}, 422),
        ({"message_id": 2_000_000_000, "intent": "greet"}, 404),
    ],
)
def test_bad_input_is_a_clear_4xx(client, db, body, status):
    if body.get("message_id") == "MESSAGE":
        body = {**body, "message_id": shopper_says(db, "在吗")}
    response = client.post(URL, json=body, headers=bearer(Role.AGENT))
    assert response.status_code == status
    assert response.json()["detail"]


def test_a_bots_message_cannot_be_corrected(client, db):
    bot_line = post(db, "teach-api-2", Sender.BOT, "您好")
    db.flush()
    response = client.post(
        URL, json={"message_id": bot_line.id, "intent": "greet"}, headers=bearer(Role.AGENT)
    )
    assert response.status_code == 409
    assert "顾客" in response.json()["detail"]


def test_an_admin_downloads_the_export_as_rasa_training_data(client, db):
    message = shopper_says(db, "你们几点下班")
    client.post(
        URL, json={"message_id": message, "faq_topic": "business_hours"}, headers=bearer(Role.AGENT)
    )
    export = client.get(f"{URL}/export", headers=bearer(Role.ADMIN))
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/yaml")
    assert "attachment" in export.headers["content-disposition"]
    data = yaml.safe_load(export.text)
    assert {"intent": "faq", "examples": "- 你们几点下班\n"} in data["nlu"]
