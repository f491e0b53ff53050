"""In the NLU pipeline, English and pinyin words and numbers said in words are read in Chinese
and digits before anything else reads the message; something said not to have come is never
a no."""

import json

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import json
import sys
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from bot.nlu.conditional_requests import ConditionalRequestClassifier
from bot.nlu.shopper_words import ShopperWordsReader

context = ExecutionContext(GraphSchema({}), node_name="shopper_words")
reader = ShopperWordsReader.create({}, None, None, context)
classifier = ConditionalRequestClassifier.create({}, None, None, context)
texts, said_no = json.loads(sys.argv[1])
read = [m.get(TEXT) for m in reader.process([Message(data={TEXT: t}) for t in texts])]
example = Message(data={TEXT: "order 12", ENTITIES: [{"start": 6, "end": 8, "value": "12"}]})
plain = Message(data={TEXT: "tuihuo"})
reader.process_training_data(TrainingData([example, plain]))
intents = []
for text in said_no:
    ranking = [{"name": "deny", "confidence": 0.7}, {"name": "goodbye", "confidence": 0.2},
               {"name": "faq", "confidence": 0.1}]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    classifier.process([message])
    intents.append(message.get(INTENT)["name"])
print(json.dumps({"read": read, "examples": [example.get(TEXT), plain.get(TEXT)],
                  "intents": intents}))
"""


@pytest.fixture(scope="module")
def results() -> dict:
    return run_in_rasa_env(
        SCENARIO,
        json.dumps(
            [
                ["where is my package", "尾号。幺零八六。", "/affirm"],
                ["还没到账", "退款一直没收到", "不用了"],
            ]
        ),
    )


def test_english_words_and_spoken_numbers_reach_the_classifier_in_chinese_and_digits(results):
    assert results["read"] == ["我的快递到哪了", "尾号。1086。", "/affirm"]


def test_a_training_example_is_read_the_same_way_unless_its_entities_would_move(results):
    assert results["examples"] == ["order 12", "退货"]


def test_something_said_not_to_have_come_is_data_not_a_no(results):
    assert results["intents"] == ["inform", "inform", "deny"]
