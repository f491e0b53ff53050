"""Numbers said in words, read as digits. Plain Python (only `re`): the Rasa pipeline reads
messages with it too (bot/nlu/shopper_words.py)."""

import re
from dataclasses import dataclass

# Digits read out by voice input or typed as words (二零四二…, 幺二三七: 幺 is the 1 of phone
# numbers): a run of four or more is a number, never a word (一一, 三三两两 stay as they are).
_DIGIT_WORDS = {"零": "0", "〇": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4"}
_DIGIT_WORDS |= {"五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_SPOKEN_NUMBER = re.compile(f"[{''.join(_DIGIT_WORDS)}]{{4,}}")


def spoken_digits(text: str) -> str:
    """`text` with its numbers said digit by digit in words written in digits (订单号是二零四二三四
    六八… → 订单号是20423468…, 尾号幺二三七 → 尾号1237): how numbers are read wherever they are."""
    return _SPOKEN_NUMBER.sub(lambda run: "".join(_DIGIT_WORDS[c] for c in run.group(0)), text)


# Numbers said in words with their places (二十六, 一百二十, 两千五): one reader for every number
# a shopper writes in words (a height, a weight, a count, a quantity), so none is missed.
_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4}
_VALUES |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACES = {"十": 10, "百": 100, "千": 1000}
NUMBER_CHARS = "".join(_VALUES) + "".join(_PLACES)
# A number in digits or in words, with the ending that makes it approximate (二十来, 五十多,
# 十几, 30多) or two neighbouring digits said as a range (五六, 两三).
NUMBER_WORD = rf"(?:\d{{1,4}}|[{NUMBER_CHARS}]{{1,6}})(?:来|多|几)?"
# Measure words a count is said with (两袋, 三包, 五个): the count before one is a number.
MEASURE_WORDS = (
    "公斤|千克|厘米|公分|个|件|袋|包|盒|瓶|箱|斤|支|只|双|条|本|套|提|份|罐"
    "|颗|枚|粒|串|根|台|岁|位|次"
)
_PLACED_NUMBER = re.compile(rf"(?<![几\d])[{NUMBER_CHARS}]*[十百千][{NUMBER_CHARS}]*")
_METRES = re.compile(r"[一1]米([零一二三四五六七八九]{1,2}|\d{1,2})?")
_COUNT = re.compile(
    rf"(?<![{NUMBER_CHARS}\d几第])([二两俩三仨四五六七八九])(?=(?:{MEASURE_WORDS}))"
)
_VERY = re.compile(r"十分(?!钟)")  # 十分满意: very, not ten
# A decimal said in words (二十四点三 → 24.3, 二十五点五码 → 25.5码): a number of two digits or
# more, 点, one digit. Never a time (三点半, 十点五十 keep their 点).
_DECIMAL = re.compile(r"(?<![\d.])(\d{2,3})点([零一二三四五六七八九]|\d)(?![\d十百千点分钟半刻])")


@dataclass(frozen=True)
class SaidNumber:
    """A number as the shopper said it: `approximate` for 二十来个, 十几个, 五六个, 30多个."""

    value: int
    approximate: bool = False


def number_value(word: str) -> int | None:
    """12, 十二, 两, 二十六, 一百二十, 一百零五, 一百一 (110: the digit after the last place is
    the next place down), 两千五 → the number; None when `word` is no single number (三四 is
    3 or 4, 百 alone is no number)."""
    if word.isdigit():
        return int(word)
    if not word or any(c not in NUMBER_CHARS for c in word):
        return None
    total, digit, place, zero = 0, None, None, False
    for char in word:
        if char in "零〇":
            zero = True
        elif char in _VALUES:
            if digit is not None:
                return None
            digit = _VALUES[char]
        else:
            value = _PLACES[char]
            if (place is not None and value >= place) or (digit is None and char != "十"):
                return None
            if digit is None and total:  # 一百十: 一百一十
                digit = 1
            total, digit, place, zero = (
                total + (1 if digit is None else digit) * value,
                None,
                value,
                False,
            )
    if digit is None:
        return total if place or zero else None
    if place and place > 10 and not zero:  # 一百一, 两千五
        return total + digit * place // 10
    return total + digit


def said_number(word: str) -> SaidNumber | None:
    """A number of NUMBER_WORD's shape: 二十六 (26), 二十来 / 30多 (20, 30, approximate), 十几 /
    二十几 (15, 25, approximate), 五六 (6, approximate: the larger of the two)."""
    if word.endswith(("来", "多")):
        value = number_value(word[:-1])
        return SaidNumber(value, True) if value else None
    if word.endswith("几"):
        value = number_value(word[:-1])
        return SaidNumber(value + 5, True) if value and value % 10 == 0 else None
    if (value := number_value(word)) is not None:
        return SaidNumber(value)
    if len(word) == 2 and all(c in _VALUES for c in word):
        low, high = _VALUES[word[0]], _VALUES[word[1]]
        return SaidNumber(high, True) if high == low + 1 else None
    return None


def written_numbers(text: str) -> str:
    """`text` with its numbers said in words written in digits, as every reader of numbers
    reads them: digit by digit (幺二三七 → 1237), with places (二十六公斤 → 26公斤, 一百二十斤
    → 120斤, 一百一 → 110, 二十来个 → 20来个), a height in metres (一米六五 → 1米65, 一米七 →
    1米7), a decimal (二十四点三 → 24.3) and a count before a measure word (两袋 → 2袋, 要三瓶 →
    要3瓶). Left as said: 一 before a measure word (一箱 is "a box"), a range (两三个), 十分
    meaning "very" and 几十."""
    text = spoken_digits(text)

    def placed(match: re.Match[str]) -> str:
        word = match.group(0)
        value = number_value(word)
        if value is None or _VERY.match(text, match.start()):
            return word
        return str(value)

    text = _PLACED_NUMBER.sub(placed, text)
    text = _METRES.sub(
        lambda m: "1米" + "".join(str(_VALUES.get(c, c)) for c in (m.group(1) or "")), text
    )
    text = _DECIMAL.sub(lambda m: f"{m.group(1)}.{_VALUES.get(m.group(2), m.group(2))}", text)
    return _COUNT.sub(lambda m: str(_VALUES[m.group(1)]), text)
