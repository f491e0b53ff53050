"""Identify the shopper's order (order number + phone tail), then do what they asked about it."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.common import (
    Turn,
    TurnAction,
    TurnFormValidation,
    latest_intent,
    verified_order,
)
from bot.actions.order_requests import (
    ORDER_REQUEST_HANDLERS,
    OrderRequest,
    asked_request,
    carry_out,
)
from shop.orders import find_verified_order, normalise_order_no, normalise_phone_tail

MAX_LOOKUP_FAILURES = 3


class ValidateOrderLookupForm(TurnFormValidation):
    """Checks the shape of both values, then that they belong together."""

    def name(self) -> str:
        return "validate_order_lookup_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("lookup_blocked"):
            return []
        return domain_slots

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        order_no = normalise_order_no(str(value))
        if order_no is None:
            dispatcher.utter_message(response="utter_invalid_order_id")
            return {"order_id": None}
        verified = tracker.get_slot("verified_order_no")
        if verified is None or order_no == verified:
            return {"order_id": order_no}
        # another order than the one verified: it needs its own phone tail
        fresh_tail = "phone_tail" in tracker.slots_to_validate()
        return {"order_id": order_no, "verified_order_no": None} | (
            {} if fresh_tail else {"phone_tail": None}
        )

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("verified_order_no") and tracker.get_slot("requested_slot") != (
            "phone_tail"
        ):
            return {}  # digits in a later message (a new phone number…) are not a new verification
        tail = normalise_phone_tail(str(value))
        if tail is None:
            dispatcher.utter_message(response="utter_invalid_phone_tail")
            return {"phone_tail": None}
        order_no = tracker.get_slot("order_id")
        order = find_verified_order(self.session, order_no, tail) if order_no else None
        if order is not None:
            return {"phone_tail": tail, "verified_order_no": order.order_no}
        failures = (tracker.get_slot("lookup_failures") or 0) + 1
        if failures >= MAX_LOOKUP_FAILURES:
            return {"phone_tail": None, "lookup_failures": failures, "lookup_blocked": True}
        dispatcher.utter_message(response="utter_pair_not_matched")  # the form asks again
        return {"order_id": None, "phone_tail": None, "lookup_failures": failures}


class ActionHandleOrderRequest(TurnAction):
    """Once the order is verified: does what the shopper asked, in plain words."""

    def name(self) -> str:
        return "action_handle_order_request"

    def act(self, turn: Turn) -> list[EventType]:
        if turn.tracker.get_slot("lookup_blocked"):
            turn.utter("utter_lookup_blocked")
            return []
        intent, words = asked_request(turn.tracker)
        order = verified_order(turn.session, turn.tracker)
        if order is None:
            turn.utter("utter_order_not_verified")
            return [SlotSet("order_id", None), SlotSet("phone_tail", None)]
        waiting = ORDER_REQUEST_HANDLERS[intent](OrderRequest(turn, order, intent, words))
        return [SlotSet("lookup_failures", 0), SlotSet("pending_request", waiting)]


class ActionAnswerPendingRequest(TurnAction):
    """The shopper's yes or no to a cancel or return the bot has just said back: carried out,
    or the order left as it is. A yes that does not answer that question does nothing."""

    def name(self) -> str:
        return "action_answer_pending_request"

    def act(self, turn: Turn) -> list[EventType]:
        cleared: list[EventType] = [SlotSet("pending_request", None)]
        pending = turn.tracker.get_slot("pending_request")
        order = verified_order(turn.session, turn.tracker)
        if not (pending and order and _just_asked(turn.tracker)):
            turn.utter("utter_anything_else")  # nothing was waiting for this answer
            return cleared
        if latest_intent(turn.tracker) != "affirm":
            turn.utter("utter_request_kept")
            return cleared
        intent, words = asked_request(turn.tracker)
        carry_out(OrderRequest(turn, order, pending, words if intent == pending else ""))
        return cleared


def _just_asked(tracker: Tracker) -> bool:
    """Whether the bot's last action before this message said the request back for a yes."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return bool(event.get("name") == "action_handle_order_request")
    return False
