"""Pre-sale questions answered from the catalogue: facts, stock, price and size advice.

The product in focus (slot `current_product`) is the one the shopper last named; 这个/它 mean
it. A message that only names another product (那充电宝呢) asks the last product question
(slot `product_question`: its intent and words) again about that one.
"""

import copy
import dataclasses
from abc import ABC, abstractmethod
from typing import ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions.case_questions import answer_case_question
from bot.actions.common import Turn, TurnAction, conversation_product, named_products
from core.clock import to_shop_time
from shop import product_names
from shop.models import Product
from shop.presale import (
    FactUnknown,
    FootOutsideChart,
    NoSizeChart,
    ProductNotFound,
    StockReport,
    advise_size,
    named_variant_terms,
    parse_foot_length_mm,
    parse_height_cm,
    parse_weight_kg,
    price_quote,
    stock_report,
    together_quote,
)
from shop.product_questions import ProductInFocus, is_bare_mention, product_answer
from words.render import Button


def _names_a_product(tracker: Tracker) -> bool:
    """Whether the shopper's message names a product (one the catalogue may not have)."""
    return bool(named_products(tracker))


def _latest_entity(tracker: Tracker, entity: str) -> str | None:
    found = (e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == entity)
    return next((str(e.get("value")) for e in found), None)


def _asking(turn: Turn, words: str) -> Turn:
    """The turn as if the shopper had asked `words` (an earlier question, asked again)."""
    tracker = copy.copy(turn.tracker)
    tracker.latest_message = {**tracker.latest_message, "text": words}
    return dataclasses.replace(turn, tracker=tracker)


def answer_about(turn: Turn, product: Product, intent: str | None) -> list[EventType]:
    """Answer the shopper's `intent` question about `product`, which becomes the product in
    focus. A bare mention of it (那充电宝呢; `intent` None: the NLU did not say) asks the last
    product question again about it, or what they want to know."""
    question = [intent, turn.text] if intent else None
    if intent is None or is_bare_mention(product, turn.text):
        asked = turn.tracker.get_slot("product_question")
        question = list(asked) if asked and asked[0] in PRESALE_ACTIONS else None
    focus: list[EventType] = [SlotSet("current_product", product.code)]
    if question is None:
        turn.say(ProductInFocus(product.name))
        return focus
    PRESALE_ACTIONS[question[0]].answer(product, _asking(turn, question[1]))
    return [*focus, SlotSet("product_question", question)]


class _ProductAction(TurnAction, ABC):
    """Finds the product, or asks which one; subclasses answer about it."""

    intent: ClassVar[str]  # the shopper's intent this action answers

    @abstractmethod
    def answer(self, product: Product, turn: Turn) -> None:
        """Tell the shopper about `product`."""

    def act(self, turn: Turn) -> list[EventType]:
        product = conversation_product(turn.session, turn.tracker)
        if product is None and _names_a_product(turn.tracker):
            turn.say(ProductNotFound(), buttons=[Button.HUMAN])
            return []
        if _about_the_open_case(turn, product, self.intent):
            return []
        if product is None:
            turn.utter("utter_ask_which_product")
            return []
        return answer_about(turn, product, self.intent)


def _about_the_open_case(turn: Turn, product: Product | None, intent: str) -> bool:
    """A question about the case open here that the NLU took for a product question
    (还要等多久啊) is answered from the case, unless it is about a product: one it names, or
    the one in focus when the catalogue answers it (这个保温多久) or it asks stock or price."""
    if product is not None and (
        intent != "ask_product_info"
        or product_names.find_product(turn.session, turn.text) is not None
        or not isinstance(product_answer(product, turn.text), FactUnknown)
    ):
        return False
    return answer_case_question(turn)


class ActionAnswerProductInfo(_ProductAction):
    intent = "ask_product_info"

    def name(self) -> str:
        return "action_answer_product_info"

    def answer(self, product: Product, turn: Turn) -> None:
        fact = product_answer(product, turn.text)
        turn.say(fact, buttons=[Button.HUMAN] if isinstance(fact, FactUnknown) else [])


class ActionAnswerStock(_ProductAction):
    intent = "ask_stock"

    def name(self) -> str:
        return "action_answer_stock"

    def answer(self, product: Product, turn: Turn) -> None:
        # the product's own colours and sizes named in this message first, then the entities
        color, size = named_variant_terms(product, turn.text)
        color = color or _remembered(turn, product, "color")
        size = size or _remembered(turn, product, "size")
        report = stock_report(product, color, size, to_shop_time(turn.now).date())
        undated = isinstance(report, StockReport) and report.sold_out_undated
        turn.say(report, buttons=[Button.HUMAN] if undated else [])


class ActionAnswerPrice(_ProductAction):
    intent = "ask_price_promotion"

    def name(self) -> str:
        return "action_answer_price"

    def act(self, turn: Turn) -> list[EventType]:
        together = product_names.named_products(turn.session, turn.text)
        if len(together) < 2:
            return super().act(turn)
        turn.say(together_quote(together, turn.now))  # 三体跟活着一起买多少钱
        return [SlotSet("current_product", together[-1].code)]

    def answer(self, product: Product, turn: Turn) -> None:
        turn.say(price_quote(product, turn.now, turn.text))


class ActionAdviseSize(_ProductAction):
    intent = "ask_size_advice"

    def name(self) -> str:
        return "action_advise_size"

    def answer(self, product: Product, turn: Turn) -> None:
        slot = turn.tracker.get_slot
        height = parse_height_cm(slot("height")) or parse_height_cm(turn.text)
        weight = parse_weight_kg(slot("weight")) or parse_weight_kg(turn.text)
        advice = advise_size(product, height, weight, foot_length_mm(turn.tracker))
        if advice is None:
            turn.utter("utter_ask_height_weight")
            return
        human = isinstance(advice, NoSizeChart | FootOutsideChart)
        turn.say(advice, buttons=[Button.HUMAN] if human else [])


def foot_length_mm(tracker: Tracker) -> float | None:
    """The foot length in the shopper's latest message, else the latest one they gave earlier
    in this session (脚长23.3, then 她脚有点宽 or 雪地靴要买38吗: not asked for again)."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user" and (
            foot := parse_foot_length_mm(str(event.get("text") or ""))
        ):
            return foot
    return parse_foot_length_mm(tracker.latest_message.get("text"))


def _remembered(turn: Turn, product: Product, entity: str) -> str | None:
    """A colour or size said earlier counts while the conversation stays on the same product;
    after a switch only this message's own."""
    if product.code == turn.tracker.get_slot("current_product"):
        return turn.tracker.get_slot(entity)
    return _latest_entity(turn.tracker, entity)


PRESALE_ACTIONS: dict[str, _ProductAction] = {
    action.intent: action
    for action in (
        ActionAnswerProductInfo(),
        ActionAnswerStock(),
        ActionAnswerPrice(),
        ActionAdviseSize(),
    )
}
