"""Small pieces every action shares."""

from rasa_sdk import Tracker

HUMAN_BUTTON = {"title": "转人工客服", "payload": "/request_human"}


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the shopper's latest message (nlu_fallback included)."""
    return (tracker.latest_message.get("intent") or {}).get("name")
