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
from bot.actions.common import Turn, TurnAction
from bot.actions.in_context import answer_in_context
from bot.actions.order_requests import ask_order_for_problem
from conversations.reading import names_own_purchase


class ActionClarify(TurnAction):
    """Runs on nlu_fallback."""

    answers_shopper = False  # it asks back (its buttons cover what the message named)

    def name(self) -> str:
        return "action_clarify"

    def act(self, turn: Turn) -> list[EventType]:
        # 用了一周就出问题了, 买的牛奶大米啥时候到, no order yet: asked for it
        if ask_order_for_problem(turn, None, own_purchase=names_own_purchase(turn.text)):
            return []
        events = answer_in_context(turn)
        return events if events is not None else clarify(turn)
