"""What every action shares: one unit of work per turn, and the conversation's product/order."""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.database import unit_of_work
from faq.retrieval import Hit
from shop.models import Order, Product
from shop.orders import load_order
from shop.presale import find_product
from words.render import Button, button, say


@dataclass(frozen=True)
class Turn:
    """One bot turn: its unit of work, the conversation so far, and where replies go."""

    session: Session
    tracker: Tracker
    out: CollectingDispatcher
    now: datetime

    @property
    def text(self) -> str:
        """The shopper's latest message."""
        return self.tracker.latest_message.get("text") or ""

    @property
    def conversation_id(self) -> str:
        return self.tracker.sender_id

    def say(self, fact: object, buttons: Iterable[Button] = (), **extra: Any) -> None:
        """Send the shopper the words for `fact` (words/storefront.yaml)."""
        self.out.utter_message(text=say(fact, **extra), buttons=[button(b) for b in buttons])

    def utter(self, response: str, buttons: Iterable[Button] = ()) -> None:
        """Send one of Rasa's own responses (`responses:` in words/storefront.yaml)."""
        self.out.utter_message(response=response, buttons=[button(b) for b in buttons])


class TurnAction(Action, ABC):
    """An action whose turn reads and writes in one unit of work, committed when it returns."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with unit_of_work() as session:
            return self.act(Turn(session, tracker, dispatcher, utcnow()))

    @abstractmethod
    def act(self, turn: Turn) -> list[EventType]:
        """Do the turn's work; return the Rasa events to apply (slot sets)."""


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the shopper's latest message (nlu_fallback included)."""
    intent: str | None = (tracker.latest_message.get("intent") or {}).get("name")
    return intent


def conversation_product(session: Session, tracker: Tracker) -> Product | None:
    """The product named in this message, else the one the conversation was about."""
    text = tracker.latest_message.get("text") or ""
    named = find_product(session, text, tracker.get_slot("product"))
    if named is not None:
        return named
    current = tracker.get_slot("current_product")
    return find_product(session, current) if current else None


def verified_order(session: Session, tracker: Tracker) -> Order | None:
    """The order this conversation proved is the shopper's (number + phone tail, checked once
    by the lookup); its phone may have changed since, so the tail is not asked again."""
    order_no = tracker.get_slot("verified_order_no")
    return load_order(session, order_no) if order_no else None


def faq_answer(session: Session, tracker: Tracker, hit: Hit) -> str:
    """The entry's answer for the product the conversation is about (fresh fruit, appliances…)."""
    product = conversation_product(session, tracker)
    return hit.entry.answer_for(product.category.code if product else None)


_turn_session: ContextVar[Session] = ContextVar("turn_session")


@contextmanager
def form_turn() -> Iterator[Session]:
    """The unit of work of one form-validation turn, which its validators read."""
    with unit_of_work() as session:
        token = _turn_session.set(session)
        try:
            yield session
        finally:
            _turn_session.reset(token)


class TurnFormValidation(FormValidationAction, ABC):
    """A form's validation whose turn is one unit of work, read by its validators through
    `self.session` (rasa-sdk fixes their signatures, so it cannot be passed)."""

    @abstractmethod
    def name(self) -> str:
        """The form validation's action name, `validate_<form>`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with form_turn():
            return await super().run(dispatcher, tracker, domain)

    @property
    def session(self) -> Session:
        return _turn_session.get()
