"""When the bot is unsure what the shopper means.

A problem with the shopper's own parcel or item described while no order is verified gets the
order asked for (`ask_order_for_problem`). Then what the conversation makes of the message
(bot/actions/in_context.py): a request waiting for its yes, a question about the case open here,
a follow-up or a question the verified order's record answers (好了没, 那还得几天; 运费谁出,
还能退不), venting heard with what happens next, a product named or a variant of the product in
focus; then `clarify` (the FAQ reading the conversation, else asking back, never the same way
twice in a row).
"""

from rasa_sdk.events import EventType

from bot.actions.clarify import clarify
from bot.actions.common import Turn, TurnAction, look_up_for
from bot.actions.in_context import answer_in_context
from bot.actions.order_requests import ask_order_for_problem, request_of
from bot.actions.order_services import INVOICE, typed_invoice_details
from conversations.needs import need_told
from conversations.order_messages import carries_order
from conversations.reading import names_own_purchase


class ActionClarify(TurnAction):
    """Runs on nlu_fallback."""

    answers_shopper = False  # it asks back (its buttons cover what the message named)

    def name(self) -> str:
        return "action_clarify"

    def act(self, turn: Turn) -> list[EventType]:
        if (lookup := _lookup_for_the_need(turn)) is not None:
            return lookup
        if typed_invoice_details(turn.tracker, turn.text):
            # 等下 税号发错了 正确的是… in the invoice talk: the invoice's details, said back
            return look_up_for(INVOICE)
        # 用了一周就出问题了, 买的牛奶大米啥时候到, no order yet: asked for it
        if ask_order_for_problem(turn, None, own_purchase=names_own_purchase(turn.text)):
            return []
        events = answer_in_context(turn)
        return events if events is not None else clarify(turn)


def _lookup_for_the_need(turn: Turn) -> list[EventType] | None:
    """A message that carries its order and tells its need, not understood as a whole (充电宝怎么4
    天没动了 <number> <tail>): the order looked up for that need, as when a number answers a
    question asked before (bot/actions/order_context.py). None otherwise."""
    if turn.tracker.get_slot("verified_order_no") or not carries_order(turn.text):
        return None
    told = need_told(turn.text)
    request = request_of(told) if told is not None else None
    if request is None:
        return None
    return look_up_for(request)
