"""Turning a question into retrieval terms: words, character bigrams and pinyin bigrams.

Words catch exact vocabulary, characters and character bigrams catch other word splits and
partial matches, and pinyin bigrams catch homophone typos (发漂 → fa piao = 发票). Synonyms
are folded first.
"""

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

from core.text import normalise, words
from shop.policy import load_policy
from shop.regions import places_in

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
# Particles and fillers that say nothing about the topic.
FILLER_CHARS = set("的了吗呢啊呀吧嘛哈哦噢呗么亲嗯哇咧啦滴")
_FILLERS = "请问 你好 您好 在吗 在么 一下 我 你 您 我们 你们 是 这个 那个 怎么 什么 可以 能 亲亲"
FILLER_WORDS = frozenset(_FILLERS.split())
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_PUNCT_OR_SYMBOL = re.compile(r"^[\W_]+$")


@lru_cache
def _synonym_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over every variant and canonical word, longest first, and their mapping.

    Canonical words map to themselves, so a variant inside a canonical word (货到付 in 货到付款)
    is never replaced, and one left-to-right pass never rewrites its own output.
    """
    table = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")) or {}
    mapping: dict[str, str] = {}
    for canonical, variants in table.items():
        mapping[normalise(str(canonical))] = str(canonical)
        for variant in variants:
            mapping.setdefault(normalise(str(variant)), str(canonical))
    alternatives = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), mapping


def fold_synonyms(text: str) -> str:
    """`text` with every synonym replaced by its canonical word."""
    pattern, mapping = _synonym_matcher()
    return pattern.sub(lambda match: mapping[match.group(0)], text)


REMOTE = "偏远地区"  # what the shop's rules call the provinces they treat apart
ELSEWHERE = "外地"  # any other place: the rules treat them alike


def fold_places(text: str) -> str:
    """`text` with the places it names folded into what the shop's rules tell apart: a remote
    province or its city is 偏远地区; any other (寄哈尔滨运费多少, 成都几天能到) is 外地, so the
    entries that name one place (发到北京要几天) answer for every other."""
    remote = load_policy().shipping.remote_provinces
    for place, province in places_in(text):
        text = text.replace(place, REMOTE if province in remote else ELSEWHERE)
    return text


def terms(text: str) -> list[str]:
    """Retrieval terms of `text` (see `_terms`); cached, so rebuilding the index after an edit
    only tokenises what changed."""
    return list(_terms(text))


@lru_cache(maxsize=200_000)
def _terms(text: str) -> tuple[str, ...]:
    """Retrieval terms of `text`, prefixed by kind.

    w: jieba word, u: Chinese character, c: character bigram, p: pinyin bigram. Bigrams are
    taken within runs of kept Chinese words, so fillers never bridge two words.
    """
    kept, runs, run = [], [], ""
    for word in words(fold_places(fold_synonyms(normalise(text)))):
        if word in FILLER_WORDS or word in FILLER_CHARS or _PUNCT_OR_SYMBOL.match(word):
            runs.append(run)
            run = ""
            continue
        kept.append(f"w:{word}")
        if _CJK_RUN.fullmatch(word):
            run += word
        else:
            runs.append(run)
            run = ""
    runs.append(run)
    out = kept
    for chars in filter(None, runs):
        out += [f"u:{char}" for char in chars]
        out += [f"c:{chars[i : i + 2]}" for i in range(len(chars) - 1)]
        syllables = lazy_pinyin(chars)
        out += [f"p:{syllables[i]}_{syllables[i + 1]}" for i in range(len(syllables) - 1)]
    return tuple(out)
