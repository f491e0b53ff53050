"""A cancel or return made conditional (不然我就取消了) is classified as a complaint; a change,
cancel or return said NOT to be wanted (电话都不用改, 先不取消) is a no, and one heard in a closing
that names none (算了不用了 让室友帮我拿吧) is a goodbye; one the shopper denies having asked for
(我没取消啊) or asks about as done before (上次不是给改了吗) is a question about the order's state;
an A-not-A question read as a no (周末算不算) is read with the conversation (nlu_fallback); a
request for a person in any words (转个人问问, 找个人跟我说) is one (request_human); a
request for the shop's address (地址发我, 算了 地址再发我一遍) read as a change of address or a
goodbye asks where a return goes (request_return_exchange, like 退货地址是哪里).

The intent classifier sees the words 取消 and 退款; only the sentence's shape says they are a
threat. This component runs after the classifier and turns such a request into `complain`
(conversations/reading.py decides), so no flow ever starts to carry out a threat.
"""

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.relabelling import RelabellingClassifier
from conversations.reading import (
    asks_for_a_person,
    asks_for_the_address,
    cancel_taken_back_for_a_change,
    denies_asking,
    is_about_earlier_action,
    is_closing_without_request,
    is_conditional_request,
    is_negated_request,
    is_question,
    says_a_detail_stays,
    words_after_a_yes,
)
from conversations.short_messages import asks_either_way, says_not_arrived

# The intents whose flows act on the order; a conditional one of these is a complaint.
ACTING_INTENTS = frozenset({"cancel_order", "request_return_exchange", "ask_refund_status"})
COMPLAINT = "complain"
HUMAN = "request_human"
# Readings that name no request of the shopper's own: a person asked for in words is one.
NO_REQUEST = frozenset({"inform", "affirm", "deny", "greet", "thank", "goodbye", "out_of_scope"})
DENY = "deny"
AFFIRM = "affirm"
# The one request a yes may lead into in one message (对 改白色), and the words that ask it. A
# cancel or a return restated after a yes (好 退吧) is read as the yes to it by the flows.
CHANGE = "modify_order"
CANCEL = "cancel_order"
CHANGE_ASKED = re.compile(r"改|换")
INFORM = "inform"
GOODBYE = "goodbye"
FALLBACK = "nlu_fallback"  # read with the conversation (action_clarify)
# The intents a negation (不用改, 先不取消, 别退了) turns into a no.
NEGATABLE_INTENTS = frozenset({"modify_order", "cancel_order", "request_return_exchange"})
# A denial of having asked (我没取消啊) or a question about an earlier action (上次不是给改了吗)
# asks about the order's state: what happened to it, never the request.
ORDER_STATE = "track_order"
# The readings the classifier gives a request for the shop's address (地址发我: a change of
# address; 算了 地址再发我一遍: a goodbye): it asks where a return goes, the return's flow says.
ADDRESS_MISREADINGS = frozenset({"modify_order", GOODBYE, DENY, INFORM})
RETURN = "request_return_exchange"
# The readings such a message gets from the classifier, all of them this one reading: their
# confidence is the order state's (so the fallback does not ask between 取消 and 不).
EARLIER_ACTION_READINGS = frozenset({*NEGATABLE_INTENTS, DENY, ORDER_STATE})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ConditionalRequestClassifier(RelabellingClassifier):
    """Re-labels a conditional cancel, return or refund request as a complaint."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name, text = intent.get("name"), message.get(TEXT) or ""
            confidence = float(intent.get("confidence") or 0.0)
            if name in NO_REQUEST and asks_for_a_person(text):
                # 那你找个人跟我说, 让能处理的人跟我说: the words ask for a person outright (a
                # request beside it, 我要转人工 帮我重开发票, stays the request: the taxonomy's)
                relabel(message, 1.0, HUMAN)
            elif name in ADDRESS_MISREADINGS and asks_for_the_address(text):
                # 地址发我, 算了 地址再发我一遍: where the return goes (an approved one's address,
                # or when it comes), never a change of address or a goodbye
                relabel(message, confidence, RETURN)
            elif name in ACTING_INTENTS and is_conditional_request(text):
                relabel(message, confidence)
            elif _about_the_orders_state(name, text):
                relabel_absorbing(message, ORDER_STATE, EARLIER_ACTION_READINGS)
            elif name in (CANCEL, RETURN, DENY) and cancel_taken_back_for_a_change(text):
                # 那就换雾霾蓝 四件套不取消了: the change asked, the cancel taken back (换 read as
                # an exchange of goods not yet sent)
                relabel_absorbing(message, CHANGE, frozenset({CANCEL, RETURN, DENY, CHANGE}))
            elif name in NEGATABLE_INTENTS and is_negated_request(text):
                relabel(message, confidence, DENY)
            elif name == DENY and is_negated_request(text):
                # 我不退了 read as no and as a return alike: one no (the fallback asks nothing)
                relabel_absorbing(message, DENY, NEGATABLE_INTENTS | {DENY})
            elif name in NEGATABLE_INTENTS and is_closing_without_request(text):
                relabel(message, confidence, GOODBYE)
            elif name in (DENY, GOODBYE) and asks_either_way(text):
                # 周末算不算: a question on what was said, read with the conversation, never a no
                relabel_absorbing(message, FALLBACK, frozenset({DENY, GOODBYE, FALLBACK}))
            elif name == DENY and says_a_detail_stays(text):
                # 电话不变 while a new address is said back: a detail kept, never a no to it
                relabel_absorbing(message, INFORM, frozenset({DENY, INFORM}))
            elif name in (DENY, GOODBYE) and says_not_arrived(text):
                # 没到 (the refund, the parcel): the problem told, never a no; read as data
                relabel_absorbing(message, INFORM, frozenset({DENY, GOODBYE, INFORM}))
            elif (request := _request_after_a_yes(message, text)) is not None:
                # 对 改白色: the yes and the change read as one, the change (never a fallback
                # between the two)
                relabel_absorbing(message, request, frozenset({AFFIRM, request}))
        return messages


# Words saying it is done already (好 已经改了): no request.
DONE = re.compile(r"已经|了$")


def _request_after_a_yes(message: Message, text: str) -> str | None:
    """The change a yes leads into (对 改白色): the classifier's two likeliest readings are
    that yes and the change, and the words after the yes ask for it (no question, nothing
    done already)."""
    ranking = [r["name"] for r in (message.get(INTENT_RANKING_KEY) or [])[:2]]
    rest = words_after_a_yes(text)
    if AFFIRM not in ranking or rest is None or is_question(rest) or DONE.search(rest):
        return None
    return CHANGE if CHANGE in ranking and CHANGE_ASKED.search(rest) else None


def relabel(message: Message, confidence: float, to: str = COMPLAINT) -> None:
    """Make `to` the message's intent, in the acting intent's place in the ranking."""
    relabelled = {"name": to, "confidence": confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != to]
    message.set(INTENT, relabelled, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [relabelled, *ranking[1:]], add_to_output=True)


def _about_the_orders_state(name: str | None, text: str) -> bool:
    """Whether a request the classifier heard (or its no) asks about what happened to the order:
    a denial of having asked (我没取消啊: not when read as a no, which it may be to a cancel
    said back) or a question about an earlier action (上次不是给改了吗)."""
    if name in NEGATABLE_INTENTS:
        return is_about_earlier_action(text)
    return name == DENY and is_about_earlier_action(text) and not denies_asking(text)


def relabel_absorbing(message: Message, to: str, readings: frozenset[str]) -> None:
    """Make `to` the message's intent with the confidence of every one of `readings` the
    classifier gave it (they are one reading of this message), which leave the ranking."""
    ranking = message.get(INTENT_RANKING_KEY) or []
    confidence = min(1.0, sum(float(r["confidence"]) for r in ranking if r["name"] in readings))
    if not ranking:
        confidence = float((message.get(INTENT) or {}).get("confidence") or 0.0)
    relabelled = {"name": to, "confidence": confidence}
    rest = [r for r in ranking if r["name"] not in readings]
    message.set(INTENT, relabelled, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [relabelled, *rest], add_to_output=True)
