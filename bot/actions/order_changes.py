"""Changing an unshipped order: which order, what to change, the new value, a yes, then done.

The form verifies the order like the lookup does (it inherits that validation); a shipped or
cancelled order ends the form early, and `action_apply_order_change` says why.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.common import HUMAN_BUTTON, latest_intent, verified_order
from bot.actions.order_lookup import ValidateOrderLookupForm
from conversations.service import hand_over
from core.clock import utcnow
from core.database import session_scope
from shop.modifications import (
    CHANGEABLE_STATUS,
    FIELD_NAMES,
    ChangeField,
    apply_change,
    ask_value,
    check_value,
    field_named,
    looks_like_a_value,
    modifiable,
    read_change,
)
from shop.orders import check_phone, load_order, order_status

CHANGE_SLOTS = ["change_field", "change_value", "change_confirmed"]
# Intents that are not an answer to "what should it be changed to?" unless the text is a value.
NOT_AN_ANSWER = {"faq", "deny", "request_human", "complain", "greet", "goodbye", "thank"}
VALUE_BUTTONS = [{"title": "先不改了", "payload": "/deny"}, HUMAN_BUTTON]


class ValidateModifyOrderForm(ValidateOrderLookupForm):
    """Verifies the order, then collects the field, the new value and the shopper's yes."""

    def name(self) -> str:
        return "validate_modify_order_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("requested_slot") is not None:
            return await super().run(dispatcher, tracker, domain)
        # the form's first turn: a new change, nothing left over from one that was stopped
        stale = [slot for slot in CHANGE_SLOTS if tracker.slots.get(slot) is not None]
        tracker.slots.update(dict.fromkeys(stale))
        return [SlotSet(slot, None) for slot in stale] + await super().run(
            dispatcher, tracker, domain
        )

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        order_no = tracker.get_slot("verified_order_no")
        if slots and order_no:
            with session_scope() as session:
                if order_status(session, order_no) != CHANGEABLE_STATUS:
                    return []  # action_apply_order_change explains why nothing can be changed
        return slots

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        change = read_change(_text(tracker))
        new_phone = latest_intent(tracker) == "modify_order" and check_phone(change.value or "")
        if new_phone and not tracker.get_slot("verified_order_no"):
            return {"phone_tail": None}  # "手机号改成138…" names the NEW phone, not the verifier
        result = super().validate_phone_tail(value, dispatcher, tracker, domain)
        raw_spec = tracker.get_slot("change_value")
        if (
            result.get("verified_order_no")
            and raw_spec
            and tracker.get_slot("change_field") == ChangeField.SPEC.value
        ):  # a spec named before the order was known is checked against it now
            with session_scope() as session:
                order = load_order(session, result["verified_order_no"])
                checked = check_value(ChangeField.SPEC, raw_spec, order)
                result["change_value"] = checked.value
                if checked.value is None:  # e.g. sold out: said before the question that follows
                    dispatcher.utter_message(text=checked.problem)
        return result

    async def extract_change_field(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("change_field"):
            return {}
        text = _text(tracker)
        if tracker.get_slot("requested_slot") == "change_field":
            field = field_named(text) or read_change(text).field
        elif latest_intent(tracker) == "modify_order":
            field = read_change(text).field
        else:
            return {}
        return {"change_field": field.value} if field else {}

    async def extract_change_value(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("change_value"):
            return {}
        text = _text(tracker)
        if tracker.get_slot("requested_slot") == "change_value":
            if latest_intent(tracker) in NOT_AN_ANSWER and not looks_like_a_value(text):
                return {}  # 算了, 转人工, a policy question: the rules for those take the turn
            return {"change_value": text}
        if latest_intent(tracker) == "modify_order" and (value := read_change(text).value):
            return {"change_value": value}
        return {}

    def validate_change_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # extract_change_field only ever sets a known field; a value named before it is
        # checked now, against the field it turned out to be for
        pending = tracker.get_slot("change_value")
        if pending and "change_value" not in tracker.slots_to_validate():
            return {"change_field": value} | _checked(
                ChangeField(value), pending, dispatcher, tracker
            )
        return {"change_field": value}

    def validate_change_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        field_value = tracker.get_slot("change_field")
        if not field_value:  # named before the field: checked once the field is known
            return {"change_value": value}
        return _checked(ChangeField(field_value), str(value), dispatcher, tracker)


def _checked(
    field: ChangeField, raw: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """The new value as stored, or None after saying what is wrong (the question follows)."""
    with session_scope() as session:
        order = verified_order(session, tracker)
        if field == ChangeField.SPEC and order is None:
            return {"change_value": raw}  # checked once the order is verified
        checked = check_value(field, raw, order)
    if checked.value is None and tracker.get_slot("requested_slot") in CHANGE_SLOTS:
        dispatcher.utter_message(text=checked.problem)
    return {"change_value": checked.value}


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


class ActionAskChangeValue(Action):
    def name(self) -> str:
        return "action_ask_change_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = ChangeField(tracker.get_slot("change_field"))
        with session_scope() as session:
            order = verified_order(session, tracker)
            if order is not None:  # the form verifies the order before it asks for a value
                dispatcher.utter_message(text=ask_value(field, order), buttons=VALUE_BUTTONS)
        return []


class ActionAskChangeConfirmed(Action):
    def name(self) -> str:
        return "action_ask_change_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = ChangeField(tracker.get_slot("change_field"))
        dispatcher.utter_message(
            text=f"帮您把订单 {tracker.get_slot('verified_order_no')} 的{FIELD_NAMES[field]}"
            f"改成「{tracker.get_slot('change_value')}」，确认修改吗？",
            buttons=[
                {"title": "确认修改", "payload": "/affirm"},
                {"title": "先不改了", "payload": "/deny"},
            ],
        )
        return []


class ActionApplyOrderChange(Action):
    """After the form: make the change, or say why the order cannot be changed here."""

    def name(self) -> str:
        return "action_apply_order_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in CHANGE_SLOTS]
        if tracker.get_slot("lookup_blocked"):
            dispatcher.utter_message(response="utter_lookup_blocked")
            return reset
        with session_scope() as session:
            order = verified_order(session, tracker)
            if order is None:
                dispatcher.utter_message(response="utter_order_not_verified")
                return reset
            allowed = modifiable(order)
            if not allowed.done:
                dispatcher.utter_message(text=allowed.message, buttons=[HUMAN_BUTTON])
                return reset
            field, value = tracker.get_slot("change_field"), tracker.get_slot("change_value")
            if tracker.get_slot("change_confirmed") is not True or not (field and value):
                dispatcher.utter_message(response="utter_change_stopped")
                return reset
            outcome = apply_change(session, order, ChangeField(field), value, utcnow())
            if not outcome.done:  # e.g. the spec sold out meanwhile: a person sorts it out
                hand_over(
                    session,
                    tracker.sender_id,
                    reason="needs_agent:modify_order",
                    order_no=order.order_no,
                    detail=f"{FIELD_NAMES[ChangeField(field)]} → {value}",
                )
                dispatcher.utter_message(text=outcome.message)
                dispatcher.utter_message(response="utter_pass_to_agent")
                return reset
            dispatcher.utter_message(text=outcome.message)
        return [*reset, SlotSet("lookup_failures", 0)]
