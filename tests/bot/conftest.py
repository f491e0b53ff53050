"""Tracker fixtures for custom-action tests, in the style of Rasa's reference assistants."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions.common import TurnAction
from bot.domain_file import domain
from core.clock import utcnow
from shop.chasing import WarehouseChased
from shop.demo.seed import CATALOGUE_FILE, ORDERS_FILE, load_yaml
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind, Order

DOMAIN: dict[str, Any] = domain()


class SilentAnswer(TurnAction):
    """An action that answers without saying anything itself: what a turn adds after any
    answer (the other needs and questions of the message) is all it says."""

    def name(self) -> str:
        return "action_test_silent_answer"

    def act(self, turn):
        return []


def demo_order(situation: str, sku: str | None = None, which: int = 0) -> tuple[str, str]:
    """Order number and phone tail of a demo order in `situation` (optionally holding `sku`)."""
    phones = {c["code"]: c["phone"] for c in load_yaml(CATALOGUE_FILE)["customers"]}
    specs = [
        s
        for s in load_yaml(ORDERS_FILE)["orders"]
        if s["situation"] == situation and (sku is None or sku in s["items"])
    ]
    return specs[which]["order_no"], phones[specs[which]["customer"]][-4:]


def user_event(text: str, intent: str) -> dict[str, Any]:
    """A shopper's message as Rasa sends it in the tracker's events."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    active_loop: str | None = None,
    earlier: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message is `text` with `intent`, after the `earlier` events."""
    return Tracker(
        sender_id="test-shopper",
        slots={"lookup_failures": 0.0, "lookup_blocked": False, **(slots or {})},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [],
        },
        events=[*(earlier or []), user_event(text, intent)],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def first_message(text: str, intent: str) -> Tracker:
    """A new conversation (its own sender) whose first message is `text`, read as `intent`."""
    tracker = make_tracker({}, text, intent, earlier=[])
    tracker.sender_id = uuid.uuid4().hex
    return tracker


def verified_after(situation: str, intent: str, text: str, which: int = 0) -> tuple[Tracker, str]:
    """A new conversation whose demo order in `situation` (the `which`-th) was verified after the
    shopper wrote `text` (read as `intent`); the tracker and the order number."""
    order_no, tail = demo_order(situation, which=which)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=tail,
        earlier=[user_event(text, intent), user_event(order_no, "inform")],
    )
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def need_told_then_order(situation: str, told: str, need: str) -> Tracker:
    """A new conversation where the shopper told `told` (read as a FAQ question, the need noted
    as `need`), then gave the demo order in `situation` and its phone tail, now verified."""
    order_no, tail = demo_order(situation)
    return make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=f"{order_no} {tail}",
        earlier=[
            user_event(told, "faq"),
            {"event": "action", "name": "action_answer_faq"},
            user_event(f"{order_no} {tail}", "inform"),
            {"event": "slot", "name": "order_need", "value": need},
        ],
    )


def after_an_order_request(
    situation: str, request: str, intent: str, text: str, now_intent: str = "nlu_fallback"
) -> tuple[Tracker, str]:
    """A new conversation whose demo order in `situation` was verified with the shopper's
    `request` (read as `intent`) and answered; now the shopper wrote `text` (read as
    `now_intent`). The tracker and the order number."""
    order_no, tail = demo_order(situation)
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=text,
        intent=now_intent,
        earlier=[
            user_event(f"{order_no} {tail} {request}", intent),
            {"event": "action", "name": "action_handle_order_request"},
            {"event": "bot", "text": "…"},
        ],
    )
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def with_request_put_off(
    order_no: str, tail: str, request: str, text: str, intent: str = "inform", earlier=()
) -> Tracker:
    """The turn after the shopper, on the verified `order_no`, asked `request` of goods of
    another order (put off for that order's number) and then wrote `text`."""
    slots = {
        "verified_order_no": order_no,
        "order_id": order_no,
        "phone_tail": tail,
        "another_order_request": request,
    }
    put_off = {"event": "slot", "name": "another_order_request", "value": request}
    return make_tracker(slots, text=text, intent=intent, earlier=[*earlier, put_off])


def order_in(db, situation: str, which: int = 0) -> Order:
    """The demo order in `situation` (the `which`th of them)."""
    order_no, _ = demo_order(situation, which=which)
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


def case_opened(db, situation: str, kind: CaseKind, which: int = 0) -> tuple[str, Order]:
    """A new conversation with a case of `kind` opened on the demo order in `situation` (a
    late dispatch's: the warehouse chased)."""
    conversation = uuid.uuid4().hex
    order = order_in(db, situation, which)
    opened = open_case(db, order, kind, utcnow(), conversation_id=conversation)
    assert isinstance(opened, CaseOpened | WarehouseChased)
    return conversation, order


def in_open_case(
    db, situation: str, kind: CaseKind, text: str, intent: str
) -> tuple[Tracker, Order]:
    """A conversation whose verified demo order in `situation` has a `kind` case open (opened
    and committed); the shopper now writes `text` (read as `intent`). The tracker and order."""
    conversation, order = case_opened(db, situation, kind)
    db.commit()
    tail = demo_order(situation)[1]
    tracker = make_tracker(
        {"verified_order_no": order.order_no, "order_id": order.order_no, "phone_tail": tail},
        text=text,
        intent=intent,
        earlier=[user_event(f"{order.order_no} {tail}", "inform")],
    )
    tracker.sender_id = conversation
    return tracker, order


def lookup_turn(
    text: str, slots: dict[str, Any], from_nlu: dict[str, Any] | None = None
) -> Tracker:
    """The order lookup's turn after `text`; `from_nlu` are the slots Rasa filled from its
    entities."""
    tracker = make_tracker({**slots, **(from_nlu or {})}, text, "inform", "order_lookup_form")
    tracker.sender_id = uuid.uuid4().hex
    earlier = [{"event": "slot", "name": k, "value": v} for k, v in slots.items()]
    tracker.events = [*earlier, {"event": "user", "text": text}] + [
        {"event": "slot", "name": k, "value": v} for k, v in (from_nlu or {}).items()
    ]
    return tracker


@pytest.fixture(autouse=True)
def _rolled_back(db):
    """Whatever an action writes in its unit of work is rolled back after the test."""
    return db


@pytest.fixture
def tracker_with() -> Callable[..., Tracker]:
    return make_tracker


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    """The response names (or None for free text) the action uttered, in order."""
    return [message.get("response") for message in dispatcher.messages]


def next_message(
    tracker: Tracker,
    text: str,
    intent: str,
    pending: str | None,
    after: str = "action_handle_order_request",
    dispatcher: CollectingDispatcher | None = None,
) -> Tracker:
    """The shopper's next message, after the bot's action `after` with `pending` waiting; what
    the bot said before is cleared from `dispatcher` when one is given."""
    if dispatcher is not None:
        dispatcher.messages.clear()
    tracker.slots["pending_request"] = pending
    tracker.events += [
        {"event": "action", "name": after},
        {"event": "action", "name": "action_listen"},
        user_event(text, intent),
    ]
    tracker.latest_message = {"text": text, "intent": {"name": intent}, "entities": []}
    return tracker


# The slots every action sets to note which messages it read for other needs.
READING_SLOTS = frozenset({"later_needs", "needs_read_in"})


def slots_set(events: list[dict[str, Any]], leaving_out: frozenset[str] = frozenset()) -> dict:
    """The slots the action's events set, each with its last value, but those `leaving_out`."""
    return {
        e["name"]: e["value"]
        for e in events
        if e.get("event") == "slot" and e["name"] not in leaving_out
    }


def bot_said(dispatcher: CollectingDispatcher) -> str:
    """What the bot said, one message a line."""
    return "\n".join(str(m.get("text") or "") for m in dispatcher.messages)


def after_products_talked_of(talks: list[tuple[str, str, str]], text: str, intent: str) -> Tracker:
    """A conversation in which each (message, intent, product code) of `talks` was answered about
    that product in turn (the product in focus after it); now the shopper writes `text`."""
    earlier: list[dict[str, Any]] = []
    for said, said_intent, code in talks:
        earlier += [
            user_event(said, said_intent),
            {"event": "slot", "name": "current_product", "value": code},
        ]
    return make_tracker({"current_product": talks[-1][2]}, text, intent, earlier=earlier)
