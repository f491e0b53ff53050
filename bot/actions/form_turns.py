"""A message in the middle of a form that answers none of its questions (see
bot/data/form_rules.yml): said something to, if it needs it, before the form asks again; and
a form that has asked the same question twice offers a person instead of a third plain ask."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import Turn, TurnAction, latest_intent
from bot.actions.order_requests import ORDER_REQUEST_HANDLERS
from conversations.needs import PRESALE_INTENTS
from words.render import Button, button

# A form asks the same question at most this many times; then it offers a person.
MAX_ASKS = 2
FORM_STUCK_BUTTONS = (Button.HUMAN,)
# Intents that are not an answer to a form's question unless the words hold a value: stopping,
# a person, small talk, questions, and every other request about the order (少发了一件).
NOT_AN_ANSWER = {
    *("faq", "deny", "request_human", "complain", "greet", "goodbye", "thank", "out_of_scope"),
    *PRESALE_INTENTS,
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


# What a shopper's message may fill in a form (not the bookkeeping slots set on every turn):
# a new value for one of these between two asks means the shopper answered, not that the form
# asked the same question again (周六上午吧 while a Saturday is said back; 手机号也换一下 159…).
FORM_VALUES = frozenset(
    {"change_field", "change_value", "also_change", "invoice_title", "invoice_tax_no"}
)
# What a form and its own asking run as: any other action between two asks answered the
# message (a price question, a greeting, a policy question), so the ask after it is no repeat.
FORM_MACHINERY = ("action_listen", "action_extract_slots", "action_resume_form", "action_clarify")


def _form_machinery(name: str | None) -> bool:
    return not name or name in FORM_MACHINERY or name.endswith("_form") or "_ask_" in name


def times_asked(tracker: Tracker, slot: str) -> int:
    """How many times in a row the form has asked for `slot` without an answer: each ask sets
    `requested_slot` to it; the count starts again when the shopper's message in between gave
    the form a value (a refinement of what is said back is an answer, not a repeat) or was
    answered by another action (a question answered, the form's question put again), and ends
    when the form asks anything else, stops or ends."""
    count = 0
    answered = False
    events = list(tracker.events)
    for at, event in enumerate(events):
        kind, name = event.get("event"), event.get("name")
        if kind == "active_loop" and not name:
            count = 0
        elif kind == "slot" and name == "requested_slot" and _marks_form_run(events, at):
            continue  # Rasa's copy of the slot as it stands, not an ask
        elif kind == "slot" and name == "requested_slot":
            asked_again = event.get("value") == slot
            count = (1 if answered else count + 1) if asked_again else 0
            answered = False
        elif kind == "slot" and name in FORM_VALUES:
            if event.get("value") is not None:  # a value said, new or said again
                answered = True
        elif kind == "action" and not _form_machinery(name):
            answered = True
    return count


def _marks_form_run(events: list[dict], at: int) -> bool:
    """Whether the `requested_slot` event at `at` is the one Rasa puts in the tracker it hands
    the form's own actions (its validation, its asking): the slot as it already stands, right
    before the form's run is marked. The ask itself is recorded only after it was made, so
    counting this copy would count the ask being made as one made before (the second ask of a
    confirmation said to be stuck)."""
    following = events[at + 1] if at + 1 < len(events) else {}
    return following.get("event") == "action" and str(following.get("name", "")).endswith("_form")


def answered_just_now(tracker: Tracker) -> bool:
    """Whether another action than the form's own answered the shopper's latest message (a
    question answered before the form asks again)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and not _form_machinery(event.get("name")):
            return True
    return False


def stuck(tracker: Tracker, slot: str) -> bool:
    """Whether the form has asked for `slot` MAX_ASKS times already without an answer, and
    has not said it is stuck since: the stuck line is said once, never twice in a row (the ask
    after it is the question again)."""
    return times_asked(tracker, slot) == MAX_ASKS


def offer_a_person(
    out: CollectingDispatcher, buttons: tuple[Button, ...] = FORM_STUCK_BUTTONS
) -> None:
    """Say that this step is stuck and offer a person (the form stays open for an answer)."""
    out.utter_message(response="utter_form_stuck", buttons=[button(b) for b in buttons])
