"""Word vectors learnt from real shoppers' reviews, as a Rasa dense featurizer.

Our training examples name a need in a few ways; real shoppers use many more words for the
same thing (快递/物流/包裹, 发票/开票/票). FastText vectors trained on the shared real reviews
(goods and waimai: documented public sources, never copied here) place those words near each
other; each message gets the mean vector of its jieba tokens (character n-grams give a vector
to unseen words and typos), scaled so it weighs against the sparse counts in the linear
intent classifier. Measured in docs/nlu.md.

Training the vectors takes minutes, so they are kept in `var/word-vectors/`, keyed by the
corpus and the settings, and a bot retrained on new examples reuses them. Without the review
files (a clone without ../shared/data) every message gets a zero vector and the bot works as
before.
"""

import csv
import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import jieba
import numpy as np
from gensim.models import FastText
from gensim.models.keyedvectors import KeyedVectors
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Where the shared real reviews are: REVIEWS_DATA_DIR, as core.settings reads it (this process
# runs in the Rasa environment, which has no pydantic-settings).
DEFAULT_REVIEWS_DIR = PROJECT_ROOT.parent / "shared" / "data" / "reviews"
CACHE_DIR = PROJECT_ROOT / "var" / "word-vectors"
VECTORS_FILE = "vectors.kv"
TEXT_COLUMN = "review"


def reviews_dir() -> Path:
    return Path(os.environ.get("REVIEWS_DATA_DIR") or DEFAULT_REVIEWS_DIR)


def corpus_texts(files: list[str]) -> list[str]:
    """The review texts of the corpus files that exist (none on a clone without them)."""
    texts: list[str] = []
    for name in files:
        path = reviews_dir() / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as rows:
                texts += [row.get(TEXT_COLUMN) or "" for row in csv.DictReader(rows)]
    return texts


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class ReviewWordVectorsFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the scaled mean word vector of the message's tokens as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "corpus": ["goods_reviews_train.csv", "waimai_10k.csv"],
            "dimensions": 100,
            "epochs": 15,
            "buckets": 50_000,  # character n-gram slots: 50k keeps the model small (~35 MB)
            "min_count": 2,
            "scale": 2.0,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if float(config["scale"]) <= 0 or int(config["dimensions"]) <= 0:
            raise ValueError("scale and dimensions must be positive")

    @staticmethod
    def required_packages() -> list[str]:
        return ["gensim"]

    def __init__(
        self,
        config: dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
        vectors: KeyedVectors | None = None,
    ) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._vectors = vectors

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ReviewWordVectorsFeaturizer":
        return cls(config, execution_context.node_name, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,  # noqa: ARG003 (Rasa's signature)
    ) -> "ReviewWordVectorsFeaturizer":
        vectors = None
        try:
            with model_storage.read_from(resource) as folder:
                if (folder / VECTORS_FILE).exists():
                    vectors = KeyedVectors.load(str(folder / VECTORS_FILE))
        except ValueError:  # nothing was persisted
            pass
        return cls(config, execution_context.node_name, model_storage, resource, vectors)

    def train(self, training_data: TrainingData) -> Resource:  # noqa: ARG002 (vectors: reviews)
        self._vectors = self._cached_or_trained()
        if self._vectors is not None:
            with self._model_storage.write_to(self._resource) as folder:
                self._vectors.save(str(folder / VECTORS_FILE))
        return self._resource

    def _settings_key(self, texts: list[str]) -> str:
        digest = hashlib.sha256()
        for key in ("dimensions", "epochs", "buckets", "min_count"):
            digest.update(f"{key}={self._config[key]};".encode())
        for text in texts:
            digest.update(text.encode())
        return digest.hexdigest()[:16]

    def _cached_or_trained(self) -> KeyedVectors | None:
        texts = corpus_texts(list(self._config["corpus"]))
        if not texts:
            logger.warning("no review corpus in %s: word vectors are left out", reviews_dir())
            return None
        cached = CACHE_DIR / self._settings_key(texts) / VECTORS_FILE
        if cached.exists():
            return KeyedVectors.load(str(cached))
        # jieba as the pipeline's JiebaTokenizer left it (the shop dictionary loaded)
        sentences = [[w for w in jieba.lcut(text) if w.strip()] for text in texts]
        model = FastText(
            sentences,
            vector_size=int(self._config["dimensions"]),
            window=5,
            min_count=int(self._config["min_count"]),
            epochs=int(self._config["epochs"]),
            bucket=int(self._config["buckets"]),
            min_n=1,
            max_n=3,
            sg=1,
            workers=2,
            seed=7,
        )
        cached.parent.mkdir(parents=True, exist_ok=True)
        model.wv.save(str(cached))
        return model.wv

    def sentence_vector(self, tokens: list[str]) -> np.ndarray:
        """The scaled unit mean vector of `tokens` (zeros without vectors or tokens)."""
        size = int(self._config["dimensions"])
        if self._vectors is None or not tokens:
            return np.zeros(size, dtype=np.float32)
        mean = np.mean([self._vectors[t] for t in tokens], axis=0)
        norm = float(np.linalg.norm(mean))
        if norm == 0.0:
            return np.zeros(size, dtype=np.float32)
        return (mean / norm * float(self._config["scale"])).astype(np.float32)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not message.get(TEXT):
                continue
            tokens = [t.text for t in message.get(TOKENS_NAMES[TEXT]) or [] if t.text.strip()]
            vector = self.sentence_vector(tokens).reshape(1, -1)
            self.add_features_to_message(None, vector, TEXT, message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
