"""The message as the shop reads it, before anything else reads it: English and pinyin words of
the shop's services in Chinese (order → 订单, tuihuo → 退货, where is my package → 我的快递到哪了)
and numbers said digit by digit in digits (幺二三七 → 1237), by conversations/shopper_words.py.

It is the first component of the pipeline: the tokenizer, the classifiers, the entity
extractor and the actions (the parse's text) all read the rewritten words; the event keeps
what the shopper typed.
"""

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.relabelling import Stateless
from conversations.shopper_words import as_read


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class ShopperWordsReader(Stateless):
    """Rewrites each message's text as the shop reads it; nothing to train or store."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            read_as(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """The examples read as messages are; one with entities as written (their places in
        the text would move)."""
        for message in training_data.training_examples:
            if not message.get(ENTITIES):
                read_as(message)
        return training_data


def read_as(message: Message) -> None:
    """The message's text as the shop reads it (a message with no text, or a payload, as it is)."""
    text = message.get(TEXT)
    if isinstance(text, str) and (read := as_read(text)) != text:
        message.set(TEXT, read)
