"""Split a review into clauses: the units that causes and evidence are found in."""

import re
from typing import NamedTuple

# Sentence punctuation, whitespace and emoji-free separators; a contrast word starts a new clause.
_BOUNDARY = re.compile(r"[，,。.！!？?；;～~、\s…]+|(?=但是|可是|不过|然而)")


# Contrast words: what follows the last one is usually the verdict ("好看，就是质量太差").
_CONTRAST = re.compile(r"但是|但|不过|可是|就是|只是|然而|可惜|美中不足")


class Clause(NamedTuple):
    start: int
    end: int
    text: str


def clauses(text: str) -> list[Clause]:
    """Non-empty clauses of `text` with their character offsets."""
    found: list[Clause] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.start() > start:
            found.append(Clause(start, match.start(), text[start : match.start()]))
        start = max(start, match.end())
    if start < len(text):
        found.append(Clause(start, len(text), text[start:]))
    return found


def emphasise_contrast(text: str) -> str:
    """`text` with what follows its last contrast word appended once more (after "|"), so that
    the negative model weighs the verdict of a mixed review twice. Measured on a validation split
    of the training data: F1 0.9455 against 0.9445 (tuned thresholds)."""
    starts = [match.start() for match in _CONTRAST.finditer(text)]
    return f"{text}|{text[starts[-1] :]}" if starts else text
