"""Numbers said in words, read as digits. Plain Python (only `re`): the Rasa pipeline reads
messages with it too (bot/nlu/shopper_words.py)."""

import re

# Digits read out by voice input or typed as words (二零四二…, 幺二三七: 幺 is the 1 of phone
# numbers): a run of four or more is a number, never a word (一一, 三三两两 stay as they are).
_DIGIT_WORDS = {"零": "0", "〇": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4"}
_DIGIT_WORDS |= {"五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_SPOKEN_NUMBER = re.compile(f"[{''.join(_DIGIT_WORDS)}]{{4,}}")


def spoken_digits(text: str) -> str:
    """`text` with its numbers said digit by digit in words written in digits (订单号是二零四二三四
    六八… → 订单号是20423468…, 尾号幺二三七 → 尾号1237): how numbers are read wherever they are."""
    return _SPOKEN_NUMBER.sub(lambda run: "".join(_DIGIT_WORDS[c] for c in run.group(0)), text)
