"""Small pieces every action shares."""

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from faq.retrieval import Hit
from shop.models import Order, Product
from shop.orders import load_order
from shop.presale import find_product

HUMAN_BUTTON = {"title": "转人工客服", "payload": "/request_human"}


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the shopper's latest message (nlu_fallback included)."""
    return (tracker.latest_message.get("intent") or {}).get("name")


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
