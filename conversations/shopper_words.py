"""Words shoppers write in English or pinyin, read as the Chinese they stand for.

"hi 我的order 4786… why still not shipped??", "phone last 4 is 2046", "tuihuo": the shop's readers
and the classifier know the Chinese words. `as_read` puts the Chinese word in place of each
English or pinyin one of a small table (`shopper_words.yaml`), and writes numbers said digit by
digit in digits (幺二三七 → 1237), before anything reads the message. Plain Python, no Rasa.
"""

import re
from functools import lru_cache
from pathlib import Path

import yaml

from core.spoken import spoken_digits

WORDS_FILE = Path(__file__).with_name("shopper_words.yaml")


class ShopperWordsError(ValueError):
    """The words file cannot be read."""


@lru_cache
def load_shopper_words(path: Path = WORDS_FILE) -> dict[str, str]:
    """English or pinyin words (lower case Latin letters) and the Chinese each stands for.

    Only `yaml` and `re`: the Rasa pipeline reads with it too (bot/nlu/shopper_words.py)."""
    try:
        words = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("words")
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise ShopperWordsError(f"{path}: invalid shopper words: {exc}") from exc
    if not isinstance(words, dict) or not words:
        raise ShopperWordsError(f"{path}: invalid shopper words: no `words` table")
    for word, meaning in words.items():
        if not (isinstance(word, str) and word == word.lower() and word.isascii()):
            raise ShopperWordsError(
                f"{path}: invalid shopper words: {word!r} is no lower case word"
            )
        if not (isinstance(meaning, str) and meaning and not meaning.isascii()):
            raise ShopperWordsError(f"{path}: invalid shopper words: {word!r} has no Chinese")
    return {re.sub(r"\s+", " ", word): meaning for word, meaning in words.items()}


@lru_cache
def _foreign_word() -> re.Pattern[str]:
    """Any word of the table as a whole word (no Latin letter or digit on either side), any
    case, spaces inside a phrase as one or more; the longest first."""
    phrases = sorted(load_shopper_words(), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z])", re.IGNORECASE)


def as_read(text: str) -> str:
    """The message as the shop reads it: English and pinyin words of the table in Chinese,
    numbers said digit by digit in digits; a button's payload (/intent) as it is."""
    if not text or text.startswith("/"):
        return text
    table = load_shopper_words()
    read = _foreign_word().sub(lambda m: table[re.sub(r"\s+", " ", m.group(0).lower())], text)
    return spoken_digits(read)
