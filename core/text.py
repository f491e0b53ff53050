"""Chinese text basics shared by the FAQ retrieval and the review analysis."""

import logging
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from core.settings import PROJECT_ROOT

if TYPE_CHECKING:
    import jieba

SHOP_DICTIONARY = PROJECT_ROOT / "lexicon" / "shop_words.txt"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def is_cjk(char: str) -> bool:
    return bool(_CJK.fullmatch(char))


@lru_cache
def shop_tokenizer() -> "jieba.Tokenizer":
    """A jieba tokenizer with the shop's user dictionary (the one the Rasa pipeline uses too).

    jieba is imported here, when words are first needed: its import alone is a third of a
    second that reading a review's causes does not need."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(SHOP_DICTIONARY))
    return tokenizer


def words(text: str) -> list[str]:
    """jieba words of `text` (precise mode), without whitespace tokens."""
    return [w for w in shop_tokenizer().lcut(text) if w.strip()]
