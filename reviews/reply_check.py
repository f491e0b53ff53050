"""The checker for public review replies (回评) and agents' private texts.

Every draft, drafted or edited by hand, is checked before it is sent. `check_reply` finds, in a
public reply: words 广告法 art. 9(3) bans (`absolute_claim`), compensation or requests tied to a
review (`inducement`), blaming the customer (`blame`), the customer's personal data
(`personal_data`), and a reply that is over the platform's limit (`too_long`) or `empty`.
`check_private_text` checks what an agent sends the customer in private (chat, offers): only
inducement and blame, since personal data and length are fine there.

The word lists, their exceptions and the limits are in `reply_rules.yaml`. Words are matched with
one Aho–Corasick automaton per list, built once, on the text normalised per character (NFKC,
ASCII lower case) and compacted (whitespace, punctuation and symbols left out, so that "好 评 返
现" is still 好评返现); every offset reported is into the text as given. Inducement also pairs a
review word with a reward or change word near it (`Near`), and personal data is found with
regular expressions on the normalised text. `words.checks` says each violation in Chinese.
"""

import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Protocol, TypeVar

import ahocorasick  # type: ignore[import-not-found]  # pyahocorasick ships no type stubs
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from core.places import PROVINCES
from core.policy_file import load_policy_file

RULES_FILE = Path(__file__).with_name("reply_rules.yaml")


class ViolationKind(StrEnum):
    ABSOLUTE_CLAIM = "absolute_claim"  # 广告法 art. 9(3) 绝对化用语
    INDUCEMENT = "inducement"  # a review bought, asked to be changed or removed
    BLAME = "blame"  # blaming or arguing with the customer
    PERSONAL_DATA = "personal_data"  # phone, order number, ID, email, IM id, name, address
    TOO_LONG = "too_long"  # over the platform's limit
    EMPTY = "empty"  # nothing but whitespace


@dataclass(frozen=True)
class Violation:
    """One violation. `found` is `text[start:end]`; for `too_long` it is the part past the limit
    and for `empty` the text itself, and both have start = end = 0."""

    kind: ViolationKind
    start: int
    end: int
    found: str
    limit: int | None = None  # too_long: the platform's limit


class PersonalDataType(StrEnum):
    """What kind of personal data a `personal_data` violation's text is (for its explanation)."""

    PHONE = "phone"
    ID_CARD = "id_card"
    EMAIL = "email"
    IM_ACCOUNT = "im_account"  # WeChat / QQ
    ORDER_NUMBER = "order_number"  # also tracking and other long numbers
    NAME = "name"
    ADDRESS = "address"


# --- normalisation -------------------------------------------------------------------------------


_nfkc = partial(unicodedata.normalize, "NFKC")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalise(text: str) -> tuple[str, list[int] | None]:
    """`text` as matched (NFKC per character, lower case), and for each of its characters the
    offset of the character of `text` it came from; None when that is the identity (no length
    changed: NFKC never makes a character empty)."""
    nfkc = "".join(map(_nfkc, text))
    norm = nfkc.lower()
    if len(norm) != len(nfkc):  # "İ" lowers to two characters: then ASCII only (slower)
        norm = nfkc.translate(_ASCII_LOWER)
    if len(norm) == len(text):
        return norm, None
    origin: list[int] = []
    for i, char in enumerate(text):
        origin.extend([i] * len(_nfkc(char)))
    return norm, origin


# What words are matched on: the normalised text without whitespace, punctuation or symbols, so
# that spaces or dots put inside a word ("好 评 返 现", "No.1") do not hide it. "%" stays: "100%"
# is a claim where "100" is not.
_KEPT = re.compile(r"(?:[^\W_]|%)+")
# Punctuation that ends a clause (after NFKC). A banned word is matched across it (it was put
# there to hide the word), but an exception or a pair of words near each other is not: "最好，在
# 同类中" is no consumption tip, and "感谢您的评价，退款已到账" pairs nothing.
_CLAUSE_END = re.compile(r"[,.!?;:。、\n\r]")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@dataclass(frozen=True)
class _View:
    """A normalised text as words are matched in it: `compact` without what `_KEPT` leaves out;
    `at[i]` is the offset in `norm` of `compact[i]` (None: they are the same); `clauses` the
    offsets in `compact` where a clause begins after a clause-ending mark left out before it."""

    norm: str
    compact: str
    at: list[int] | None
    clauses: list[int]

    def norm_span(self, start: int, end: int) -> tuple[int, int]:
        if self.at is None:
            return start, end
        return self.at[start], self.at[end - 1] + 1

    def crosses_clause(self, start: int, end: int) -> bool:
        """Whether a clause ends inside compact[start:end]."""
        i = bisect_right(self.clauses, start)
        return i < len(self.clauses) and self.clauses[i] < end

    def holds(self, start: int, end: int, ascii_start: bool, ascii_end: bool) -> bool:
        """Whether a word matched at compact[start:end] is one in the text. Spaced out ("好 评
        返 现", "好，评，返，现") it is; but not two words that only meet across a clause's end
        ("好评，送货很快": only a word spaced out character by character is matched across one),
        nor across a space in the middle of running text on both sides ("混乱 说重了")."""
        if ascii_start or ascii_end:
            return self._stands_alone(start, end, ascii_start, ascii_end)
        at = self.at
        if at is None:
            return True
        gaps = sum(1 for i in range(start + 1, end) if at[i] != at[i - 1] + 1)
        if not gaps:
            return True
        if self.crosses_clause(start, end):
            return gaps == end - start - 1
        inside_left = start > 0 and at[start] == at[start - 1] + 1
        inside_right = end < len(at) and at[end] == at[end - 1] + 1
        return gaps > 1 or not (inside_left and inside_right)

    def _stands_alone(self, start: int, end: int, ascii_start: bool, ascii_end: bool) -> bool:
        """Whether a match starting (ending) with an ASCII letter or digit has no other one
        before (after) it in the normalised text: "no.1" is not in "no.1023" nor "top1" in
        "laptop1"."""
        n_start, n_end = self.norm_span(start, end)
        if ascii_start and n_start > 0 and self.norm[n_start - 1] in _ASCII_ALNUM:
            return False
        return not (ascii_end and n_end < len(self.norm) and self.norm[n_end] in _ASCII_ALNUM)


def compact(norm: str) -> _View:
    """The view of a normalised text that words are matched in."""
    whole = _KEPT.fullmatch(norm)
    if whole is not None:
        return _View(norm, norm, None, [])
    parts: list[str] = []
    at: list[int] = []
    clauses: list[int] = []
    gap_start = 0
    for run in _KEPT.finditer(norm):
        if at and _CLAUSE_END.search(norm, gap_start, run.start()):
            clauses.append(len(at))
        parts.append(run.group())
        at.extend(range(run.start(), run.end()))
        gap_start = run.end()
    return _View(norm, "".join(parts), at, clauses)


def matched_form(word: str) -> str:
    """A word of the rules file as it is matched: normalised and compacted."""
    return compact(normalise(word)[0]).compact


# --- the rules file ------------------------------------------------------------------------------

Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
PlatformName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Limit = Annotated[int, Field(gt=0, le=100_000)]
Distance = Annotated[int, Field(ge=0, le=20)]


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from exc
    return pattern


RegularExpression = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_compiles)
]


def _matched_forms(words: list[str]) -> list[str]:
    """Words as they are matched, so that a full-width ＱＱ in the file still matches."""
    forms = [matched_form(w) for w in words]
    empty = [w for w, form in zip(words, forms, strict=True) if not form]
    if empty:
        raise ValueError(f"{empty} are only punctuation or spaces, which are not matched")
    return forms


def _no_repeats(name: str, words: list[str]) -> None:
    repeated = sorted({w for w in words if words.count(w) > 1})
    if repeated:
        raise ValueError(f"{name} repeats {repeated} (as matched: spaces and punctuation left out)")


def _all_contain(name: str, words: list[str], of: str, inside: list[str]) -> None:
    useless = [w for w in words if not any(i in w for i in inside)]
    if useless:
        raise ValueError(f"{name} {useless} contain no {of} word, so cancel nothing")


class Partners(BaseModel):
    """Words that make a review word near them inducement, and how near: at most `before`
    characters from the end of one of them to a review word after it, at most `after` from the
    end of a review word to one of them after it (spaces and punctuation not counted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    words: list[Word] = Field(min_length=1)
    before: Distance
    after: Distance

    @field_validator("words")
    @classmethod
    def _matched(cls, words: list[str]) -> list[str]:
        return _matched_forms(words)


class Near(BaseModel):
    """A review word and a partner word near each other, in either order and in one clause, are
    one match of the list (from the first word to the last, with any of these words touching
    it). A partner word inside a `not_partners` word is none (返 in 返回); between a review word
    and a partner word after it, an `apart` word not inside a `not_apart` word keeps them apart
    (the review is what is being answered: 评价中提到的退款)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    review: list[Word] = Field(min_length=1)
    partners: list[Partners] = Field(min_length=1)
    not_partners: list[Word] = []
    apart: list[Word] = []
    not_apart: list[Word] = []

    @field_validator("review", "not_partners", "apart", "not_apart")
    @classmethod
    def _matched(cls, words: list[str]) -> list[str]:
        return _matched_forms(words)

    @model_validator(mode="after")
    def _consistent(self) -> "Near":
        partner_words = [w for group in self.partners for w in group.words]
        _no_repeats(
            "near",
            [*self.review, *partner_words, *self.not_partners, *self.apart, *self.not_apart],
        )
        _all_contain("not_partners", self.not_partners, "partner", partner_words)
        _all_contain("not_apart", self.not_apart, "apart", self.apart)
        return self


class WordList(BaseModel):
    """Banned words of one kind, and the phrases that cancel a banned match they cover: words,
    and regular expressions on the matched form of the text (normalised, no spaces or
    punctuation); `near`: pairs of words near each other that are matches too."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    banned: list[Word] = Field(min_length=1)
    exceptions: list[Word] = []
    exception_patterns: list[RegularExpression] = []
    near: Near | None = None

    @field_validator("banned", "exceptions")
    @classmethod
    def _matched(cls, words: list[str]) -> list[str]:
        return _matched_forms(words)

    @model_validator(mode="after")
    def _consistent(self) -> "WordList":
        _no_repeats("banned", self.banned)
        _no_repeats("exceptions", self.exceptions)
        both = sorted(set(self.banned) & set(self.exceptions))
        if both:
            raise ValueError(f"{both} both banned and excepted")
        # an exception may cancel a pair of `near` words too
        cancellable = [*self.banned, *(self.near.review if self.near else [])]
        _all_contain("exceptions", self.exceptions, "banned", cancellable)
        return self


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    default: Limit
    platforms: dict[PlatformName, Limit] = {}


class ReplyRules(BaseModel):
    """reviews/reply_rules.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    limits: Limits
    absolute_claim: WordList
    inducement: WordList
    blame: WordList

    def word_lists(self) -> dict[ViolationKind, WordList]:
        return {
            ViolationKind.ABSOLUTE_CLAIM: self.absolute_claim,
            ViolationKind.INDUCEMENT: self.inducement,
            ViolationKind.BLAME: self.blame,
        }

    def limit(self, platform: str | None) -> int:
        """The reply length limit of `platform` (any case), the default when unknown."""
        key = (platform or "").strip().lower()
        return self.limits.platforms.get(key, self.limits.default)


class ReplyRulesError(ValueError):
    """reply_rules.yaml is missing or invalid; the message names the file."""


@cache
def load_reply_rules(path: Path = RULES_FILE) -> ReplyRules:
    return load_policy_file(path, ReplyRules, ReplyRulesError, "reply rules")


# --- personal data -------------------------------------------------------------------------------

_CJK = "\u4e00-\u9fff"
_DIGIT = re.compile(r"[0-9]")
_CN_DIGITS = "零〇一二三四五六七八九幺"  # a number read out digit by digit (幺: 1 on the phone)
_CN_NUMERAL = "零〇一二两三四五六七八九十百"
_NUMBER = rf"(?:[0-9]+|[{_CN_NUMERAL}]+)"  # 501, 八十八
_NOT_BEFORE_NUMBER = rf"(?<![0-9{_CN_NUMERAL}])"
_PROVINCE = "|".join(PROVINCES)
# On normalised text. A masked number (138****5678) is still personal data in a public reply:
# with the rest of the reply it points to one customer, and the platform masks what it shows.
_PERSONAL_PATTERNS: tuple[tuple[PersonalDataType, re.Pattern[str]], ...] = (
    (
        PersonalDataType.ID_CARD,
        re.compile(
            r"(?<![0-9a-z])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
            r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9x](?![0-9a-z])"
            r"|(?<![0-9])[0-9]{4,6}\*{6,12}[0-9]{3}[0-9x](?![0-9a-z])"
        ),
    ),
    (
        PersonalDataType.PHONE,
        re.compile(
            # a mobile, with the country code or not: +86 138 1234 5678
            r"(?<![0-9])(?:\+?86[-\s]?)?1[3-9][0-9][-\s]?(?:[0-9]{4}|[*x]{4})[-\s]?[0-9]{4}(?![0-9])"
            # a landline with its area code: 010-12345678, (010)12345678, 0571 88886666
            r"|(?<![0-9])(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})[-\s]?[0-9]{7,8}(?![0-9])"
            r"|尾号\s*[:：]?\s*[0-9]{4}(?![0-9])"
            # a mobile in Chinese numerals: 一三八一二三四五六七八
            rf"|(?<![{_CN_DIGITS}])[一幺][三四五六七八九](?:\s?[{_CN_DIGITS}]){{9}}(?![{_CN_DIGITS}])"
        ),
    ),
    (PersonalDataType.EMAIL, re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")),
    (
        PersonalDataType.IM_ACCOUNT,
        re.compile(
            r"(?:微信号?|威信|v信|vx|wx|wechat|weixin|qq号?|扣扣号?)\s*(?:[:：]|是|为|号)?\s*"
            r"[a-z0-9][a-z0-9_-]{4,19}(?![a-z0-9_-])"
        ),
    ),
    (
        PersonalDataType.ORDER_NUMBER,
        re.compile(
            r"(?:订单号|订单编号|订单|运单号|快递单号|物流单号|单号)\s*(?:[:：]|是|为)?\s*"
            r"[0-9a-z][0-9a-z-]{5,}"
            r"|(?<![0-9])[0-9]{10,}"  # order, tracking, card numbers: no reply needs one
        ),
    ),
    (
        PersonalDataType.ADDRESS,
        re.compile(  # a street and its number, or a building's; in digits or Chinese numerals
            rf"(?:路|街|巷|弄|大道|胡同|村|小区|花园|公寓|大厦|广场|苑)"
            rf"\s*{_NUMBER}\s*(?:号楼|号院|号|栋|幢|单元|室|弄)"
            rf"(?:\s*{_NUMBER}\s*(?:号楼|栋|幢|单元|室|楼|层|号))*(?:[0-9]{{2,4}}(?![0-9]))?"
            rf"|{_NOT_BEFORE_NUMBER}{_NUMBER}\s*(?:栋|幢|号楼)\s*{_NUMBER}\s*(?:单元|室)"
            rf"(?:\s*[0-9]+\s*室?)?"
            rf"|{_NOT_BEFORE_NUMBER}{_NUMBER}\s*单元\s*{_NUMBER}\s*(?:室|号)"
        ),
    ),
)
# An address's place names before its street (浙江省杭州市西湖区文三), which the street regex
# above does not take in: searched for, ending where the street's match starts, only then. The
# leftmost match may take in a few words before the place, hence _ADDRESS_LEAD_INS.
_PLACE_BEFORE = re.compile(
    rf"(?:(?:{_PROVINCE})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?)?"
    rf"(?:[{_CJK}]{{2,4}}?(?:市|区|县|旗|镇|乡|街道|自治州))*[{_CJK}]{{0,4}}?$"
)
_HAS_ADDRESS_UNIT = re.compile(rf"[0-9{_CN_NUMERAL}]\s*(?:号|栋|幢|单元|室)")
# A street named right after a city, district or county, with no number (杭州市西湖区文三路):
# places and the street name are characters that are not particles or pronouns. Not 路况, 路上,
# 街边, 街道 (a district's part) …: those are no street's name.
_PLACE_CHAR = rf"(?:(?![的了是在到往从与您你我他她们也就还会将说请给把被路街巷弄市区县])[{_CJK}])"
_STREET_ADDRESS = re.compile(
    rf"(?:(?:{_PROVINCE})(?:省|市|自治区)?)?(?:{_PLACE_CHAR}{{2,4}}?(?:市|区|县|旗|自治州))+"
    rf"{_PLACE_CHAR}{{1,5}}?(?:大道|大街|路|街|巷|弄|胡同)(?![况上途线面段口边旁费道])"
)
_HAS_STREET = re.compile("[路街巷弄道]|胡同")
_HAS_PLACE = re.compile("[市区县旗州]")
# Two parts of one address found apart (朝阳区望京街道 … 312号楼2单元601室) are one when what is
# between them is this short and has no space or punctuation.
_ADDRESS_GAP = re.compile(rf"[0-9a-z{_CJK}-]{{0,12}}")
_ADDRESS_LEAD_INS = (
    "收货地址", "收件地址", "地址", "联系", "寄到", "送到", "发到", "发往", "寄往", "送往",
    "住在", "家住", "位于", "您的", "你的", "的", "是", "为", "在", "到", "住",
)  # fmt: skip

# A person's name: a common surname and one or two characters before 先生/女士/小姐, or after
# 收件人/联系人/姓名, or after a role (快递员张伟, 客服王芳) or 我叫/我是. Only the common
# surnames, so that "这位先生" or "感谢您和先生" are not names.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔汤常温康施牛葛邢乔庞颜倪庄聂章鲁岳翟殷詹欧耿焦俞柳祝舒阮柯梅凌"
    "季裴霍涂苗盛翁骆蓝辛靳柴鲍喻祁蒲滕饶艾穆卓"
)
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙",
    "宇文", "轩辕", "司徒", "端木", "南宫", "西门", "独孤",
)  # fmt: skip
# Words that begin with a surname's character but name nobody ("客服马上会联系您", "我是江苏的").
_NOT_NAMES = frozenset((
    "马上", "任何", "方面", "方式", "方法", "方便", "方案", "高兴", "高度", "万一", "许多", "陆续",
    "曾经", "何时", "常常", "付款", "余额", "史上", "温馨", "辛苦", "严重", "毛病", "程序", "白领",
    "金额", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "周末", "周到", "周旋", "白天",
    "白搭", "金牌", "高效", "严格", "温柔", "常规", "颜值", "钱款", *PROVINCES,
))  # fmt: skip
_TITLE = re.compile("先生|女士|小姐")
# 收件人：张伟 names the customer whatever follows; after a role or 我是 the name must end the
# clause or be followed by a word that cannot be part of it (客服王芳会联系您).
_NAME_LABEL = re.compile(r"(?:收件人|收货人|联系人|姓名)\s*(?:[:：]|是|为)?\s*")
_ROLE_LABEL = re.compile(
    r"(?:快递员|快递小哥|配送员|派送员|送货员|骑手|客服|店长|我叫|我是)\s*(?:[:：]|是|叫)?\s*"
)
# What follows a name (and is never in one): 王芳会联系您, 张伟已签收
_AFTER_NAME = frozenset(
    "的已在和与您你我是为了等会将说也都就还把被对向跟请让给帮来去再又很啊呢吧哦呀"
)
_NOT_GIVEN = frozenset("这那位个各每此该其哪几两众诸")  # 这位先生, 谢各位女士
_THANKS_BEFORE = frozenset("感谢多致答道鸣酬代面称拜敬")  # 谢 after these is thanks: 感谢老先生


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _given(char: str) -> bool:
    """Whether `char` may be in a given name."""
    return _is_cjk(char) and char not in _AFTER_NAME and char not in _NOT_GIVEN


def _surname_at(norm: str, at: int) -> int:
    """The length of the surname at norm[at] (2 for 欧阳, 1 for 王), 0 when none is."""
    if norm.startswith(_COMPOUND_SURNAMES, at):
        return 2
    if at >= len(norm) or norm[at] not in _SURNAMES:
        return 0
    if norm[at] == "谢" and (
        (at > 0 and norm[at - 1] in _THANKS_BEFORE) or norm.startswith("谢谢", at)
    ):
        return 0  # thanks: 感谢, 谢谢
    return 1


def _name_end(norm: str, at: int, strict: bool) -> int | None:
    """The end of the name that starts at norm[at] (a surname and one or two characters), None
    when none does. `strict`: it must also be followed by the clause's end or `_AFTER_NAME`."""
    surname = _surname_at(norm, at)
    if not surname or norm[at : at + 2] in _NOT_NAMES:
        return None
    for given in (2, 1):
        end = at + surname + given
        if end > len(norm) or not all(_given(c) for c in norm[at + surname : end]):
            continue
        if not strict or end == len(norm) or not _is_cjk(norm[end]) or norm[end] in _AFTER_NAME:
            return end
    return None


def _titled_name_start(norm: str, at: int) -> int | None:
    """Where the name before a title at norm[at] (先生) starts: 王先生, 李明先生, 李明明先生,
    欧阳娜娜女士, the shortest that is one; None when the characters before it are no name."""
    for start in range(at - 1, max(-1, at - 5), -1):
        surname = _surname_at(norm, start)
        if surname and start + surname <= at and at - start - surname <= 2:
            return None if norm[start : start + 2] in _NOT_NAMES else start
        if not _given(norm[start]):
            return None
    return None


def _names(norm: str) -> Iterator[tuple[int, int]]:
    for title in _TITLE.finditer(norm):
        start = _titled_name_start(norm, title.start())
        if start is not None:
            yield start, title.end()
    for labels, strict in ((_NAME_LABEL, False), (_ROLE_LABEL, True)):
        for label in labels.finditer(norm):
            end = _name_end(norm, label.end(), strict)
            if end is not None:
                yield label.start(), end


def _trim_lead_in(norm: str, start: int, end: int) -> int:
    trimmed = True
    while trimmed:
        trimmed = False
        for lead in _ADDRESS_LEAD_INS:
            if norm.startswith(lead, start, end) and end - start > len(lead):
                start += len(lead)
                trimmed = True
    return start


def _with_places(norm: str, start: int, end: int) -> tuple[int, int]:
    """A street's span from `start` (its name or number) to `end`, with the places before it."""
    place = _PLACE_BEFORE.search(norm, max(0, start - 40), start)
    return _trim_lead_in(norm, place.start() if place else start, end), end


def _addresses(norm: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    for m in pattern.finditer(norm):
        if _is_cjk(norm[m.start()]):  # a street: its name and the places before it
            yield _with_places(norm, m.start(), m.end())
        else:
            yield m.start(), m.end()


def _streets_after_places(norm: str) -> Iterator[tuple[int, int]]:
    if _HAS_STREET.search(norm) and _HAS_PLACE.search(norm):
        for m in _STREET_ADDRESS.finditer(norm):
            yield _trim_lead_in(norm, m.start(), m.end()), m.end()


def _joined(norm: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Address spans, those with only a short gap of words or numbers between them as one."""
    spans = _merged(spans)
    for i, (start, end) in enumerate(spans):
        if i + 1 < len(spans) and _ADDRESS_GAP.fullmatch(norm, end, spans[i + 1][0]):
            spans[i + 1] = (start, spans[i + 1][1])
        else:
            yield start, end


def _personal_spans(norm: str) -> Iterator[tuple[int, int]]:
    yield from _names(norm)
    addresses = list(_streets_after_places(norm))
    has_digit = _DIGIT.search(norm) is not None
    for kind, pattern in _PERSONAL_PATTERNS:
        # cheap tests first: all but a WeChat id and an email need a digit
        if kind == PersonalDataType.EMAIL:
            wanted = "@" in norm
        elif kind == PersonalDataType.ADDRESS:
            wanted = _HAS_ADDRESS_UNIT.search(norm) is not None
        elif kind == PersonalDataType.PHONE:
            wanted = has_digit or "一" in norm or "幺" in norm
        else:
            wanted = has_digit or kind == PersonalDataType.IM_ACCOUNT
        if not wanted:
            continue
        if kind == PersonalDataType.ADDRESS:
            addresses.extend(_addresses(norm, pattern))
        else:
            yield from (m.span() for m in pattern.finditer(norm))
    if addresses:
        yield from _joined(norm, addresses)


def personal_data_type(found: str) -> PersonalDataType:
    """Which kind of personal data `found` (a `personal_data` violation's text) is."""
    norm, _ = normalise(found)
    for kind, pattern in _PERSONAL_PATTERNS:
        if pattern.search(norm):
            return kind
    if any(True for _ in _streets_after_places(norm)):
        return PersonalDataType.ADDRESS
    if any(True for _ in _names(norm)):
        return PersonalDataType.NAME
    return PersonalDataType.ORDER_NUMBER


# --- the checker ---------------------------------------------------------------------------------

_V = TypeVar("_V")


class _Automaton(Protocol[_V]):
    """The part of `ahocorasick.Automaton` used here, with values of type _V."""

    def add_word(self, key: str, value: _V) -> bool: ...
    def make_automaton(self) -> None: ...
    def iter(self, string: str) -> Iterator[tuple[int, _V]]: ...


def _ascii_ends(word: str) -> tuple[bool, bool]:
    """Whether `word` starts, ends with an ASCII letter or digit (see `_View.holds`)."""
    return word[0] in _ASCII_ALNUM, word[-1] in _ASCII_ALNUM


# (length, is_exception, starts with ASCII, ends with ASCII)
_WordValue = tuple[int, bool, bool, bool]


def _automaton(words: WordList) -> _Automaton[_WordValue]:
    """Banned words and exceptions in one automaton."""
    automaton: _Automaton[_WordValue] = ahocorasick.Automaton()
    for word in words.banned:
        automaton.add_word(word, (len(word), False, *_ascii_ends(word)))
    for word in words.exceptions:
        automaton.add_word(word, (len(word), True, *_ascii_ends(word)))
    automaton.make_automaton()
    return automaton


_Span = tuple[int, int]
# Roles of `Near` words; (length, role, partner group, starts with ASCII, ends with ASCII)
_REVIEW, _PARTNER, _NOT_PARTNER, _APART, _NOT_APART = range(5)
_NearValue = tuple[int, int, int, bool, bool]


def _covered(span: _Span, by: list[_Span]) -> bool:
    """Whether one of `by` covers `span`."""
    return any(s <= span[0] and span[1] <= e for s, e in by)


def _covered_any(spans: list[_Span], by: _Span) -> bool:
    """Whether `by` covers one of `spans`."""
    return any(by[0] <= s and e <= by[1] for s, e in spans)


class _NearWords:
    """The pairs of one `Near`: all its words in one automaton."""

    def __init__(self, near: Near) -> None:
        self._before = [group.before for group in near.partners]
        self._after = [group.after for group in near.partners]
        self._automaton: _Automaton[_NearValue] = ahocorasick.Automaton()
        roles = [
            (_REVIEW, 0, near.review),
            *((_PARTNER, g, group.words) for g, group in enumerate(near.partners)),
            (_NOT_PARTNER, 0, near.not_partners),
            (_APART, 0, near.apart),
            (_NOT_APART, 0, near.not_apart),
        ]
        for role, group, words in roles:
            for word in words:
                self._automaton.add_word(word, (len(word), role, group, *_ascii_ends(word)))
        self._automaton.make_automaton()

    def spans(self, view: _View) -> list[_Span]:
        """Each review word paired with a partner word near it, with the words touching them."""
        found: tuple[list[_Span], list[_Span], list[_Span], list[_Span], list[_Span]] = (
            [], [], [], [], []
        )  # fmt: skip
        groups: dict[_Span, int] = {}
        for last, (length, role, group, ascii_start, ascii_end) in self._automaton.iter(
            view.compact
        ):
            span = (last + 1 - length, last + 1)
            if not view.holds(*span, ascii_start, ascii_end):
                continue
            found[role].append(span)
            if role == _PARTNER:
                groups[span] = group
        reviews, partners, not_partners, apart, not_apart = found
        if not reviews or not partners:
            return []
        partners = [p for p in partners if not _covered(p, not_partners)]
        apart = [a for a in apart if not _covered(a, not_apart)]
        pairs: list[_Span] = []
        for r_start, r_end in reviews:
            for p_start, p_end in partners:
                group = groups[(p_start, p_end)]
                if p_start >= r_end:  # 好评 … 返
                    if p_start - r_end > self._after[group] or _covered_any(
                        apart, (r_end, p_start)
                    ):
                        continue
                elif p_end <= r_start and r_start - p_end > self._before[group]:  # 改 … 评价
                    continue
                span = (min(r_start, p_start), max(r_end, p_end))
                if not view.crosses_clause(*span):
                    pairs.append(span)
        return [_grown(pair, [*reviews, *partners], view) for pair in pairs]


def _grown(span: _Span, words: list[_Span], view: _View) -> _Span:
    """`span` with the words that touch it, in its clause (领 of 好评即可领 + 取 + 优惠券)."""
    start, end = span
    grown = True
    while grown:
        grown = False
        for s, e in words:
            touches = s <= end and start <= e and (s < start or end < e)
            if touches and not view.crosses_clause(min(s, start), max(e, end)):
                start, end, grown = min(s, start), max(e, end), True
    return start, end


def _merged(spans: list[_Span]) -> list[_Span]:
    """Overlapping spans as one (a longer word found with a shorter one inside it)."""
    merged: list[_Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class ReplyChecker:
    """The checks of one set of rules; its automata are built once and only read after."""

    def __init__(self, rules: ReplyRules) -> None:
        self.rules = rules
        lists = rules.word_lists()
        self._automata = {kind: _automaton(words) for kind, words in lists.items()}
        self._exception_patterns = {
            kind: tuple(re.compile(p) for p in words.exception_patterns)
            for kind, words in lists.items()
        }
        self._near = {kind: _NearWords(words.near) for kind, words in lists.items() if words.near}

    def _word_spans(self, kind: ViolationKind, view: _View) -> list[_Span]:
        """Spans of `view.compact`."""
        banned: list[_Span] = []
        excepted: list[_Span] = []
        for last, (length, is_exception, ascii_start, ascii_end) in self._automata[kind].iter(
            view.compact
        ):
            span = (last + 1 - length, last + 1)
            if not view.holds(*span, ascii_start, ascii_end):
                continue
            if not is_exception:
                banned.append(span)
            elif not view.crosses_clause(*span):
                excepted.append(span)
        near = self._near.get(kind)
        if near is not None:
            banned.extend(near.spans(view))
        if not banned:
            return banned
        for pattern in self._exception_patterns[kind]:
            excepted.extend(
                m.span()
                for m in pattern.finditer(view.compact)
                if not view.crosses_clause(*m.span())
            )
        if excepted:
            banned = [span for span in banned if not _covered(span, excepted)]
        return _merged(banned)

    def _violations(self, text: str, kinds: tuple[ViolationKind, ...]) -> list[Violation]:
        norm, origin = normalise(text)
        view: _View | None = None
        found: list[Violation] = []
        for kind in kinds:
            if kind == ViolationKind.PERSONAL_DATA:
                spans = _merged(list(_personal_spans(norm)))
            else:
                view = view or compact(norm)
                spans = [view.norm_span(*span) for span in self._word_spans(kind, view)]
            for start, end in spans:
                if origin is not None:
                    start, end = origin[start], origin[end - 1] + 1
                found.append(Violation(kind, start, end, text[start:end]))
        return found

    def check_reply(self, text: str, platform: str | None = None) -> list[Violation]:
        """Every violation in a public reply to a review on `platform`, ordered by start."""
        if not text.strip():
            return [Violation(ViolationKind.EMPTY, 0, 0, text)]
        found = self._violations(text, _REPLY_KINDS)
        limit = self.rules.limit(platform)
        if len(text) > limit:
            found.append(Violation(ViolationKind.TOO_LONG, 0, 0, text[limit:], limit))
        return sorted(found, key=_order)

    def check_private_text(self, text: str) -> list[Violation]:
        """Inducement and blame in an agent's private text to a customer, ordered by start."""
        return sorted(self._violations(text, _PRIVATE_KINDS), key=_order)


_REPLY_KINDS = (
    ViolationKind.ABSOLUTE_CLAIM,
    ViolationKind.INDUCEMENT,
    ViolationKind.BLAME,
    ViolationKind.PERSONAL_DATA,
)
_PRIVATE_KINDS = (ViolationKind.INDUCEMENT, ViolationKind.BLAME)
_KIND_ORDER = {kind: n for n, kind in enumerate(ViolationKind)}


def _order(v: Violation) -> tuple[int, int, int]:
    return v.start, v.end, _KIND_ORDER[v.kind]


_lock = threading.Lock()
_checkers: dict[Path, ReplyChecker] = {}


def reply_checker(path: Path = RULES_FILE) -> ReplyChecker:
    """The checker of the rules file at `path`, built once per process (thread-safe)."""
    checker = _checkers.get(path)
    if checker is None:
        with _lock:
            checker = _checkers.get(path)
            if checker is None:
                checker = _checkers[path] = ReplyChecker(load_reply_rules(path))
    return checker


def check_reply(text: str, platform: str | None = None) -> list[Violation]:
    """Every violation in a public review reply (all kinds), ordered by start."""
    return reply_checker().check_reply(text, platform)


PERSONAL_DATA_MASK = "***"


def mask_personal_data(text: str) -> str:
    """The text with each piece of personal data the checker finds (phone, order number, ID,
    email, IM id, name, address) replaced by ***: for readers who need the words, not the
    person (a manager's drill-down, an export)."""
    found = [v for v in check_reply(text) if v.kind == ViolationKind.PERSONAL_DATA]
    for violation in sorted(found, key=lambda v: v.start, reverse=True):
        text = text[: violation.start] + PERSONAL_DATA_MASK + text[violation.end :]
    return text


def check_private_text(text: str) -> list[Violation]:
    """Inducement and blame in an agent's message or offer text to a customer (private, so
    personal data and length are fine), ordered by start."""
    return reply_checker().check_private_text(text)
