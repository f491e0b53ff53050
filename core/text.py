"""Chinese text basics shared by the FAQ retrieval and the review analysis."""

import logging
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator

from core.settings import PROJECT_ROOT

if TYPE_CHECKING:
    import jieba

SHOP_DICTIONARY = PROJECT_ROOT / "lexicon" / "shop_words.txt"
_CJK = re.compile(r"[\u4e00-\u9fff]")

# C0 controls but tab and newlines, DEL, and lone surrogates: no database stores them as text
# (PostgreSQL refuses NUL) and no person typed them.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _printable(text: str) -> str:
    if _UNPRINTABLE.search(text):
        raise ValueError("不能包含控制字符 / must not contain control characters")
    return text


PlainText = Annotated[str, AfterValidator(_printable)]
"""Text a person wrote (a request's, a policy file's): refused when it holds control characters.
Give it a max_length where it is used: every stored text has one."""


def normalise(text: str, keep_case: bool = False) -> str:
    """NFKC (full-width to half-width), lower case (unless `keep_case`: a name, an address or a
    promotion as it is shown), whitespace collapsed."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()
    return folded if keep_case else folded.lower()


# Where a message's parts part: punctuation and spaces (加绒的厚不厚 冬天能单穿吗).
CLAUSE_BREAK = re.compile(r"[\s，,。？?！!；;、~～]+")


def clause_parts(text: str) -> list[str]:
    """The parts of a message between its punctuation and spaces, in order."""
    return [part for part in CLAUSE_BREAK.split(text.strip()) if part]


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


@lru_cache
def _tagger() -> "jieba.posseg.POSTokenizer":
    import jieba.posseg

    return jieba.posseg.POSTokenizer(shop_tokenizer())  # type: ignore[call-arg]  # stubs omit it


# The 100 commonest surnames (about 85 % of people in China): a name has one, and tagging names
# is the costly part (jieba's HMM), so text without any is not tagged.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔向汤"
)


def person_names(text: str) -> list[str]:
    """What jieba tags as people's names in `text` (张伟, 王先生; brands named after people too:
    over-careful, for text that must not name anyone); only text with a common surname is
    tagged."""
    if not COMMON_SURNAMES.intersection(text):
        return []
    return [pair.word for pair in _tagger().cut(text) if pair.flag.startswith("nr")]
