"""Analysis of reviews: negative or not (with a probability), causes, evidence, severity.

The text model gives the log-odds that a review is negative; the star rating and emoji shift
them (a signal, never the verdict: a 5-star review that complains stays negative). Causes come
from the cue lexicon first; when no cue matches, the aspect model classifies the most negative
clause; a complaint with no recognisable cause is `product`, as the taxonomy says.
"""

import json
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.text import normalise
from reviews.clauses import Clause, clauses
from reviews.features import LinearTextModel
from reviews.lexicon import VAGUE, Lexicon, load_lexicon
from reviews.severity import Severity, severity

DEFAULT_MODEL_DIR = Path(__file__).with_name("model")
# Log-odds added for each star rating: 1-3 stars are 中差评 unless the text clearly praises.
RATING_SHIFT = {1: 3.0, 2: 2.5, 3: 1.5, 4: -0.5, 5: -1.0}
ASPECT_MIN_PROBABILITY = 0.5
# A 4-5 star review left borderline (score between these) by its rating, that names a concrete
# problem ("箱子压扁了"), is pushed back towards negative by CUE_SHIFT log-odds: stars do not
# hide a complaint. (Without a rating the text model alone decides: measured better.)
BORDERLINE = (0.1, 0.5)
CUE_SHIFT = 1.5
_NEGATIVE_EMOJI = re.compile("[😡😠🤬👎💩😤😞😢😭🙄😒😓😣😖😫🤮🤢💔]")
_POSITIVE_EMOJI = re.compile("[👍😊😍❤♥😄😁😀🥰😘👌💯🌹🎉😃☺💕]")
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff\w]")


@dataclass
class ReviewText:
    """What the analysis reads from one review."""

    text: str
    rating: int | None = None
    follow_up: str | None = None
    order_value: float | None = None
    repeat_buyer: bool = False


@dataclass
class Analysis:
    negative: bool
    negative_score: float
    causes: list[str] = field(default_factory=list)
    sub_causes: list[str] = field(default_factory=list)
    severity: Severity = field(default_factory=Severity)
    evidence: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "negative": self.negative,
            "negative_score": round(self.negative_score, 4),
            "causes": self.causes,
            "sub_causes": self.sub_causes,
            "severity": self.severity.as_json(),
            "evidence": self.evidence,
        }


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(min(x, 30.0), -30.0)))


def _emoji_shift(text: str) -> float:
    bad = len(_NEGATIVE_EMOJI.findall(text))
    good = len(_POSITIVE_EMOJI.findall(text))
    return min(bad, 3) * 1.5 - min(good, 3) * 1.0


class Analyser:
    """Analyses batches of reviews with one negative model, one aspect model and the lexicon."""

    def __init__(
        self, negative: LinearTextModel, aspects: LinearTextModel, lexicon: Lexicon, version: str
    ) -> None:
        self.negative_model = negative
        self.aspect_model = aspects
        self.lexicon = lexicon
        self.version = version

    def negative_logits(self, texts: list[str]) -> np.ndarray:
        return self.negative_model.scores(texts)[:, 0]

    def analyse(self, reviews: list[ReviewText]) -> list[Analysis]:
        texts = [normalise(" ".join(filter(None, (r.text, r.follow_up)))) for r in reviews]
        meaningful = [i for i, t in enumerate(texts) if _MEANINGFUL.search(t)]
        logits = np.full(len(texts), -2.0)  # no words at all: only emoji and the rating speak
        logits[meaningful] = self.negative_logits([texts[i] for i in meaningful])
        results = []
        for i, review in enumerate(reviews):
            logit = logits[i] + _emoji_shift(texts[i]) + RATING_SHIFT.get(review.rating or 0, 0.0)
            high_stars = (review.rating or 0) >= 4
            borderline = BORDERLINE[0] < _sigmoid(logit) < BORDERLINE[1]
            if high_stars and borderline and self._names_a_problem(texts[i]):
                logit += CUE_SHIFT
            score = _sigmoid(logit)
            results.append(Analysis(negative=score >= 0.5, negative_score=score))
        negatives = [i for i, a in enumerate(results) if a.negative]
        self._attribute([texts[i] for i in negatives], [results[i] for i in negatives])
        for i in negatives:
            review = reviews[i]
            cues = self.lexicon.severity_cues(texts[i])
            results[i].severity = severity(
                cues, review.rating, review.order_value, review.repeat_buyer
            )
        return results

    def _names_a_problem(self, text: str) -> bool:
        return any(h.label != VAGUE for h in self.lexicon.hits(clauses(text)))

    def causes_of(self, texts: list[str]) -> list[Analysis]:
        """Cause attribution alone, for texts known to be negative (evaluation uses it)."""
        results = [Analysis(negative=True, negative_score=1.0) for _ in texts]
        self._attribute([normalise(t) for t in texts], results)
        return results

    def _attribute(self, texts: list[str], results: list[Analysis]) -> None:
        """Fill causes, sub-causes and evidence of negative reviews (normalised texts)."""
        pending: list[tuple[Analysis, list[Clause], bool]] = []
        for text, result in zip(texts, results, strict=True):
            parts = clauses(text) or [Clause(0, len(text), text)]
            hits = self.lexicon.hits(parts)
            specific = [h for h in hits if h.label != VAGUE]
            for hit in specific:
                cause, sub = hit.label.split(".")
                _add(result, cause, sub, hit.clause.text)
            if not specific:
                pending.append((result, parts, any(h.label == VAGUE for h in hits)))
        if pending:
            self._attribute_by_model(pending)

    def _attribute_by_model(self, pending: list[tuple[Analysis, list[Clause], bool]]) -> None:
        flat = [c.text for _, parts, _ in pending for c in parts]
        owners = [n for n, (_, parts, _) in enumerate(pending) for _ in parts]
        # which clause complains most: asked only of reviews with more than one clause
        multi = [i for i, n in enumerate(owners) if len(pending[n][1]) > 1]
        negativity = np.zeros(len(flat))
        negativity[multi] = self.negative_logits([flat[i] for i in multi])
        aspect_scores = self.aspect_model.scores(flat)
        offset = 0
        for result, parts, vague in pending:
            k = offset + int(np.argmax(negativity[offset : offset + len(parts)]))
            offset += len(parts)
            probs = np.exp(aspect_scores[k] - aspect_scores[k].max())
            probs /= probs.sum()
            best = int(np.argmax(probs))
            label = self.aspect_model.labels[best]
            if probs[best] >= ASPECT_MIN_PROBABILITY and not (label == "other" and vague):
                cause, _, sub = label.partition(".")
                _add(result, cause, sub or None, flat[k])
            else:  # a complaint with no recognisable cause: product (taxonomy convention)
                _add(result, "product", None, flat[k])


def _add(result: Analysis, cause: str, sub: str | None, evidence: str) -> None:
    if cause not in result.causes:
        result.causes.append(cause)
        result.evidence[cause] = evidence
    if sub and f"{cause}.{sub}" not in result.sub_causes:
        result.sub_causes.append(f"{cause}.{sub}")


def model_dir() -> Path:
    return Path(os.environ.get("REVIEWS_MODEL_DIR", DEFAULT_MODEL_DIR))


def load_analyser(directory: Path | None = None) -> Analyser:
    directory = directory or model_dir()
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    return Analyser(
        LinearTextModel.load(directory / "negative.npz"),
        LinearTextModel.load(directory / "aspects.npz"),
        load_lexicon(),
        meta["version"],
    )


@lru_cache
def get_analyser() -> Analyser:
    """The process-wide analyser on the shipped (or REVIEWS_MODEL_DIR) model."""
    return load_analyser()
