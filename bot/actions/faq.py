"""Answer policy and how-to questions from the FAQ knowledge base (the same search as the API)."""

from rasa_sdk.events import EventType

from bot.actions.common import Turn, TurnAction, faq_answer
from faq.service import faq_search
from words.render import Button

CLARIFY_OPTIONS = 2


class ActionAnswerFaq(TurnAction):
    """Answers when the knowledge base is sure; otherwise offers the likeliest questions."""

    def name(self) -> str:
        return "action_answer_faq"

    def act(self, turn: Turn) -> list[EventType]:
        result = faq_search.search(turn.session, turn.text, k=CLARIFY_OPTIONS)
        if result.answered:
            turn.out.utter_message(text=faq_answer(turn.session, turn.tracker, result.hits[0]))
        elif result.hits:
            buttons = [
                {"title": h.entry.question, "payload": h.entry.question} for h in result.hits
            ]
            turn.out.utter_message(response="utter_faq_clarify", buttons=buttons)
        else:
            turn.utter("utter_faq_unknown", buttons=[Button.HUMAN])
        return []
