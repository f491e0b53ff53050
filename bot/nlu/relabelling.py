"""The bases of our own pipeline components, which have nothing to train or store: `Stateless`
(only `process`), and `RelabellingClassifier` for those that re-read the classifier's intent from
the message's words (conditional_requests, order_messages)."""

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.message import Message


class Stateless(GraphComponent):
    """A component with no configuration, nothing trained and nothing stored."""

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
    ) -> "Stateless":
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        raise NotImplementedError


class RelabellingClassifier(Stateless, IntentClassifier):
    """An intent classifier that runs after the trained one and may change its intent."""
