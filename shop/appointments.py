"""Delivery appointments in the shopper's words: which day, which hours, which place.

`read_appointment` reads "周六下午送", "明天18点以后", "12月8号上午", "放快递柜" against the
moment the shopper said it; `appointment_problem` checks one against the shop's policy
(shop/logistics_policy.yaml, `appointments`). An appointment travels through the chat as a short
code (`DeliveryAppointment.code`), so a relative day ("明天") keeps meaning the day it meant.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from core.clock import to_shop_time, utcnow
from core.text import normalise
from shop.models import DeliveryPlace, Order, OrderStatus
from shop.orders import LONG_NUMBER
from shop.policy import AppointmentRule, DayPart, load_policy


@dataclass(frozen=True)
class DeliveryAppointment:
    """When and where the parcel should come: a local day, whole local hours [from, until) and
    a place (None where the shopper did not say: any day it arrives, any hour, at the door);
    `place_note` is the place in the shopper's own words when they say more than its kind
    (汇贤居北门门卫室 for a gatehouse), passed on with it."""

    day: date | None = None
    from_hour: int | None = None
    until_hour: int | None = None
    place: DeliveryPlace | None = None
    place_note: str | None = None

    @property
    def empty(self) -> bool:
        return not self.timed and self.place is None

    @property
    def timed(self) -> bool:
        """Whether it names a day or hours (not only a place)."""
        return (self.day, self.from_hour, self.until_hour) != (None, None, None)

    @property
    def day_part(self) -> DayPart | None:
        """The part of the day these hours are, by the policy (上午 for 9-12), if exactly one."""
        hours = (self.from_hour, self.until_hour)
        parts = load_policy().appointments.day_parts
        return next((part for part, span in parts.items() if span == hours), None)

    def code(self) -> str:
        """`2026-12-08|18|21|locker`, `-` for what was not said; the place's own words, when
        said, follow as a fifth part (`-|-|-|gatehouse|汇贤居北门门卫室`)."""
        fields = (self.day and self.day.isoformat(), self.from_hour, self.until_hour, self.place)
        code = "|".join("-" if f is None else str(f) for f in fields)
        return f"{code}|{self.place_note}" if self.place_note and self.place else code

    @classmethod
    def from_code(cls, code: str) -> "DeliveryAppointment | None":
        """The appointment a code stands for, or None when it is not one."""
        parts = code.split("|")
        if len(parts) not in (4, 5):
            return None
        day, start, end, place = (None if p == "-" else p for p in parts[:4])
        note = parts[4] if len(parts) == 5 and place else None
        try:
            return cls(
                date.fromisoformat(day) if day else None,
                int(start) if start else None,
                int(end) if end else None,
                DeliveryPlace(place) if place else None,
                note or None,
            )
        except ValueError:
            return None


class AppointmentProblem(StrEnum):
    UNCLEAR = "unclear"  # no day, hours or place could be read
    PAST = "past"
    TOO_SOON = "too_soon"  # an order not shipped yet cannot come that soon
    TOO_FAR = "too_far"  # beyond how long the carrier holds a parcel
    OUTSIDE_HOURS = "outside_hours"
    WHICH_DAY = "which_day"  # 明天 said after midnight: today or the day after, asked


@dataclass(frozen=True)
class AppointmentRejected:
    """Why an appointment cannot be made; `day` is the earliest or latest possible day,
    `hours` the carriers' delivery hours."""

    problem: AppointmentProblem
    day: date | None = None
    hours: tuple[int, int] | None = None
    choices: tuple[DeliveryAppointment, ...] = ()  # WHICH_DAY: the wish on each day it may mean


# --- reading the words ------------------------------------------------------------------------

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
CN_DIGITS |= {"八": 8, "九": 9}
CN_NUMBER = re.compile(r"[零一二两三四五六七八九十]{1,3}(?=[月号日点时:])")
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
WEEKDAYS |= {str(n): n - 1 for n in range(1, 8)}

RELATIVE_DAYS: tuple[tuple[str, int], ...] = (
    *(("大后天", 3), ("后天", 2), ("昨天", -1), ("前天", -2)),
    *(("明天", 1), ("明日", 1), ("明儿", 1), ("明早", 1), ("明晚", 1)),
    *(("今天", 0), ("今日", 0), ("今儿", 0), ("今晚", 0)),
)
# What follows a day the shopper will be away on: 明天家里没人, 周六不在家, 后天没空
# (周六下午送行不行 asks; 周日上午送 不行就放快递柜 is a fallback after the wish: neither is away)
AWAY = re.compile(
    r"[^，,。.!！?？;；\s]{0,4}?(?:没人|不在|没空|不方便|收不了|没时间|(?<!行)不行(?!就|的话)|不一定在"
    r"|不一定有人|不确定在)"
)
# A day that says when the parcel comes as things stand (今天送的空气炸锅, 明天到的那个,
# 今天在派送): no wish.
REPORTED_AFTER = re.compile(
    r"(?:要)?(?:送的|到的|派送的|派的|来的|签收的)|(?:正)?在(?:派送|派件|配送|送)|派送中|派件中"
)
WEEKDAY = re.compile(r"(下下|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天1-7])")
WEEKEND = re.compile(r"(下下|下个?|这个?|本)?(?:周末|礼拜天和礼拜六)")
MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*[月./]\s*(\d{1,2})\s*[日号]?(?!\d)")
# "8号" alone is a day of the month, not a house number ("文三路10号", "3号楼")
DAY_OF_MONTH = re.compile(
    r"(?<![\d路街道巷弄里村栋幢楼室区院号])(\d{1,2})\s*[号日](?![楼栋幢室院门\d])"
)

PARTS = (
    (DayPart.MORNING, ("上午", "早上", "早晨", "一早", "明早", "大早")),
    (DayPart.NOON, ("中午",)),
    (DayPart.AFTERNOON, ("下午", "午后")),
    (DayPart.EVENING, ("晚上", "傍晚", "今晚", "明晚", "晚间", "夜里", "下班后", "下班以后")),
)
HOUR = r"(\d{1,2})(?:\s*(?:点|时|:\d{2})(?:半|钟)?)"
HOUR_RANGE = re.compile(HOUR + r"?\s*(?:到|至|-|~|～)\s*(?:上午|中午|下午|晚上|傍晚)?" + HOUR)
PAST_THE_HOUR = re.compile(r"\s*(?:点|时)?\s*(?:半|:(?!00)\d{2})")
HOUR_AFTER = re.compile(HOUR + r"\s*(?:以后|之后|过后|后)")
HOUR_BEFORE = re.compile(HOUR + r"\s*(?:以前|之前|前)")
HOUR_AT = re.compile(HOUR + r"(?!\s*(?:到|至|-|~|～))")

PLACES = (
    (DeliveryPlace.LOCKER, ("快递柜", "丰巢", "智能柜", "自提柜", "储物柜")),
    (DeliveryPlace.GATEHOUSE, ("门卫", "传达室", "保安室", "保安亭", "门岗", "物业", "前台")),
    (
        DeliveryPlace.PICKUP_STATION,
        ("驿站", "代收点", "自提点", "快递站", "菜鸟", "小卖部", "便利店", "小超市"),
    ),
)
PUT = re.compile(r"(?:放|存|搁|送到|送去|寄到)(?:到|在|进)?$")
# A place said as where the shopper already looked (驿站我去问了没有, 快递柜也翻了): no wish.
SEARCHED = re.compile(
    r"^\s*(?:我|也|都|我也|我都)?(?:去|又去)?(?:问|找|翻|看|查|跑)(?:了|过|遍)"
    r"|^\s*(?:里|那|那边|那里)?(?:也|都)?没(?:有|找到|拿到|看到|见)"
)
NEGATION = re.compile(r"(?:不要|别|不用|不想|不|勿)(?:给我|帮我)?(?:放|送|搁|存)?(?:到|在|进)?$")
# A place named for what is wrong with it (门卫老丢东西, 柜子塞得进吗): no wish for it.
COMPLAINED = re.compile(
    r"^\s*(?:那边|那里|那儿)?(?:老|总|经常|容易|常)(?:是)?(?:丢|被拿|不靠谱|出问题)"
    r"|^\s*(?:不安全|不靠谱|塞得进|塞不进|放得下|放不下|满了|装得下|装不下)"
    r"(?!(?:的话)?\s*(?:再|就))"  # 快递柜放不下再放门卫: the locker first, the gatehouse after
)

# Words that make a message about when or where the parcel comes (read_change's field words).
SCHEDULE_WORDS = (
    "改天",
    "再送",
    "晚点送",
    "晚些送",
    "送货时间",
    "配送时间",
    "派送时间",
    "送达时间",
    "上门时间",
    "指定时间",
    "约时间",
    "约个时间",
    "预约",
    "不在家",
    "家里没人",
    "没人在家",
    "没人收",
    "送过来",
    "派送",
)
DELIVERY_VERBS = re.compile(r"送|派|配送|到货|上门")


# Two neighbouring hours said together (两三点, 七八点): a range of an hour, not 23点.
NEIGHBOUR_HOURS = re.compile(r"([一二两三四五六七八九])([二三四五六七八九十])(?=点)")
# 一点 meaning "a little" (快一点, 早一点送, 晚一点也行): no hour.
A_LITTLE = re.compile(
    r"(?<=[快慢早晚好多少大小有差轻重高低])一点(?!\s*(?:以后|之后|后|以前|之前|前|左右|半|到|至|-))"
)


def _digits(text: str) -> str:
    """Chinese numerals before 月/号/日/点 as digits: 十二月八号 → 12月8号, 六点 → 6点, 两三点 →
    2到3点; 一点 as "a little" (快一点) is no hour."""
    text = A_LITTLE.sub("些", text)

    def neighbours(match: re.Match[str]) -> str:
        first, second = CN_DIGITS[match.group(1)], CN_DIGITS.get(match.group(2), 10)
        return f"{first}点到{second}" if second == first + 1 else match.group(0)

    text = NEIGHBOUR_HOURS.sub(neighbours, text)

    def value(match: re.Match[str]) -> str:
        word = match.group(0)
        if "十" not in word:
            return "".join(str(CN_DIGITS[c]) for c in word)
        tens, _, ones = word.partition("十")
        return str(CN_DIGITS.get(tens, 1) * 10 + CN_DIGITS.get(ones, 0))

    return CN_NUMBER.sub(value, text)


def _week_shift(prefix: str | None) -> int:
    return {"下下": 2, "下": 1, "下个": 1}.get(prefix or "", 0)


# Words before a day that report what someone else said of it (快递说今天送, 物流显示明天到): the
# day of the report, never the shopper's wish.
REPORTED = re.compile(r"(?:说|显示|写着?|预计|提示|通知)[^，,。.!！?？;；\s]{0,2}$")
# Shop hours when "明天" is ambiguous: a shopper still up after midnight may mean the day that
# has just begun (the night not yet slept) or the one after.
SMALL_HOURS_END = 5
TOMORROW_WORDS = ("明天", "明日", "明儿", "明早", "明晚")


def tomorrow(now: datetime) -> tuple[date, ...]:
    """The days "明天" may mean at `now`, read from the shop's clock: the shop's date + 1, or,
    between midnight and SMALL_HOURS_END, also the date that has just begun (asked, never
    guessed)."""
    local = to_shop_time(now)
    after = local.date() + timedelta(days=1)
    return (local.date(), after) if local.hour < SMALL_HOURS_END else (after,)


# A day refused right before it is named (别周末送, 不要周六周日送, 周末不行): not the day wished.
DAY_REFUSED = re.compile(
    r"(?:别|(?<!要)不要|(?<!能)不能|(?<!用)不用|(?<!想)不想|避开|除了)(?:在|是|给我)?(?:这个|下个|下)?"
    r"(?:(?:(?:周|星期|礼拜)[一二三四五六日天1-7]|周末)[和、或跟与]?)*$"
)


def _read_day(text: str, today: date) -> date | None:
    """The first day named that the shopper does not say they are away on, nor reports
    (明天家里没人 后天送吧 → 后天; 明天家里没人 改天送 → none; 快递说今天送 能明天送吗 → 明天)."""
    found = _wished_day(text, today)
    return found[2] if found else None


def _wished_day(text: str, today: date) -> tuple[int, int, date] | None:
    """The mention (start, end, day) of the day the shopper wishes for (see `_read_day`)."""
    taken = -1
    for start, end, day in sorted(_days_named(text, today), key=lambda d: (d[0], -d[1])):
        if start < taken:
            continue  # inside a longer mention: 后天 in 大后天, 8号 in 12月8号
        taken = end
        reported = REPORTED.search(text[:start]) or REPORTED_AFTER.match(text, end)
        refused = DAY_REFUSED.search(text[:start])  # 别周末送, 不要周六周日送: never that day
        if day is not None and not AWAY.match(text, end) and not reported and not refused:
            return start, end, day
    return None


def tomorrow_choices(text: str, now: datetime) -> tuple[date, ...]:
    """The days the wish's "明天" may mean when it is ambiguous (said between midnight and
    SMALL_HOURS_END shop time): (today, the day after); () when the day wished is not 明天 or
    is plain."""
    clean = _digits(normalise(text))
    wished = _wished_day(clean, to_shop_time(now).date())
    days = tomorrow(now)
    if wished is None or len(days) < 2 or clean[wished[0] : wished[1]] not in TOMORROW_WORDS:
        return ()
    return days


def _days_named(text: str, today: date) -> Iterator[tuple[int, int, date | None]]:
    """Every day the words name, as (start, end, day)."""
    for word, days in RELATIVE_DAYS:
        for found in re.finditer(word, text):
            yield found.start(), found.end(), today + timedelta(days=days)
    monday = today - timedelta(days=today.weekday())
    for found in WEEKEND.finditer(text):
        if shift := _week_shift(found.group(1)):
            day = monday + timedelta(weeks=shift, days=5)
        else:
            day = next(
                today + timedelta(days=n)
                for n in range(1, 8)
                if (today + timedelta(days=n)).weekday() >= 5
            )
        yield found.start(), found.end(), day
    for found in WEEKDAY.finditer(text):
        shift, weekday = _week_shift(found.group(1)), WEEKDAYS[found.group(2)]
        day = monday + timedelta(weeks=shift, days=weekday)
        # 周六 said on a Saturday is next Saturday (today is 今天); 这周六 is today
        bare = found.group(1) is None
        later = day < today or (bare and day == today)
        yield found.start(), found.end(), day + timedelta(weeks=1) if not shift and later else day
    for found in MONTH_DAY.finditer(text):
        yield found.start(), found.end(), _month_day(today, int(found[1]), int(found[2]))
    for found in DAY_OF_MONTH.finditer(text):
        number = int(found[1])
        month = today.month if number >= today.day else today.month % 12 + 1
        yield found.start(), found.end(), _month_day(today, month, number)


def _month_day(today: date, month: int, day: int) -> date | None:
    """That day in this year, or in the next when it is months behind (12月 said in 1月)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today - timedelta(days=60):
            return candidate
    return None


def _parts(text: str) -> set[DayPart]:
    return {part for part, words in PARTS if any(word in text for word in words)}


# What follows a part of the day the shopper will be out for: 下午我出门, 上午要上班
PART_AWAY = re.compile(
    r"[^，,。.!！?？;；\s上下中晚早]{0,3}?(?:没人|不在|没空|不方便|收不了|没时间|不行|出门|上班|出去)"
)


def _wanted_parts(text: str) -> set[DayPart]:
    """The parts of the day named, less those the shopper says they are out for (周六上午吧
    下午我出门 → the morning); all of them when every one is said to be out."""
    named = _parts(text)
    return named - _parts_away(text) or named


def _parts_away(text: str) -> set[DayPart]:
    """The parts of the day the shopper says they are out for (下午我出门, 上午要上班)."""
    return {
        part
        for part, words in PARTS
        for word in words
        for found in re.finditer(word, text)
        if PART_AWAY.match(text, found.end())
    }


def _hour(text: str, match: re.Match[str], group: int, up: bool = False) -> int:
    """A clock hour as shoppers say it: 3点 after 下午/晚上 (said just before it, or as the
    message's only part of the day) is 15; 1-7 with no part said is afternoon too. `up`: a
    half hour counts as the next whole hour (两点半以后 → from 15)."""
    hour = int(match.group(group))
    if up and PAST_THE_HOUR.match(text, match.end(group)):
        hour += 1
    parts = _parts(text[max(0, match.start(group) - 4) : match.start(group)])
    if not parts and len(said := _parts(text)) == 1:
        parts = said
    if hour < 12 and (parts & {DayPart.AFTERNOON, DayPart.EVENING} or (hour <= 7 and not parts)):
        hour += 12
    return hour


def hour_said(text: str) -> int | None:
    """The clock hour a message names (晚上八点多 → 20, 下午3点前 → 15), on the 24-hour clock;
    None when it names none."""
    clean = _digits(normalise(text))
    for pattern in (HOUR_BEFORE, HOUR_AFTER, HOUR_AT):
        if match := pattern.search(clean):
            hour = _hour(clean, match, 1)
            return hour if 0 <= hour <= 23 else None
    return None


def _read_hours(text: str, rule: AppointmentRule) -> tuple[int | None, int | None]:
    if match := HOUR_RANGE.search(text):
        start, end = _hour(text, match, 1, up=True), _hour(text, match, 2)
        return start, end if end > start else None
    if match := HOUR_AFTER.search(text):
        return _hour(text, match, 1, up=True), None
    if match := HOUR_BEFORE.search(text):
        return None, _hour(text, match, 1)
    if match := HOUR_AT.search(text):
        start = _hour(text, match, 1)
        return start, start + 1
    # 下午 or 下午或者晚上: from the earliest start to the latest end
    if parts := _wanted_parts(text):
        spans = [rule.day_parts[part] for part in parts]
        return min(s for s, _ in spans), max(e for _, e in spans)
    return None, None


def _read_place(text: str) -> DeliveryPlace | None:
    """The place asked for: one named right after 放/存/送到, else the last one not refused
    (快递柜满了 放门卫吧 → the gatehouse; 放门卫 别放快递柜 → the gatehouse)."""
    named = []
    for place, words in PLACES:
        for word in words:
            for found in re.finditer(re.escape(word), text):
                before = text[max(0, found.start() - 6) : found.start()]
                after = text[found.end() :]
                if NEGATION.search(before) or SEARCHED.search(after) or COMPLAINED.search(after):
                    continue
                second = _second_choice_at(text, found.start()) is not None
                named.append((not second, bool(PUT.search(before)), found.start(), place))
    return max(named)[3] if named else None


# What leads to a place wanted only if the first one will not do (先放快递柜 放不下再放门卫,
# 快递柜满了的话就放门卫): the first place is the wish, this one its fallback.
SECOND_CHOICE = re.compile(
    r"(?:放不下|放不进|塞不下|装不下|满了的话|没位置|没地方|不行)(?:的话)?(?:再|就)"
    r"(?:放|存|搁|送到|给)?(?:到|在|进)?$"
)


def _second_choice_at(text: str, at: int) -> re.Match[str] | None:
    """The lead that makes the place named at `at` a fallback, if there is one."""
    return SECOND_CHOICE.search(text[max(0, at - 8) : at])


def _with_the_fallback(text: str, place: DeliveryPlace | None, note: str | None) -> str | None:
    """The place's note with a fallback place said after it (快递柜，放不下再放门卫); the note as
    it was when the words name no other place for when this one will not do."""
    if place is None:
        return note
    for other, words in PLACES:
        for word in words:
            at = text.find(word)
            if other == place or at < 0 or (lead := _second_choice_at(text, at)) is None:
                continue
            first = note or next(w for w in dict(PLACES)[place] if w in text)
            fallback = text[max(0, at - 8) + lead.start() : at + len(word)]
            return first if fallback in first else f"{first}，{fallback}"[:NOTE_MAX_CHARS]
    return note


# Around the place in the shopper's words: who is to leave it and how (让快递放, 帮我放到), and
# the filler a place is said with (那个, 就行, 吧); what is left is the place as they name it.
NOTE_LEAD = re.compile(
    r"^(?:(?:那|就|那就|麻烦|请|帮我|让|叫)*(?:快递员?|小哥|师傅)?(?:给我|帮我)?"
    r"(?:放|存|搁|送到|送去|寄到|送)(?:到|在|进)?)"
)
NOTE_VERB = re.compile(r"(?:放|存|搁|送到|送去|寄到)(?:到|在|进)?")
NOTE_FILLER = re.compile(r"那个|这个|那边|这边")
NOTE_TRAIL = re.compile(
    r"(?:就行|就好|就可以|可以|那儿|那里|这儿|这里|里面|里|吧|哈|呀|啊|哦|了|的)+$"
)
NOTE_SPLIT = re.compile(r"[\s，,。.!！?？;；]+")
NOTE_MAX_CHARS = 20


def _place_note(text: str, place: DeliveryPlace | None) -> str | None:
    """The place in the shopper's own words when they say more than its kind, or name it by
    another word: 汇贤居北门那个门卫室 → 汇贤居北门门卫室, 让快递放小区门卫 → 小区门卫, 送前台就行 →
    前台; None for a bare 放门卫 (门卫就行)."""
    kind_words = next((ws for kind, ws in PLACES if kind == place), ())
    for clause in NOTE_SPLIT.split(text):
        word = next((w for w in kind_words if w in clause), None)
        if word is None or NEGATION.search(clause[: clause.index(word)]):
            continue
        at = clause.index(word)
        verbs = list(NOTE_VERB.finditer(clause, 0, at))
        named = clause[verbs[-1].end() :] if verbs else NOTE_LEAD.sub("", clause)
        note = NOTE_TRAIL.sub("", NOTE_FILLER.sub("", named)).replace("|", "")
        extra = len(note) - len(word)
        # 送前台就行: a place to hand it to named by another word (前台, 物业) is said as named
        own_word = kind_words.index(word) == 0 or place != DeliveryPlace.GATEHOUSE
        if (extra < 2 and own_word) or len(note) > NOTE_MAX_CHARS or LONG_NUMBER.search(note):
            continue
        if (
            _read_day(note, date.today()) is None
            and _parts(note) == set()
            and not any(
                pattern.search(note) for pattern in (HOUR_RANGE, HOUR_AFTER, HOUR_BEFORE, HOUR_AT)
            )
        ):  # a day or hours said with the place are the appointment's, not the place's name
            return note
    return None


def read_appointment(text: str, now: datetime) -> DeliveryAppointment:
    """The day, hours and place the words ask for, as of `now` (in the shop's time zone)."""
    clean = _digits(normalise(text))
    start, end = _read_hours(clean, load_policy().appointments)
    place = _read_place(clean)
    if place in UNATTENDED and (named := _parts(clean)) and named <= _parts_away(clean):
        start = end = None  # 我下午不在 放小区快递柜吧: the hours out, the locker whenever
    note = _with_the_fallback(clean, place, _place_note(clean, place))
    return DeliveryAppointment(_read_day(clean, to_shop_time(now).date()), start, end, place, note)


# A clause that takes part of a wish back (周六算了, 明天上午那个就不要了, 别送上门) or says the
# shopper is out then after all (明天上午我也得出去): what it names is dropped from the wish.
TAKEN_BACK = re.compile(
    r"算了|不要了|不用了|不需要了|(?:不要|不用|别)(?!给我放|帮我放|放|搁|存|送到|送去)|取消|作废|"
    r"(?:也|还|要|得)?(?:出去|出门|出差|不在|没人|没空|上班)"
)
# A place named as what to do if the time said back does not work (实在不行就放快递柜, 没人的话
# 就放驿站): added to the day and hours, never instead of them.
FALLBACK = re.compile(
    r"不行(?:的话)?就|送不到(?:的话)?就|没人(?:的话)?就|不在(?:家)?(?:的话)?就|要不然就|否则"
)
# Places where the parcel waits to be picked up: a time to hand it over means nothing there, so
# naming one alone replaces the day and hours said back (直接放快递柜吧 after 明天上午).
UNATTENDED = (DeliveryPlace.LOCKER, DeliveryPlace.PICKUP_STATION)


def _kept_and_dropped(text: str) -> tuple[str, str]:
    """The message's clauses that ask for something, and those that take something back."""
    kept: list[str] = []
    dropped: list[str] = []
    for clause in NOTE_SPLIT.split(text):
        # 算了放小区门卫: the sigh takes back what was said back, the wish after it is kept
        sigh, wish = _after_a_sigh(clause)
        if wish:
            dropped.append(sigh)
            kept.append(wish)
            continue
        (dropped if TAKEN_BACK.search(clause) else kept).append(clause)
    return " ".join(kept), " ".join(dropped)


_SIGH_THEN = re.compile(r"^(?P<sigh>(?:那|还是)?算了(?:吧)?)(?P<wish>(?:放|存|搁|送到|改|送).+)$")


def _complains_of(text: str, place: DeliveryPlace) -> bool:
    """Whether the words name `place` for what is wrong with it (门卫老丢东西)."""
    words = next(words for named, words in PLACES if named == place)
    return any(
        COMPLAINED.search(text[found.end() :])
        for word in words
        for found in re.finditer(re.escape(word), text)
    )


def _after_a_sigh(clause: str) -> tuple[str, str]:
    """A clause that sighs and then asks another way (算了放小区门卫): the sigh and the wish."""
    match = _SIGH_THEN.match(clause)
    return (match["sigh"], match["wish"]) if match else (clause, "")


def refined(said_back: DeliveryAppointment, text: str, now: datetime) -> DeliveryAppointment:
    """The appointment said back, with what the shopper's new words add or correct (周六上午吧
    after 周六: the morning; 汇贤居北门那个门卫室 after 放门卫: the gatehouse named; 还是周日吧:
    another day, the hours kept); what the words do not mention stays as said back, what they
    take back is dropped (那就晚上6点以后吧 周六算了: the evening, no Saturday), and a locker or
    a station named alone replaces the day and hours (直接放快递柜吧: no 明天上午 any more)."""
    kept, dropped = _kept_and_dropped(_digits(normalise(text)))
    if said_back.place is not None and _complains_of(kept, said_back.place):
        # 还是别了 门卫老丢东西 改明天晚上送: the gatehouse said back is no longer wished
        said_back = DeliveryAppointment(said_back.day, *_hours(said_back))
    if dropped.strip():
        gone = read_appointment(dropped, now)
        said_back = DeliveryAppointment(
            None if gone.day else said_back.day,
            *((None, None) if gone.from_hour is not None else _hours(said_back)),
            None if gone.place else said_back.place,
            None if gone.place else said_back.place_note,
        )
    new = _in_the_part_said_back(read_appointment(kept, now), kept, said_back)
    if said_back.day in tomorrow_choices(kept, now):  # 明天 after midnight: the day it was
        new = DeliveryAppointment(said_back.day, *_hours(new), new.place, new.place_note)
    if new.place in UNATTENDED and not new.timed and not FALLBACK.search(kept):
        said_back = DeliveryAppointment()
    hours = (new.from_hour, new.until_hour)
    if hours == (None, None):
        hours = (said_back.from_hour, said_back.until_hour)
    place, note = new.place, new.place_note
    if place is None:
        place, note = said_back.place, said_back.place_note
    elif note is None and place == said_back.place:
        note = said_back.place_note  # 放门卫就行 after 汇贤居北门门卫室: still that gatehouse
    return DeliveryAppointment(new.day or said_back.day, *hours, place, note)


def _in_the_part_said_back(
    new: DeliveryAppointment, text: str, said_back: DeliveryAppointment
) -> DeliveryAppointment:
    """Hours said with no part of the day, after a wish in the afternoon or evening, are read
    in that part when that takes them later (那十点以后呢 after 晚上7点以后: from 22, not 10)."""
    said_from = said_back.from_hour
    if _parts(text) or said_from is None or said_from < 12:
        return new

    def later(hour: int | None) -> int | None:
        return hour + 12 if hour is not None and 0 < hour < 12 and hour + 12 > said_from else hour

    start, end = later(new.from_hour), later(new.until_hour)
    return DeliveryAppointment(new.day, start, end, new.place, new.place_note)


def _hours(appointment: DeliveryAppointment) -> tuple[int | None, int | None]:
    return appointment.from_hour, appointment.until_hour


def declined(said_back: DeliveryAppointment, text: str, now: datetime) -> bool:
    """Whether the message takes the wish said back back whole (哎算了算了 明天上午我也得出去,
    刚才说的明天上午那个就不要了, 算了不用了): something is taken back and nothing asked in its
    place, or nothing of the wish is left."""
    kept, dropped = _kept_and_dropped(_digits(normalise(text)))
    if not dropped.strip():
        return False
    if read_appointment(kept, now).empty:
        return True  # 算了算了, 上午那个不要了: taken back, nothing asked in its place
    return refined(said_back, text, now).empty


def mentions_appointment(text: str) -> bool:
    """Whether the words are about when or where the parcel comes (改天送, 周六送, 放快递柜)."""
    clean = _digits(normalise(text))
    if any(word in clean for word in SCHEDULE_WORDS) or _read_place(clean) is not None:
        return True
    when = read_appointment(clean, utcnow())
    return (when.day, when.from_hour, when.until_hour) != (None,) * 3 and bool(
        DELIVERY_VERBS.search(clean)
    )


WISH_MAX_CHARS = 40
# 明天能到吗, 周六到得了吗: a question about when it comes, not a wish (shop.tracking answers it)
ASKS_ARRIVAL = re.compile(
    r"能(?:送)?到吗|能(?:送)?到不|到得了|到不了|能不能(?:送)?到|会到吗|多久|几天|来得及|赶得上|"
    r"赶不赶得上|(?:前|之前|以前)(?:能|可以|能不能)?(?:送)?(?:到|送来|送到)(?:吗|不|么|嘛|没|\?|？)"
)
# 后天一大早出差, 下周三就搬走了: a day the shopper leaves on, told as a deadline, not a wish
LEAVING = re.compile(r"出差|出远门|要走|搬走|搬家|回老家|离开|飞机|高铁|火车")


# 是送到门口还是直接扔驿站啊: a question between two ways it comes, not a wish for either
ASKS_WHICH = re.compile(r"还是[^，,。!！;；]{1,14}(?:啊|呀|呢|吗|么|[?？])\s*$")


def asks_which(text: str) -> bool:
    """Whether the message asks which of two ways the parcel comes (送到门口还是扔驿站啊)."""
    return bool(ASKS_WHICH.search(normalise(text).strip()))


def asks_arrival(text: str) -> bool:
    """Whether the message asks if or when the parcel arrives (明天能送到吗, 下周三前能到不, 来得及
    吗) or tells a deadline (后天一大早出差): answered from the tracking, never an appointment."""
    clean = _digits(normalise(text))
    return bool(ASKS_ARRIVAL.search(clean) or LEAVING.search(clean))


def is_delivery_wish(text: str, now: datetime) -> bool:
    """Whether a message is, on its own, a wish for when or where the parcel comes (周六上午吧,
    汇贤居北门那个门卫室, 放门卫就行): it names a place to leave it, or a day (today or later)
    or hours, or says it is about delivering; short, and with no order number or pasted order
    details in it (their dates and times are not a wish)."""
    clean = _digits(normalise(text))
    if len(clean) > WISH_MAX_CHARS or LONG_NUMBER.search(clean) or asks_arrival(clean):
        return False
    if mentions_appointment(clean):
        return True
    wish = read_appointment(clean, now)
    if wish.day is not None:
        return wish.day >= to_shop_time(now).date()
    return wish.timed


# --- checking it against the policy -------------------------------------------------------------


def appointment_problem(
    appointment: DeliveryAppointment, now: datetime, shipped: bool
) -> AppointmentRejected | None:
    """What makes the appointment impossible, or None: nothing read, a day or hour gone by,
    a day too soon for an unshipped order or beyond the carrier's horizon, hours outside the
    delivery hours."""
    rule = load_policy().appointments
    local = to_shop_time(now)
    today = local.date()
    open_, close = rule.delivery_hours
    if appointment.empty:
        return AppointmentRejected(AppointmentProblem.UNCLEAR)
    start, end = appointment.from_hour, appointment.until_hour
    if (start is not None and not open_ <= start < close) or (
        end is not None and not open_ < end <= close
    ):
        return AppointmentRejected(AppointmentProblem.OUTSIDE_HOURS, hours=rule.delivery_hours)
    day = appointment.day
    if day is None:
        return None
    if day < today or (day == today and local.hour >= (end or close)):
        return AppointmentRejected(AppointmentProblem.PAST)
    earliest = today + timedelta(days=0 if shipped else rule.unshipped_earliest_days)
    if day < earliest:
        return AppointmentRejected(AppointmentProblem.TOO_SOON, day=earliest)
    latest = today + timedelta(days=rule.max_days_ahead)
    if day > latest:
        return AppointmentRejected(AppointmentProblem.TOO_FAR, day=latest)
    return None


def latest_day(now: datetime) -> date:
    """The last day an appointment made now may name."""
    return to_shop_time(now).date() + timedelta(days=load_policy().appointments.max_days_ahead)


def order_appointment(order: Order) -> DeliveryAppointment | None:
    """The delivery appointment stored on the order, if any."""
    if order.delivery_requested_at is None:
        return None
    return DeliveryAppointment(
        order.delivery_date,
        order.delivery_from_hour,
        order.delivery_until_hour,
        order.delivery_place,
    )


def upcoming_appointment(order: Order, now: datetime) -> DeliveryAppointment | None:
    """The order's appointment while it still lies ahead (its day not gone by)."""
    appointment = order_appointment(order)
    if appointment is None or order.status not in (
        OrderStatus.AWAITING_SHIPMENT,
        OrderStatus.SHIPPED,
    ):
        return None
    if appointment.day is not None and appointment.day < to_shop_time(now).date():
        return None
    return appointment


# Asking what hours a part of the day means (下午是几点到几点, 上午一般几点): no wish of its own.
_PART_HOURS_ASKED = re.compile(
    r"^(?:那|请问)?(上午|中午|下午|晚上)(?:是|指|一般是?|大概是?)?"
    r"(?:几点(?:到|至)几点|几点|什么时间|啥时间|哪个时间段?|什么时候)(?:啊|呀|呢|吗)?[?？。!！]*$"
)


@dataclass(frozen=True)
class DayPartHours:
    """The hours the shop means by a part of the day (下午: 12:00 to 18:00)."""

    part: DayPart
    start: int
    end: int


def day_part_hours_asked(text: str) -> DayPartHours | None:
    """The hours of the part of the day the words ask about (下午是几点到几点), by the policy;
    None when they ask no such thing."""
    found = _PART_HOURS_ASKED.match(normalise(text).replace(" ", ""))
    if found is None:
        return None
    part = next(p for p, words in PARTS if found.group(1) in words)
    start, end = load_policy().appointments.day_parts[part]
    return DayPartHours(part, start, end)
