"""Answer policy and how-to questions from the FAQ knowledge base (the same search as the API)."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.common import HUMAN_BUTTON, faq_answer
from core.database import session_scope
from faq.service import faq_search

CLARIFY_OPTIONS = 2


class ActionAnswerFaq(Action):
    """Answers when the knowledge base is sure; otherwise offers the likeliest questions."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        with session_scope() as session:
            result = faq_search.search(session, text, k=CLARIFY_OPTIONS)
            if result.answered:
                dispatcher.utter_message(text=faq_answer(session, tracker, result.hits[0]))
                return []
        if result.hits:
            buttons = [
                {"title": h.entry.question, "payload": h.entry.question} for h in result.hits
            ]
            dispatcher.utter_message(response="utter_faq_clarify", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_faq_unknown", buttons=[HUMAN_BUTTON])
        return []
