"""A message in the middle of a form that answers none of its questions (see
bot/data/form_rules.yml): said something to, if it needs it, before the form asks again."""

from rasa_sdk.events import EventType

from bot.actions.common import Turn, TurnAction, latest_intent
from bot.actions.order_requests import ORDER_REQUEST_HANDLERS


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
