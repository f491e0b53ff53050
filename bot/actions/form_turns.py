"""A message in the middle of a form that answers none of its questions (see
bot/data/form_rules.yml): said something to, if it needs it, before the form asks again; and
a form that has asked the same question twice offers a person instead of a third plain ask."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import Turn, TurnAction, latest_intent
from bot.actions.order_requests import ORDER_REQUEST_HANDLERS
from words.render import Button, button

# A form asks the same question at most this many times; then it offers a person.
MAX_ASKS = 2
FORM_STUCK_BUTTONS = (Button.HUMAN,)
# Intents that are not an answer to a form's question unless the words hold a value: stopping,
# a person, small talk, questions, and every other request about the order (少发了一件).
NOT_AN_ANSWER = {
    *("faq", "deny", "request_human", "complain", "greet", "goodbye", "thank", "out_of_scope"),
    *("ask_product_info", "ask_stock", "ask_price_promotion", "ask_size_advice"),
    *ORDER_REQUEST_HANDLERS,
}


class ActionResumeForm(TurnAction):
    """Before the form asks its question again: another request about the order (a button
    clicked, or typed) is acknowledged, and the lookup then verifies the order for it; a yes or
    words with nothing to fill need no words of their own."""

    def name(self) -> str:
        return "action_resume_form"

    def act(self, turn: Turn) -> list[EventType]:
        if latest_intent(turn.tracker) in ORDER_REQUEST_HANDLERS:
            turn.utter("utter_request_noted")
        return []


def times_asked(tracker: Tracker, slot: str) -> int:
    """How many times in a row the form has asked for `slot` so far: each ask sets
    `requested_slot` to it, until the form asks anything else, stops or ends."""
    count = 0
    for event in reversed(tracker.events):
        kind, name = event.get("event"), event.get("name")
        if kind == "slot" and name == "requested_slot":
            if event.get("value") != slot:
                break
            count += 1
        elif kind == "active_loop" and not name:
            break
    return count


def stuck(tracker: Tracker, slot: str) -> bool:
    """Whether the form has asked for `slot` MAX_ASKS times already without an answer."""
    return times_asked(tracker, slot) >= MAX_ASKS


def offer_a_person(
    out: CollectingDispatcher, buttons: tuple[Button, ...] = FORM_STUCK_BUTTONS
) -> None:
    """Say that this step is stuck and offer a person (the form stays open for an answer)."""
    out.utter_message(response="utter_form_stuck", buttons=[button(b) for b in buttons])
