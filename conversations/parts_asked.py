"""The part of something said a moment ago that a follow-up asks about.

A shopper who asks on after an answer (积分能抵现金不 after the membership rules, 那专票呢 after
the invoice rules, 直播间的价格算吗 after 价保) asks one part of it. The answer is split into its
sentences, and they are ranked against the follow-up with the FAQ search's own terms and BM25
(faq.text, faq.retrieval): a follow-up asking a kind of fact (多久, 在哪, 电话) takes the
sentences stating one; any other takes the sentences that share its words, when they are
clearly better than the rest. A follow-up asking by a word the answer covers with a broader one
(信用卡 for 银行卡, 周末 against 工作日: conversations/covering_words.yaml) points to the sentences
saying the broader word, and `Covered` names how. No part is found when every sentence answers
alike, or none.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from conversations.reading import QUESTION_WORDS, is_question
from core.policy_file import load_policy_file
from faq.text import terms

COVERING_WORDS_FILE = Path(__file__).with_name("covering_words.yaml")


class CoveringWordsError(ValueError):
    """The covering words file is missing or invalid."""


class CoveringWord(BaseModel):
    """An answer's word, with the words for what it includes and what it leaves out."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    said: str = Field(min_length=1)
    within: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()


class CoveringWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    covering: tuple[CoveringWord, ...]


@lru_cache(maxsize=1)
def covering_words() -> tuple[CoveringWord, ...]:
    """The entries of conversations/covering_words.yaml, in the file's order."""
    loaded = load_policy_file(COVERING_WORDS_FILE, CoveringWords, CoveringWordsError, "words")
    return loaded.covering


@dataclass(frozen=True)
class Covered:
    """The follow-up's word (信用卡, 周末) that the answer's broader word (银行卡, 工作日)
    covers: `within` it (a 信用卡 is a 银行卡) or not (a 周末 is no 工作日)."""

    asked: str
    said: str
    within: bool


def covered_in(part: str, question: str) -> Covered | None:
    """How the part of an answer said covers the follow-up's word, when it says the broader
    word of one the follow-up asks by and not the word itself; None otherwise."""
    for entry in covering_words():
        if entry.said not in part:
            continue
        for words, within in ((entry.within, True), (entry.outside, False)):
            asked = next((w for w in words if w in question and w not in part), None)
            if asked is not None:
                return Covered(asked, entry.said, within)
    return None


def _with_covering_words(question: str) -> str:
    """The follow-up with the broader words that cover the words it asks by (信用卡 → 银行卡)."""
    broader = [
        entry.said
        for entry in covering_words()
        if any(word in question for word in (*entry.within, *entry.outside))
    ]
    return "，".join([question, *broader])


# What a follow-up asks (多久, 在哪, 电话, 单号, 运费谁出, 多少, 纸质还是电子), and the words of a
# sentence that answers it (a date or a number of days, a place, a phone number...).
ASKS_AND_ANSWERS = tuple(
    (re.compile(asks), re.compile(answers))
    for asks, answers in (
        (
            r"多久|几天|多长时间|什么时候|啥时候|几号|哪天|几点|之内|以内|期限|截止|最晚|要等|多会|过期|有效期",
            r"\d+月\d+日|\d+(-\d+)?个?(工作日|天|小时)|\d{1,2}:\d{2}|当天|立即|马上",
        ),
        (
            r"哪里|哪儿|在哪|哪看|哪找|寄到哪|寄哪|退到哪|退哪|回哪|去哪|地址",
            r"寄到|退回|「|下载|地址|邮箱",
        ),
        (r"电话|手机号|号码|联系方式", r"电话|\d{3,4}-\d{7,8}"),
        (r"单号|运单", r"单号"),
        (r"运费|邮费|快递费|谁出|谁付|谁承担|到付", r"运费|到付|承担"),
        (r"多少钱|多少|几块|金额", r"¥|\d元"),
        (r"纸质|电子|纸的", r"电子|纸质"),
    )
)
SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
KEPT_SHARE = 0.6  # a sentence scoring this share of the best one answers too
# A short figure of the shopper's (便宜30, 39天) points to no sentence; an amount (满100减50) does.
_SHORT_NUMBER = re.compile(r"^w:\d{1,2}(\.\d+)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# One-character words that point to no sentence: units, counters, pronouns, auxiliaries.
_POINTS_NOWHERE = frozenset("天人个件元块次号月日年点分时他她它要会想还就都也不没有在说做让给被把")
# The question's own words (啥时候, 多少, 哪个) ask, they point to no sentence (等待的时候).
_ASKING_WORDS = re.compile(rf"(?:{QUESTION_WORDS.pattern})(?:时候|时间)?")
# An A-not-A question (积分能抵现金不, 能开专票没有) or a time asked (几点有人): asks something;
# 也没有, 还没 say that something is not (门卫那问过了 也没有).
_ASKS_TOO = re.compile(r"几|[^，,。\s也还都并就](?:不|没有?)\s*$")


def sentences_of(text: str) -> list[str]:
    """The sentences (and clauses ended by ；) of `text`, stripped."""
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def asks_something(question: str) -> bool:
    """Whether a follow-up asks something (a question word, …吗, 能抵现金不, 几点有人)."""
    return is_question(question) or bool(_ASKS_TOO.search(question.strip()))


def answering_part(text: str, question: str) -> str | None:
    """The sentences of `text` (said a moment ago) that answer `question`, a follow-up asking
    one part of it (多久 → the sentence with the date, 直播间的价格算吗 → the one naming 直播间
    专享价), in the order said; None when no sentence answers, or every sentence does alike."""
    sentences = sentences_of(text)
    if len(sentences) < 2:
        return None
    question = _with_covering_words(question)
    asked = [answers for asks, answers in ASKS_AND_ANSWERS if asks.search(question)]
    stating = [i for i, s in enumerate(sentences) if any(a.search(s) for a in asked)]
    scores, sharing = _word_scores(sentences, question)
    if stating and len(stating) < len(sentences):  # the kind of fact asked: its sentences
        kept = _best(stating, scores, sharing) or stating
    else:
        kept = _best(range(len(sentences)), scores, sharing)
    if not kept or len(kept) == len(sentences):
        return None
    return "".join(_ended(sentences[i]) for i in kept)


def _word_scores(sentences: list[str], question: str) -> tuple[np.ndarray, list[bool]]:
    """BM25 score of each sentence for the question's terms (faq.text), and whether it shares
    a word pointing to it: a two-character one, or a one-character verb (拍, 寄, 抵). No
    sentence sharing one, none is kept whatever it scores: nothing is indexed."""
    asked = [t for t in terms(question) if not _SHORT_NUMBER.match(t) and not t.startswith("p:")]
    documents = [terms(s) for s in sentences]
    topic = set(terms(_ASKING_WORDS.sub("，", question)))
    pointing = [t for t in asked if t in topic and (t.startswith("c:") or _pointing_word(t))]
    sharing = [any(t in document for t in pointing) for document in documents]
    if not any(sharing):
        return np.zeros(len(sentences)), sharing
    index = bm25s.BM25()
    index.index([d or ["∅"] for d in documents], show_progress=False)
    known = [t for t in asked if any(t in d for d in documents)]  # a shared pointing term
    return np.asarray(index.get_scores(known), dtype=np.float64), sharing


def _pointing_word(term: str) -> bool:
    """Whether a word term of the question can point to a sentence: any word of two
    characters or more, a one-character one unless a unit, a particle or a pronoun
    (39天, 有人, 他)."""
    if not term.startswith("w:"):
        return False
    word = term[2:]
    return len(word) > 1 or (_CJK.fullmatch(word) is not None and word not in _POINTS_NOWHERE)


def _best(positions: range | list[int], scores: np.ndarray, sharing: list[bool]) -> list[int]:
    """Of the sentences at `positions`, those sharing a word with the question that score at
    least KEPT_SHARE of the best of them."""
    candidates = [i for i in positions if sharing[i] and scores[i] > 0]
    if not candidates:
        return []
    best = max(scores[i] for i in candidates)
    return [i for i in candidates if scores[i] >= KEPT_SHARE * best]


def _ended(sentence: str) -> str:
    """A sentence said on its own: a clause ended by ； ends with 。."""
    if sentence.endswith(("；", ";")):
        return sentence[:-1] + "。"
    return sentence
