"""When the bot is unsure what the shopper means.

First what the message may still be: a question about the case open in this conversation, a
product named or a fact about the product in focus, a policy question the FAQ knows. Then the
bot never says the same "did not understand" twice in a row: the first miss asks again (with
the likeliest requests as buttons when there are some), the second offers the likely meanings
(requests and FAQ questions) and a human, the third hands the conversation to a person.
"""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions.case_questions import answer_case_question
from bot.actions.common import Turn, TurnAction, earlier_texts, faq_answer
from bot.actions.order_lookup import declined_waiting_request
from bot.actions.order_services import answer_chase_talk
from bot.actions.presale import answer_about
from conversations.models import EscalationReason
from conversations.reading import is_closing
from conversations.service import hand_over
from faq.service import faq_search
from shop import product_names
from shop.presale import FactUnknown
from shop.product_names import product_by_code
from shop.product_questions import ProductInFocus, is_bare_mention, product_answer
from words.render import Button, button, intent_button

# The responses that tell the shopper the bot did not understand them.
MISSED = frozenset(
    {"utter_default", "utter_clarify_intent", "utter_clarify_options", "utter_faq_clarify"}
)
HAND_OVER_AFTER = 2  # misses in a row before this message: the next one goes to a person
INTENT_OPTIONS = 2
FAQ_OPTIONS = 2


def missed_in_a_row(tracker: Tracker) -> int:
    """How many of the shopper's messages in a row before the latest one the bot answered
    with "did not understand" (whatever the NLU made of them: Rasa's own fallback too)."""
    count, replies, seen_latest = 0, [], False
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            replies.append((event.get("metadata") or {}).get("utter_action"))
        elif event.get("event") == "user":
            if seen_latest:
                if not MISSED.intersection(replies):
                    break
                count += 1
            seen_latest, replies = True, []
    return count


def _intent_buttons(tracker: Tracker) -> list[dict[str, Any]]:
    """Buttons for the likeliest requests the NLU saw in the message."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    offered = (intent_button(r.get("name", "")) for r in ranking)
    return [b for b in offered if b is not None][:INTENT_OPTIONS]


class ActionClarify(TurnAction):
    """Runs on nlu_fallback."""

    answers_shopper = False  # it asks back (its buttons cover what the message named)

    def name(self) -> str:
        return "action_clarify"

    def act(self, turn: Turn) -> list[EventType]:
        if (kept := declined_waiting_request(turn)) is not None:  # 好吧 算了, to a request
            return kept
        if is_closing(turn.text):  # 好 我再想想 / 算了不用了 谢谢: a goodbye, not a puzzle
            turn.utter("utter_closing_later")
            return []
        if answer_chase_talk(turn):  # 发了之后告诉我一声, 今天能发吗: the late order being chased
            return []
        if answer_case_question(turn):
            return []
        product_events = self._about_a_product(turn)
        if product_events is not None:
            return product_events
        tracker, dispatcher = turn.tracker, turn.out
        result = faq_search.search(
            turn.session, turn.text, k=FAQ_OPTIONS, earlier=earlier_texts(tracker)
        )
        if result.answered:
            dispatcher.utter_message(text=faq_answer(turn, result.hits[0]))
            return []
        misses = missed_in_a_row(tracker)
        if misses >= HAND_OVER_AFTER:
            hand_over(
                turn.session,
                turn.conversation_id,
                EscalationReason.BOT_DID_NOT_UNDERSTAND,
                detail=turn.text,
                order_no=tracker.get_slot("verified_order_no"),
            )
            turn.utter("utter_handoff_not_understood")
            return []
        buttons = _intent_buttons(tracker)
        if misses == 0:  # ask again, with the likeliest requests if there are some
            response = "utter_clarify_intent" if buttons else "utter_default"
            dispatcher.utter_message(response=response, buttons=buttons)
            return []
        # the second miss in a row: the likely meanings, and a person
        titles = {b["title"] for b in buttons}
        buttons += [
            {"title": h.entry.question, "payload": h.entry.question}
            for h in result.hits[:FAQ_OPTIONS]
            if h.entry.question not in titles
        ]
        response = "utter_clarify_options" if buttons else "utter_clarify_offer_human"
        human = button(Button.HUMAN)
        buttons = [b for b in buttons if b["payload"] != human["payload"]] + [human]
        dispatcher.utter_message(response=response, buttons=buttons)
        return []

    @staticmethod
    def _about_a_product(turn: Turn) -> list[EventType] | None:
        """A message that names a catalogue product is about it (那充电宝呢: the last product
        question again); one that asks what the catalogue says of the product in focus is
        answered (它透不透)."""
        current = turn.tracker.get_slot("current_product")
        named = product_names.find_product(turn.session, turn.text, current)
        if named is not None and is_bare_mention(named, turn.text):
            return answer_about(turn, named, None)
        product = named or product_by_code(turn.session, current)
        if product is None:
            return None
        if not isinstance(product_answer(product, turn.text), FactUnknown):
            return answer_about(turn, product, "ask_product_info")
        if named is None:
            return None
        turn.say(ProductInFocus(named.name))
        return [SlotSet("current_product", named.code)]
