"""When the bot is unsure what the shopper means.

First what the message may still be: a question about the case open in this conversation, a
follow-up or a question the verified order's record answers (好了没; 运费谁出, 还能退不), a
product named or a fact about the product in focus; then `clarify` (the FAQ reading the
conversation, else asking back, never the same way twice in a row).
"""

from rasa_sdk.events import EventType, SlotSet

from bot.actions.case_questions import answer_case_question
from bot.actions.clarify import clarify
from bot.actions.common import Turn, TurnAction, verified_order
from bot.actions.order_lookup import answered_while_waiting, declined_waiting_request
from bot.actions.order_requests import ORDER_REQUEST_HANDLERS, OrderRequest, asked
from bot.actions.order_services import answer_chase_talk
from bot.actions.presale import answer_about
from bot.actions.record_answers import answer_from_the_order
from conversations.reading import is_bare_follow_up, is_closing
from shop import product_names
from shop.presale import FactUnknown
from shop.product_names import product_by_code
from shop.product_questions import ProductInFocus, is_bare_mention, product_answer

# The order requests whose answer a bare follow-up asks again (the state may have moved on).
FOLLOWED_UP = frozenset({"track_order", "ask_refund_status"})


class ActionClarify(TurnAction):
    """Runs on nlu_fallback."""

    answers_shopper = False  # it asks back (its buttons cover what the message named)

    def name(self) -> str:
        return "action_clarify"

    def act(self, turn: Turn) -> list[EventType]:
        if (kept := declined_waiting_request(turn)) is not None:  # 好吧 算了, to a request
            return kept
        if (waits := answered_while_waiting(turn)) is not None:  # 然后呢 while a return waits
            return waits
        if is_closing(turn.text):  # 好 我再想想 / 算了不用了 谢谢: a goodbye, not a puzzle
            turn.utter("utter_closing_later")
            return []
        if answer_chase_talk(turn):  # 发了之后告诉我一声, 今天能发吗: the late order being chased
            return []
        if answer_case_question(turn):
            return []
        if self._follow_up_on_order(turn):  # 好了没, 然后呢 after the refund or the tracking
            return []
        if answer_from_the_order(turn):  # 运费谁出, 电话也给我一个: the verified order's record
            return []
        product_events = self._about_a_product(turn)
        if product_events is not None:
            return product_events
        return clarify(turn)

    @staticmethod
    def _follow_up_on_order(turn: Turn) -> bool:
        """A bare follow-up (好了没, 那现在呢, 在哪看) on a verified order is about the order's
        state the shopper last asked for (the refund, the parcel): answered from its record
        again, never "not understood" or a greeting."""
        if not is_bare_follow_up(turn.text):
            return False
        order = verified_order(turn.session, turn.tracker)
        request = asked(turn.tracker)
        if order is None or request.intent not in FOLLOWED_UP:
            return False
        ORDER_REQUEST_HANDLERS[request.intent](OrderRequest(turn, order, request.intent, turn.text))
        return True

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
