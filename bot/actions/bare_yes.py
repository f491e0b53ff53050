"""A yes with nothing waiting for it (确认换, 确认, or the 确认 button of an offer that has
lapsed): a confirmation is said to have nothing to confirm, so the shopper never thinks a change
was made; a plain 好的 asks what else is needed, and one that asks for a request in its own
words (行 那给我催一下) gets that request. A yes to the bot's own offer of a person (行,
可以 after "帮您转人工客服确认一下，您看可以吗？") is that person. A goodbye is said back. Either,
when its words ask who to turn to (那我问谁去), is answered with the agents and their hours."""

import re

from rasa_sdk.events import EventType, SlotSet

from bot.actions.common import (
    Turn,
    TurnAction,
    answer_before_message,
    look_up_for,
    verified_order,
)
from bot.actions.handoff import answer_who_to_turn_to, pass_to_agent
from bot.actions.order_requests import (
    ORDER_REQUEST_HANDLERS,
    OrderRequest,
    ask_order_for_problem,
    request_of,
)
from conversations.models import EscalationReason
from conversations.needs import NeedTold, other_needs
from conversations.order_messages import request_in_words
from conversations.reading import asks_without_leaving, names_own_purchase, says_leaving
from conversations.short_messages import steps_away
from shop.waiting_requests import RETURN
from words.render import Button, button

# Words that confirm something (the 确认 button sends /affirm): with nothing waiting, nothing done.
CONFIRMING = re.compile(r"确认|确定|/affirm|提交")


# Requests a yes may name in its own words (对 确定取消) that are said back before anything is done.
SAID_BACK_FIRST = frozenset({"cancel_order", "request_return_exchange"})


def answer_yes_with_nothing_waiting(turn: Turn) -> list[EventType]:
    """What a yes with nothing waiting for it gets: a yes naming a cancel or a return (对 确定
    取消, after the order's state was said) has that request said back for its yes, never
    carried out; else nothing to confirm. Its events."""
    confirming = CONFIRMING.search(turn.text or "") is not None
    if not confirming and (asked := _request_asked(turn.text)) is not None:
        # 行 那给我催一下: that request, on the order verified (else its number asked), never
        # "what else" with the request offered as a button
        turn.served_besides.append(asked)
        return look_up_for(asked)
    request = request_in_words(turn.text) if confirming else None
    order = verified_order(turn.session, turn.tracker) if request in SAID_BACK_FIRST else None
    if request is not None and order is not None:
        waiting = ORDER_REQUEST_HANDLERS[request](OrderRequest(turn, order, request, turn.text))
        return [SlotSet("pending_request", waiting)]
    if not confirming and steps_away(turn.text):  # 我先问下我老公 你等等哈
        turn.utter("utter_take_your_time")
        return []
    turn.utter("utter_nothing_to_confirm" if confirming else "utter_anything_else")
    return []


def _request_asked(text: str) -> str | None:
    """The order request a yes asks for in a clause of its own (行 那给我催一下: the chase),
    None when it asks for none or for one no order request serves."""
    asked = other_needs(text, "affirm")
    return request_of(NeedTold(need=asked[0])) if asked else None


class ActionAnswerBareYes(TurnAction):
    """A yes outside any question (rules.yml)."""

    def name(self) -> str:
        return "action_answer_bare_yes"

    def act(self, turn: Turn) -> list[EventType]:
        if answer_who_to_turn_to(turn):  # 那我问谁去 read as a yes: who, not "what else"
            return []
        if person_offered(turn):  # 行 / 可以 to "转人工客服确认一下，您看可以吗？"
            pass_to_agent(turn, EscalationReason.SHOPPER_ASKED)
            return []
        return answer_yes_with_nothing_waiting(turn)


HUMAN_PAYLOAD = button(Button.HUMAN)["payload"]


def person_offered(turn: Turn) -> bool:
    """Whether the bot's answer just before this yes asked whether to bring in a person, with
    nothing else to say yes to (its only button: 转人工客服; its words a question: 您看可以吗？).
    A 确认 answers a request, never such an offer; a button beside a statement (a restock
    date a person could ask the warehouse about) is no question asked."""
    if CONFIRMING.search(turn.text or ""):
        return False
    answer = [e for e in answer_before_message(turn.tracker) if e.get("event") == "bot"]
    buttons = [b for e in answer for b in e.get("data", {}).get("buttons") or []]
    asked = any(OFFER_ASKED.search(str(e.get("text") or "")) for e in answer)
    return asked and bool(buttons) and all(b.get("payload") == HUMAN_PAYLOAD for b in buttons)


OFFER_ASKED = re.compile(r"[吗？?]\s*$")


class ActionSayGoodbye(TurnAction):
    """A goodbye (rules.yml), unless the words ask who to turn to (那就没办法了吗 我找谁)."""

    answers_shopper = False  # leaving: nothing else offered

    def name(self) -> str:
        return "action_say_goodbye"

    def act(self, turn: Turn) -> list[EventType]:
        if answer_who_to_turn_to(turn):  # 那就没办法了吗 我找谁
            return []
        # 我给孙子买的手机明天能到吗 到不了我就不要了: no word of leaving, the need told; its
        # order asked, no goodbye
        own = names_own_purchase(turn.text)
        if not says_leaving(turn.text) and ask_order_for_problem(turn, None, own_purchase=own):
            return []
        if not says_leaving(turn.text) and request_in_words(turn.text) == RETURN:
            # 卡其31没有？那退了吧 不换了: the return asked, never a goodbye
            return look_up_for(RETURN)
        if asks_without_leaving(turn.text):
            # 过保了就没办法了吗: a question, answered as one (the knowledge base, the talk)
            from bot.actions.faq import ActionAnswerFaq  # it imports the order actions

            return ActionAnswerFaq().act(turn)
        turn.utter("utter_goodbye")
        return []
