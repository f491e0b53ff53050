"""A cancel or return made conditional (不然我就取消了) is classified as a complaint.

The intent classifier sees the words 取消 and 退款; only the sentence's shape says they are a
threat. This component runs after the classifier and turns such a request into `complain`
(conversations/reading.py decides), so no flow ever starts to carry out a threat.
"""

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from conversations.reading import is_conditional_request

# The intents whose flows act on the order; a conditional one of these is a complaint.
ACTING_INTENTS = frozenset({"cancel_order", "request_return_exchange", "ask_refund_status"})
COMPLAINT = "complain"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ConditionalRequestClassifier(GraphComponent, IntentClassifier):
    """Re-labels a conditional cancel, return or refund request as a complaint."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],  # noqa: ARG003
        model_storage: ModelStorage,  # noqa: ARG003 (Rasa's signature; nothing is stored)
        resource: Resource,  # noqa: ARG003
        execution_context: ExecutionContext,  # noqa: ARG003
    ) -> "ConditionalRequestClassifier":
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") in ACTING_INTENTS and is_conditional_request(
                message.get(TEXT) or ""
            ):
                relabel(message, float(intent.get("confidence") or 0.0))
        return messages


def relabel(message: Message, confidence: float) -> None:
    """Make `complain` the message's intent, in the acting intent's place in the ranking."""
    complaint = {"name": COMPLAINT, "confidence": confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != COMPLAINT]
    message.set(INTENT, complaint, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [complaint, *ranking[1:]], add_to_output=True)
