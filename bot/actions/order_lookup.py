"""Identify the shopper's order (order number + phone tail) and report where it stands."""

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from core.clock import utcnow
from core.database import session_scope
from shop.orders import find_verified_order, normalise_order_no, normalise_phone_tail
from shop.tracking import describe_progress, order_progress

MAX_LOOKUP_FAILURES = 3


class ValidateOrderLookupForm(FormValidationAction):
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
        return {"order_id": order_no}

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        tail = normalise_phone_tail(str(value))
        if tail is None:
            dispatcher.utter_message(response="utter_invalid_phone_tail")
            return {"phone_tail": None}
        order_no = tracker.get_slot("order_id")
        with session_scope() as session:
            order = find_verified_order(session, order_no, tail) if order_no else None
            if order is not None:
                return {"phone_tail": tail, "verified_order_no": order.order_no}
        failures = (tracker.get_slot("lookup_failures") or 0) + 1
        if failures >= MAX_LOOKUP_FAILURES:
            return {"phone_tail": None, "lookup_failures": failures, "lookup_blocked": True}
        dispatcher.utter_message(response="utter_order_not_verified")
        return {"order_id": None, "phone_tail": None, "lookup_failures": failures}


class ActionReportOrderStatus(Action):
    """Tells a verified shopper where the order is, in plain words."""

    def name(self) -> str:
        return "action_report_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("lookup_blocked"):
            dispatcher.utter_message(response="utter_lookup_blocked")
            return []
        order_no = tracker.get_slot("verified_order_no")
        tail = tracker.get_slot("phone_tail")
        with session_scope() as session:
            order = find_verified_order(session, order_no, tail) if order_no and tail else None
            if order is None:
                dispatcher.utter_message(response="utter_order_not_verified")
                return [SlotSet("order_id", None), SlotSet("phone_tail", None)]
            now = utcnow()
            dispatcher.utter_message(text=describe_progress(order_progress(order, now), now))
        return [SlotSet("lookup_failures", 0)]
