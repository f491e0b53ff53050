"""The cue-phrase lexicon (cues.yaml): causes, sub-causes, their evidence, and severity cues."""

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from reviews.clauses import Clause

CUES_FILE = Path(__file__).with_name("cues.yaml")
VAGUE = "product.vague"


@dataclass(frozen=True)
class CueMatch:
    """A cue phrase of the lexicon found in a clause: evidence of one sub-cause."""

    label: str  # "cause.sub_cause"
    clause: Clause
    phrase: str
    start: int  # offset of the phrase in the review


@dataclass(frozen=True)
class Redirect:
    """A sub-cause that becomes `to` in a review that matches `when` and not `unless`."""

    to: str
    when: re.Pattern[str]
    unless: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    causes: dict[str, re.Pattern[str]]  # "cause.sub_cause" → one alternation of its cues
    exclude: dict[str, re.Pattern[str]]
    severity: dict[str, re.Pattern[str]]
    redirect: dict[str, Redirect] = field(default_factory=dict)

    def cue_matches(self, clauses: list[Clause]) -> list[CueMatch]:
        """Every sub-cause whose cue occurs in a clause (first occurrence per sub-cause)."""
        found: dict[str, CueMatch] = {}
        for clause in clauses:
            for label, pattern in self.causes.items():
                if label in found:
                    continue
                match = pattern.search(clause.text)
                if match is None:
                    continue
                excluded = self.exclude.get(label)
                if excluded is not None and excluded.search(clause.text):
                    continue
                found[label] = CueMatch(label, clause, match.group(0), clause.start + match.start())
        return self._redirected(found, " ".join(c.text for c in clauses))

    def _redirected(self, found: dict[str, CueMatch], text: str) -> list[CueMatch]:
        for label, rule in self.redirect.items():
            hit = found.get(label)
            if hit is None or not rule.when.search(text) or rule.unless.search(text):
                continue
            del found[label]
            found.setdefault(rule.to, replace(hit, label=rule.to))
        return list(found.values())

    def severity_cues(self, text: str) -> dict[str, str]:
        """Severity reason → the phrase that shows it."""
        found = {}
        for reason, pattern in self.severity.items():
            match = pattern.search(text)
            if match is not None:
                found[reason] = match.group(0)
        return found


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _with_names(node: Any, names: dict[str, str]) -> Any:
    """Every pattern under `node` with {courier}-style names replaced by their alternation."""
    if isinstance(node, dict):
        return {key: _with_names(value, names) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_names(value, names) for value in node]
    for name, alternation in names.items():
        node = node.replace(f"{{{name}}}", alternation)
    return node


@lru_cache
def load_lexicon(path: Path = CUES_FILE) -> Lexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw = _with_names({k: v for k, v in raw.items() if k != "names"}, raw.get("names", {}))
    causes = {
        f"{cause}.{sub}": _alternation(patterns)
        for cause, subs in raw["causes"].items()
        for sub, patterns in subs.items()
    }
    return Lexicon(
        causes=causes,
        exclude={label: re.compile(p) for label, p in raw.get("exclude", {}).items()},
        severity={reason: _alternation(ps) for reason, ps in raw["severity"].items()},
        redirect={
            label: Redirect(rule["to"], re.compile(rule["when"]), re.compile(rule["unless"]))
            for label, rule in raw.get("redirect", {}).items()
        },
    )
