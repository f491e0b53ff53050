"""Split a review into clauses: the units that causes and evidence are found in."""

import re
from typing import NamedTuple

# Sentence punctuation, whitespace and emoji-free separators; a contrast word starts a new clause.
_BOUNDARY = re.compile(r"[，,。.！!？?；;～~、\s…]+|(?=但是|可是|不过|然而)")


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
