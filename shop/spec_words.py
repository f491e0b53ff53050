"""The words shoppers ask a product's facts by (shop/spec_words.yaml): 多少瓦 for 功率, 门槛
for 越障高度, 精装平装 for 装帧, 杂音 for the warranty and the after-sales rule. Validated when
loaded."""

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from core.policy_file import load_policy_file
from core.text import normalise

SPEC_WORDS_FILE = Path(__file__).with_name("spec_words.yaml")


class SpecWordsError(ValueError):
    """The spec words file is missing or invalid."""


class SpecTopic(BaseModel):
    """One fact shoppers ask by other words than its attribute's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    asked: tuple[str, ...] = Field(min_length=1)
    attributes: tuple[str, ...] = Field(min_length=1)
    page: tuple[str, ...] = ()

    def asked_in(self, text: str) -> bool:
        """Whether the (normalised) question asks this topic."""
        return any(normalise(word) in text for word in self.asked)


class SpecWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    topics: tuple[SpecTopic, ...]


@lru_cache(maxsize=1)
def spec_topics() -> tuple[SpecTopic, ...]:
    """The topics of shop/spec_words.yaml, in the file's order."""
    return load_policy_file(SPEC_WORDS_FILE, SpecWords, SpecWordsError, "spec words").topics
