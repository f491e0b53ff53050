"""The checker for public review replies (回评) and agents' private texts.

Every draft, drafted or edited by hand, is checked before it is sent. `check_reply` finds, in a
public reply: words 广告法 art. 9(3) bans (`absolute_claim`), compensation or requests tied to a
review (`inducement`), blaming the customer (`blame`), the customer's personal data
(`personal_data`), and a reply that is over the platform's limit (`too_long`) or `empty`.
`check_private_text` checks what an agent sends the customer in private (chat, offers): only
inducement and blame, since personal data and length are fine there.

The word lists, their exceptions and the limits are in `reply_rules.yaml`. Words are matched with
one Aho–Corasick automaton per list, built once, on the text normalised per character (NFKC,
ASCII lower case); every offset reported is into the text as given. `words.checks` says each
violation in Chinese.
"""

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Protocol

import ahocorasick  # type: ignore[import-not-found]  # pyahocorasick ships no type stubs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

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


# --- the rules file ------------------------------------------------------------------------------

Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
PlatformName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Limit = Annotated[int, Field(gt=0, le=100_000)]


class WordList(BaseModel):
    """Banned words of one kind, and the phrases that cancel a banned match they cover."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    banned: list[Word] = Field(min_length=1)
    exceptions: list[Word] = []

    @field_validator("banned", "exceptions")
    @classmethod
    def _normalised(cls, words: list[str]) -> list[str]:
        """Words as they are matched, so that a full-width ＱＱ in the file still matches."""
        return [normalise(w)[0] for w in words]

    @model_validator(mode="after")
    def _consistent(self) -> "WordList":
        for name, words in (("banned", self.banned), ("exceptions", self.exceptions)):
            repeated = sorted({w for w in words if words.count(w) > 1})
            if repeated:
                raise ValueError(f"{name} repeats {repeated}")
        both = sorted(set(self.banned) & set(self.exceptions))
        if both:
            raise ValueError(f"{both} both banned and excepted")
        useless = [e for e in self.exceptions if not any(b in e for b in self.banned)]
        if useless:
            raise ValueError(f"exceptions {useless} contain no banned word, so cancel nothing")
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
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    "|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
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
            r"(?<![0-9])1[3-9][0-9][-\s]?(?:[0-9]{4}|[*x]{4})[-\s]?[0-9]{4}(?![0-9])"
            r"|(?<![0-9])0[1-9][0-9]{1,2}-[0-9]{7,8}(?![0-9])"  # landline with its area code
            r"|尾号\s*[:：]?\s*[0-9]{4}(?![0-9])"
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
        re.compile(
            r"(?:路|街|巷|弄|大道|胡同|村|小区|花园|公寓|大厦|广场|苑)"
            r"\s*[0-9]+\s*(?:号楼|号院|号|栋|幢|单元|室)"
            r"(?:\s*[0-9]+\s*(?:号楼|栋|幢|单元|室|楼|层|号))*(?:[0-9]{2,4}(?![0-9]))?"
            r"|(?<![0-9])[0-9]+\s*(?:栋|幢|号楼)\s*[0-9]+\s*(?:单元|室)(?:\s*[0-9]+\s*室?)?"
            r"|(?<![0-9])[0-9]+\s*单元\s*[0-9]+\s*(?:室|号)"
        ),
    ),
)
# An address's place names before its street (浙江省杭州市西湖区文三), which the street regex
# above does not take in: searched for, ending where the street's match starts, only then. The
# leftmost match may take in a few words before the place, hence _ADDRESS_LEAD_INS.
_PLACE_BEFORE = re.compile(
    rf"(?:(?:{_PROVINCES})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?)?"
    rf"(?:[{_CJK}]{{2,4}}?(?:市|区|县|旗|镇|乡|街道|自治州))*[{_CJK}]{{0,4}}?$"
)
_HAS_ADDRESS_UNIT = re.compile(r"[0-9]\s*(?:号|栋|幢|单元|室)")
_ADDRESS_LEAD_INS = (
    "收货地址", "收件地址", "地址", "联系", "寄到", "送到", "发到", "发往", "寄往", "送往",
    "住在", "家住", "位于", "您的", "你的", "的", "是", "为", "在", "到", "住",
)  # fmt: skip

# A customer's name: a common surname before 先生/女士/小姐, or after 收件人/联系人/姓名. Only the
# common surnames, so that "这位先生" or "感谢您和先生" are not names.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔汤常温康施牛葛邢乔庞颜倪庄聂章鲁岳翟殷詹欧耿焦俞柳祝舒阮柯梅凌"
    "季裴霍涂苗盛翁骆蓝辛靳柴鲍喻祁蒲滕饶艾穆卓"
)
_TITLE = re.compile("先生|女士|小姐")
_NAME_LABEL = re.compile(r"(?:收件人|收货人|联系人|姓名)\s*(?:[:：]|是|为)?\s*")
_NOT_IN_NAME = frozenset("的已在和与您你我是为了等")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _names(norm: str) -> Iterator[tuple[int, int]]:
    for title in _TITLE.finditer(norm):
        at = title.start()
        if at >= 1 and norm[at - 1] in _SURNAMES:
            yield at - 1, title.end()  # 王先生
        elif at >= 2 and norm[at - 2] in _SURNAMES and _is_cjk(norm[at - 1]):
            yield at - 2, title.end()  # 李明先生, 欧阳先生
    for label in _NAME_LABEL.finditer(norm):
        end = label.end()
        if end < len(norm) and norm[end] in _SURNAMES:
            end += 1
            while end - label.end() < 3 and end < len(norm):
                if not _is_cjk(norm[end]) or norm[end] in _NOT_IN_NAME:
                    break
                end += 1
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


def _addresses(norm: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    for m in pattern.finditer(norm):
        if _is_cjk(norm[m.start()]):  # a street: its name and the places before it
            place = _PLACE_BEFORE.search(norm, max(0, m.start() - 40), m.start())
            start = place.start() if place else m.start()
            yield _trim_lead_in(norm, start, m.end()), m.end()
        else:
            yield m.start(), m.end()


def _personal_spans(norm: str) -> Iterator[tuple[int, int]]:
    yield from _names(norm)
    has_digit = _DIGIT.search(norm) is not None
    for kind, pattern in _PERSONAL_PATTERNS:
        # cheap tests first: all but a WeChat id and an email need a digit
        if kind == PersonalDataType.EMAIL:
            wanted = "@" in norm
        elif kind == PersonalDataType.ADDRESS:
            wanted = has_digit and _HAS_ADDRESS_UNIT.search(norm) is not None
        else:
            wanted = has_digit or kind == PersonalDataType.IM_ACCOUNT
        if not wanted:
            continue
        if kind == PersonalDataType.ADDRESS:
            yield from _addresses(norm, pattern)
        else:
            yield from (m.span() for m in pattern.finditer(norm))


def personal_data_type(found: str) -> PersonalDataType:
    """Which kind of personal data `found` (a `personal_data` violation's text) is."""
    norm, _ = normalise(found)
    for kind, pattern in _PERSONAL_PATTERNS:
        if pattern.search(norm):
            return kind
    if any(True for _ in _names(norm)):
        return PersonalDataType.NAME
    return PersonalDataType.ORDER_NUMBER


# --- the checker ---------------------------------------------------------------------------------


class _Automaton(Protocol):
    """The part of `ahocorasick.Automaton` used here."""

    def add_word(self, key: str, value: tuple[int, bool]) -> bool: ...
    def make_automaton(self) -> None: ...
    def iter(self, string: str) -> Iterator[tuple[int, tuple[int, bool]]]: ...


def _automaton(words: WordList) -> _Automaton:
    """Banned words and exceptions in one automaton: value (length, is_exception)."""
    automaton: _Automaton = ahocorasick.Automaton()
    for word in words.banned:
        automaton.add_word(word, (len(word), False))
    for word in words.exceptions:
        automaton.add_word(word, (len(word), True))
    automaton.make_automaton()
    return automaton


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one (a longer word found with a shorter one inside it)."""
    merged: list[tuple[int, int]] = []
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
        self._automata = {kind: _automaton(words) for kind, words in rules.word_lists().items()}

    def _word_spans(self, kind: ViolationKind, norm: str) -> list[tuple[int, int]]:
        banned: list[tuple[int, int]] = []
        excepted: list[tuple[int, int]] = []
        for last, (length, is_exception) in self._automata[kind].iter(norm):
            (excepted if is_exception else banned).append((last + 1 - length, last + 1))
        if excepted:
            banned = [
                (s, e) for s, e in banned if not any(es <= s and e <= ee for es, ee in excepted)
            ]
        return _merged(banned)

    def _violations(self, text: str, kinds: tuple[ViolationKind, ...]) -> list[Violation]:
        norm, origin = normalise(text)
        found: list[Violation] = []
        for kind in kinds:
            if kind == ViolationKind.PERSONAL_DATA:
                spans = _merged(list(_personal_spans(norm)))
            else:
                spans = self._word_spans(kind, norm)
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


def check_private_text(text: str) -> list[Violation]:
    """Inducement and blame in an agent's message or offer text to a customer (private, so
    personal data and length are fine), ordered by start."""
    return reply_checker().check_private_text(text)
