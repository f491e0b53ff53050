"""A message that carries an order (its number, or a pasted order card) is classified by the
words beside the data when the classifier names no order request for it or is unsure.

"9414852538885393 这单四天没动了 尾号8854" comes out of the classifier as data (`inform`), a
pasted order card as a size or product question, "前几天收到的 用了一次就充不进电了 5782…" as
not understood: the digits and the card's fields outweigh the few words that say what is
wrong. This component runs after the classifier (and the conditional-request one) and before
the fallback: conversations/order_messages.py reads the need from the words, and the message
gets that need's intent (a bare card: `inform`, the data), so the order lookup starts for it
(the lookup says a wrong phone tail at once) instead of the bot asking "请问您想咨询什么呢".
"""

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.relabelling import RelabellingClassifier
from conversations.order_messages import INFORM, is_order_card, order_message_intent
from conversations.reading import is_bare_follow_up

# Intents that name no request about an order: a message with an order in it is not one of them
# when its words say what the order needs.
NOT_ABOUT_AN_ORDER = frozenset(
    {
        "inform",
        "ask_product_info",
        "ask_stock",
        "ask_price_promotion",
        "ask_size_advice",
        "out_of_scope",
        "greet",
        "affirm",
        "deny",
        "thank",
        "goodbye",
    }
)
# Problems described with the order: a policy question (`faq`) never hides one.
PROBLEMS = frozenset(
    {
        "report_delivery_delay",
        "report_lost_parcel",
        "report_damaged_item",
        "report_wrong_or_missing_item",
        "request_repair",
        "ask_refund_status",
        "complain",
    }
)
# Intents the words never override (a person asked for, a complaint already read).
KEPT = frozenset({"request_human", "complain"})
# As the pipeline's FallbackClassifier: below it, or this close to the runner-up, the classifier
# is unsure and the words decide.
UNSURE_BELOW = 0.35
UNSURE_MARGIN = 0.08
WORDS_CONFIDENCE = 0.9  # the intent the words decide, above the fallback's threshold
# A bare follow-up (好了没, 然后呢, 那要多久) is never small talk: it goes to the action that
# reads it with the conversation (bot/actions/fallback.py), as a message not understood alone.
SMALL_TALK = frozenset({"greet", "affirm", "deny", "thank", "goodbye"})
FOLLOW_UP = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OrderMessageClassifier(RelabellingClassifier):
    """Gives a message carrying an order the intent of the need its words name."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            target = order_message_intent(text)
            if target is not None and overrides(message, target, is_order_card(text)):
                relabel(message, target)
            elif (message.get(INTENT) or {}).get("name") in SMALL_TALK and is_bare_follow_up(text):
                relabel(message, FOLLOW_UP)
        return messages


def overrides(message: Message, target: str, card: bool) -> bool:
    """Whether the words' intent replaces the classifier's: it named no order request, or a
    policy question where a problem is described (or a card is pasted), or it was unsure (the
    same intent too: 充电头插上发烫 不充电了 2042… read as a repair at 0.2 is made sure)."""
    intent = message.get(INTENT) or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    if name in KEPT:
        return False
    if name != target and name in NOT_ABOUT_AN_ORDER:
        return True
    if name != target and name == "faq" and (target in PROBLEMS or (card and target == INFORM)):
        return True
    ranking = message.get(INTENT_RANKING_KEY) or []
    runner_up = float(ranking[1].get("confidence") or 0.0) if len(ranking) > 1 else 0.0
    return confidence < UNSURE_BELOW or confidence - runner_up < UNSURE_MARGIN


def relabel(message: Message, to: str) -> None:
    """Make `to` the message's intent, sure enough not to fall back; the rest of the ranking
    keeps its order, scaled to what is left."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != to]
    total = sum(float(r.get("confidence") or 0.0) for r in ranking) or 1.0
    rest = [
        {**r, "confidence": float(r.get("confidence") or 0.0) / total * (1 - WORDS_CONFIDENCE)}
        for r in ranking
    ]
    relabelled = {"name": to, "confidence": WORDS_CONFIDENCE}
    message.set(INTENT, relabelled, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [relabelled, *rest], add_to_output=True)
