"""Pre-sale questions answered from the catalogue: facts, stock, price and size advice."""

from abc import ABC, abstractmethod

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions.common import Turn, TurnAction, conversation_product
from shop.models import Product
from shop.presale import (
    FactUnknown,
    NoSizeChart,
    ProductNotFound,
    advise_size,
    attribute_answer,
    named_variant_terms,
    parse_height_cm,
    parse_weight_kg,
    price_quote,
    stock_report,
)
from words.render import Button


def _names_a_product(tracker: Tracker) -> bool:
    """Whether the shopper's message names a product (one the catalogue may not have)."""
    return any(e.get("entity") == "product" for e in tracker.latest_message.get("entities", []))


class _ProductAction(TurnAction, ABC):
    """Finds the product, or asks which one; subclasses answer about it."""

    @abstractmethod
    def answer(self, product: Product, turn: Turn) -> None:
        """Tell the shopper about `product`."""

    def act(self, turn: Turn) -> list[EventType]:
        product = conversation_product(turn.session, turn.tracker)
        if product is None and _names_a_product(turn.tracker):
            turn.say(ProductNotFound(), buttons=[Button.HUMAN])
            return []
        if product is None:
            turn.utter("utter_ask_which_product")
            return []
        self.answer(product, turn)
        return [SlotSet("current_product", product.code)]


class ActionAnswerProductInfo(_ProductAction):
    def name(self) -> str:
        return "action_answer_product_info"

    def answer(self, product: Product, turn: Turn) -> None:
        fact = attribute_answer(product, turn.text)
        turn.say(fact, buttons=[Button.HUMAN] if isinstance(fact, FactUnknown) else [])


class ActionAnswerStock(_ProductAction):
    def name(self) -> str:
        return "action_answer_stock"

    def answer(self, product: Product, turn: Turn) -> None:
        # the product's own colours and sizes named in this message first, then the entities
        color, size = named_variant_terms(product, turn.text)
        color = color or turn.tracker.get_slot("color")
        size = size or turn.tracker.get_slot("size")
        turn.say(stock_report(product, color, size))


class ActionAnswerPrice(_ProductAction):
    def name(self) -> str:
        return "action_answer_price"

    def answer(self, product: Product, turn: Turn) -> None:
        turn.say(price_quote(product))


class ActionAdviseSize(_ProductAction):
    def name(self) -> str:
        return "action_advise_size"

    def answer(self, product: Product, turn: Turn) -> None:
        slot = turn.tracker.get_slot
        height = parse_height_cm(slot("height")) or parse_height_cm(turn.text)
        weight = parse_weight_kg(slot("weight")) or parse_weight_kg(turn.text)
        advice = advise_size(product, height, weight)
        if advice is None:
            turn.utter("utter_ask_height_weight")
            return
        turn.say(advice, buttons=[Button.HUMAN] if isinstance(advice, NoSizeChart) else [])
