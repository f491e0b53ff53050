"""The words of public replies (回评), from words/replies.yaml.

A reply is sentences in this order: thanks, acknowledgement of the review's problem (in the
reviewer's words where reviews.replies found them quotable), a brief word on a second problem,
what the shop does, the private contact (when an offer is drafted), an invitation to talk to
service, and sometimes a closing wish.

Variants are spread, not drawn: replies to reviews of one problem are numbered (`ordinal`), and
each slot steps through its list with its own stride, so among n consecutive replies a slot of
n variants uses each once, and two replies are the same only when every slot's list comes round
at once. A review always reads the same.
"""

import math
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Template

from reviews.replies import ReplyFacts
from words.render import environment, words_file

REPLIES_FILE = Path(__file__).with_name("replies.yaml")
CLOSING_SHARE = 0.5  # about half the replies end with a wish


@cache
def _variants() -> dict[str, Any]:
    env = environment()

    def compile_all(value: Any) -> Any:
        if isinstance(value, list):
            return [env.from_string(text) for text in value]
        return {key: compile_all(inner) for key, inner in value.items()}

    raw = words_file(REPLIES_FILE)
    return {key: compile_all(raw[key]) for key in raw if key != "problems"}


def _stride(slot: str, n: int) -> int:
    """A step through n variants that visits them all (coprime with n), fixed per slot."""
    step = zlib.crc32(slot.encode()) % n or 1
    while math.gcd(step, n) != 1:
        step += 1
    return step


def _pick(options: list[Template], slot: str, ordinal: int, **values: str) -> str:
    n = len(options)
    index = (ordinal * _stride(slot, n) + zlib.crc32(slot.encode())) % n
    return options[index].render(values).strip()


@cache
def _acknowledgements(label: str, quoting: bool) -> list[Template]:
    """The acknowledgements of a problem (its sub-cause's, else its cause's): those that quote
    the reviewer when there is a quote, so the reply names this review's own problem."""
    raw: dict[str, list[str]] = words_file(REPLIES_FILE)["acknowledge"]
    key = label if label in raw else label.partition(".")[0]
    table: dict[str, list[Template]] = _variants()["acknowledge"]
    chosen = [
        t for t, text in zip(table[key], raw[key], strict=True) if ("issue" in text) == quoting
    ]
    return chosen or table[key]


def problem_name(label: str) -> str:
    """How a reply names a problem in passing (`logistics.slow` → 配送时效)."""
    names: dict[str, str] = words_file(REPLIES_FILE)["problems"]
    return names.get(label) or names[label.partition(".")[0]]


def reply_text(facts: ReplyFacts) -> str:
    """The reply's text, one paragraph."""
    slots = _variants()
    n = facts.seed
    product, issue = facts.product or "", facts.issue or ""
    label, cause = facts.label, facts.cause.value
    sentences = [
        _pick(slots["thanks"], "thanks", n),
        _pick(_acknowledgements(label, bool(issue)), label, n, product=product, issue=issue),
    ]
    if facts.also:
        sentences.append(_pick(slots["also"], "also", n, problem=problem_name(facts.also)))
    actions = slots["action"]
    action_key = label if label in actions else cause  # a sub-cause's own, else its cause's
    sentences.append(_pick(actions[action_key], f"action.{action_key}", n))
    if facts.contact:
        sentences.append(_pick(slots["contact"], "contact", n))
    sentences.append(_pick(slots["invite"], "invite", n))
    if zlib.crc32(f"closing{n}".encode()) % 100 < CLOSING_SHARE * 100:
        sentences.append(_pick(slots["closing"], "closing", n))
    return "".join(sentences)
