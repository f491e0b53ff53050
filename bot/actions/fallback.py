"""When the bot is unsure what the shopper means.

First what the message may still be: a question about the case open in this conversation, a
product named or a fact about the product in focus; then `clarify` (the FAQ reading the
conversation, else asking back, never the same way twice in a row).
"""

from rasa_sdk.events import EventType, SlotSet

from bot.actions.case_questions import answer_case_question
from bot.actions.clarify import clarify
from bot.actions.common import Turn, TurnAction
from bot.actions.order_lookup import declined_waiting_request
from bot.actions.order_services import answer_chase_talk
from bot.actions.presale import answer_about
from conversations.reading import is_closing
from shop import product_names
from shop.presale import FactUnknown
from shop.product_names import product_by_code
from shop.product_questions import ProductInFocus, is_bare_mention, product_answer


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
        return clarify(turn)

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
