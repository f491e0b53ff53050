"""The sentence encoder gives each message one scaled vector that places like needs together."""

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import json
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from bot.nlu.sentence_encoder import SentenceEncoderFeaturizer

config = {**SentenceEncoderFeaturizer.get_default_config(), "scale": 8.0}
context = ExecutionContext(GraphSchema({}), node_name="encoder")
featurizer = SentenceEncoderFeaturizer.create(config, None, None, context)
texts = ["发票开了没有啊", "我那单的发票什么时候能开好", "快递怎么还没到", ""]
messages = featurizer.process([Message(data={TEXT: t}) for t in texts])
sentence = [m.get_dense_features(TEXT)[1] for m in messages]
vectors = [s.features[0] for s in sentence[:3]]
cos = lambda a, b: float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b))
print(json.dumps({
    "shape": list(sentence[0].features.shape),
    "norm": float(np.linalg.norm(vectors[0])),
    "invoice_pair": cos(vectors[0], vectors[1]),
    "invoice_parcel": cos(vectors[0], vectors[2]),
    "empty_has_none": sentence[3] is None,
}))
"""


@pytest.fixture(scope="module")
def report() -> dict:
    return run_in_rasa_env(SCENARIO)


def test_each_message_gets_one_sentence_vector_of_the_configured_weight(report):
    assert report["shape"] == [1, 384]
    assert report["norm"] == pytest.approx(8.0, rel=1e-3)


def test_two_ways_of_asking_for_an_invoice_are_closer_than_an_invoice_and_a_late_parcel(report):
    assert report["invoice_pair"] > report["invoice_parcel"] + 0.02  # e5 cosines sit close


def test_an_empty_message_gets_no_vector(report):
    assert report["empty_has_none"] is True
