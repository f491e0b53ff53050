"""Word vectors learnt from reviews give each message one scaled vector, and are optional."""

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import csv, json, os, sys, tempfile
from pathlib import Path
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
import bot.nlu.word_vectors as wv

work = Path(tempfile.mkdtemp())
wv.CACHE_DIR = work / "cache"
reviews = work / "reviews"
reviews.mkdir()
with (reviews / "goods.csv").open("w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(["label", "review"])
    lines = ["快递 太 慢 了", "物流 太 慢 了", "发票 开 了 吗", "开票 开 了 吗"]
    for i in range(300):
        writer.writerow([0, lines[i % 4]])
config = {**wv.ReviewWordVectorsFeaturizer.get_default_config(), "corpus": ["goods.csv"],
          "dimensions": 16, "epochs": 5, "buckets": 1000, "min_count": 1, "scale": 3.0}
context = ExecutionContext(GraphSchema({}), node_name="vectors")

def vectors(words):
    message = Message(data={TEXT: "".join(words)})
    message.set(TOKENS_NAMES[TEXT], [Token(w, 0) for w in words])
    featurizer.process([message])
    return message.get_dense_features(TEXT)[1]

out = {}
os.environ["REVIEWS_DATA_DIR"] = str(reviews)
(work / "model").mkdir()
storage = LocalModelStorage(work / "model")
resource = Resource("vectors")
wv.ReviewWordVectorsFeaturizer.create(config, storage, resource, context).train(TrainingData())
out["cached"] = len(list(wv.CACHE_DIR.glob("*/vectors.kv")))
featurizer = wv.ReviewWordVectorsFeaturizer.load(config, storage, resource, context)
v = vectors(["快递", "慢"]).features[0]
out["shape"] = list(v.shape)
out["norm"] = float(np.linalg.norm(v))
out["unseen_word_norm"] = float(np.linalg.norm(vectors(["快递员"]).features[0]))

os.environ["REVIEWS_DATA_DIR"] = str(work / "nothing-here")
resource = Resource("no-vectors")
wv.ReviewWordVectorsFeaturizer.create(config, storage, resource, context).train(TrainingData())
featurizer = wv.ReviewWordVectorsFeaturizer.load(config, storage, resource, context)
out["without_corpus_norm"] = float(np.linalg.norm(vectors(["快递"]).features[0]))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def report() -> dict:
    return run_in_rasa_env(SCENARIO)


def test_vectors_trained_once_are_kept_for_the_next_training(report):
    assert report["cached"] == 1


def test_each_message_gets_one_vector_of_the_configured_size_and_weight(report):
    assert report["shape"] == [16]
    assert report["norm"] == pytest.approx(3.0, rel=1e-3)


def test_a_word_the_reviews_never_had_still_gets_a_vector_from_its_characters(report):
    assert report["unseen_word_norm"] == pytest.approx(3.0, rel=1e-3)


def test_without_the_review_corpus_every_message_gets_a_zero_vector(report):
    assert report["without_corpus_norm"] == 0.0
