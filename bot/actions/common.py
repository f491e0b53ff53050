"""Small pieces every action shares."""

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from shop.models import Product
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
