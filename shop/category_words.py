"""The words shoppers name a kind of goods by (shop/category_words.yaml): 衣服 for 服装, 口红
for 美妆个护. A policy question naming one (衣服要是洗过一次呢) is answered with that category's
own rule. Validated and normalised once, when loaded."""

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, RootModel

from core.policy_file import load_policy_file
from core.text import normalise

CATEGORY_WORDS_FILE = Path(__file__).with_name("category_words.yaml")


class CategoryWordsError(ValueError):
    """The category words file is missing or invalid."""


Word = Annotated[str, Field(min_length=2), AfterValidator(normalise)]
CategoryWords = RootModel[dict[str, tuple[Word, ...]]]


@lru_cache(maxsize=1)
def _category_words() -> dict[str, tuple[str, ...]]:
    return load_policy_file(
        CATEGORY_WORDS_FILE, CategoryWords, CategoryWordsError, "category words"
    ).root


# 手机 in 手机后四位, 手机尾号, 手机号 is the shopper's phone number, not goods of the shop.
PHONE_NUMBER = re.compile(r"手机(?=的?(?:尾号|后四位|后4位|后几位|末四位|末4位|号|\s?\d{4}))")


def category_named(text: str) -> str | None:
    """The code of the one product category the message names goods of (衣服 → apparel);
    None when it names none, or goods of several."""
    named = category_word_named(text)
    return named[0] if named is not None else None


def category_word_named(text: str) -> tuple[str, str] | None:
    """The one product category the message names goods of, and the word it names them by
    (靴子 → shoes, 靴子); None when it names none, or goods of several."""
    words = PHONE_NUMBER.sub(" ", normalise(text))
    named = {
        code: next(n for n in names if n in words)
        for code, names in _category_words().items()
        if any(n in words for n in names)
    }
    return next(iter(named.items())) if len(named) == 1 else None
