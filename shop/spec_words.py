"""The words shoppers ask a product's facts by (shop/spec_words.yaml): 多少瓦 for 功率, 门槛
for 越障高度, 精装平装 for 装帧, 杂音 for the warranty and the after-sales rule, 质保 for 保修.
Validated and normalised once, when loaded."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.policy_file import load_policy_file
from core.text import normalise

SPEC_WORDS_FILE = Path(__file__).with_name("spec_words.yaml")


class SpecWordsError(ValueError):
    """The spec words file is missing or invalid."""


# A word as the shopper's normalised words hold it (多少Ｗ → 多少w)
Word = Annotated[str, Field(min_length=1), AfterValidator(normalise)]


class SpecTopic(BaseModel):
    """One fact shoppers ask by other words than its attribute's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    asked: tuple[Word, ...] = Field(min_length=1)
    attributes: tuple[str, ...] = Field(min_length=1)
    page: tuple[Word, ...] = ()

    def asked_in(self, text: str) -> bool:
        """Whether the (normalised) question asks this topic."""
        return any(word in text for word in self.asked)


class SpecWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    topics: tuple[SpecTopic, ...]
    aliases: dict[str, tuple[Word, ...]]


@lru_cache(maxsize=1)
def _spec_words() -> SpecWords:
    return load_policy_file(SPEC_WORDS_FILE, SpecWords, SpecWordsError, "spec words")


def spec_topics() -> tuple[SpecTopic, ...]:
    """The topics of shop/spec_words.yaml, in the file's order."""
    return _spec_words().topics


def attribute_aliases() -> dict[str, tuple[str, ...]]:
    """The catalogue's attribute names with the words shoppers ask each by, in the file's
    order (保修: 质保, 保多久, …)."""
    return _spec_words().aliases
