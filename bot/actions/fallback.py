"""When the bot is unsure: try the FAQ, then offer the two likeliest meanings, then a human."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from bot.actions.common import Turn, TurnAction, faq_answer
from conversations.models import EscalationReason
from conversations.service import hand_over
from faq.service import faq_search
from words.render import intent_button

MAX_FAILED_TRIES = 2


def failed_tries(tracker: Tracker) -> int:
    """How many of the shopper's latest messages in a row the bot did not understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data", {}).get("intent") or {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionClarify(TurnAction):
    """Runs on nlu_fallback."""

    def name(self) -> str:
        return "action_clarify"

    def act(self, turn: Turn) -> list[EventType]:
        tracker, dispatcher = turn.tracker, turn.out
        result = faq_search.search(turn.session, turn.text, k=2)
        if result.answered:
            dispatcher.utter_message(text=faq_answer(turn.session, tracker, result.hits[0]))
            return []
        if failed_tries(tracker) >= MAX_FAILED_TRIES:
            hand_over(
                turn.session,
                turn.conversation_id,
                EscalationReason.BOT_DID_NOT_UNDERSTAND,
                detail=turn.text,
                order_no=tracker.get_slot("verified_order_no"),
            )
            turn.utter("utter_handoff_not_understood")
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        offered = (intent_button(r.get("name", "")) for r in ranking)
        buttons = [b for b in offered if b is not None][:2]
        if buttons:
            dispatcher.utter_message(response="utter_clarify_intent", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_default")
        return []
