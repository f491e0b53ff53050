"""Analysis of reviews: negative or not (with a probability), causes, evidence, severity.

The work is done by the spaCy pipeline of `reviews.pipeline` (each Doc carries its analysis);
this module keeps the public interface: `ReviewText` in, `Analysis` out, in batches.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from core.settings import get_settings
from core.text import normalise
from reviews.causes import ReviewCause
from reviews.features import LinearTextModel
from reviews.lexicon import Lexicon, load_lexicon
from reviews.pipeline import NEGATIVE, ReviewContext, build_pipeline
from reviews.severity import Severity
from reviews.tokens import text_of

BATCH_SIZE = 1000


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
    causes: list[ReviewCause] = field(default_factory=list)
    sub_causes: list[str] = field(default_factory=list)  # `cause.sub`, from reviews/cues.yaml
    severity: Severity = field(default_factory=Severity)
    evidence: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "negative": self.negative,
            "negative_score": round(self.negative_score, 4),
            "causes": self.causes,
            "sub_causes": self.sub_causes,
            "severity": self.severity.as_json(),
            "evidence": self.evidence,
        }


class Analyser:
    """Analyses batches of reviews with the spaCy pipeline built on the two models and the
    lexicon."""

    def __init__(
        self, negative: LinearTextModel, causes: LinearTextModel, lexicon: Lexicon, version: str
    ) -> None:
        self.negative_model = negative
        self.lexicon = lexicon
        self.version = version
        self.nlp = build_pipeline(negative, causes, lexicon)

    def docs(self, reviews: Iterable[ReviewText]) -> Iterator[Doc]:
        """The analysed Docs (doc.cats, doc.spans["causes"], doc._.severity …), in order."""
        return self.nlp.pipe((self._doc(r) for r in reviews), batch_size=BATCH_SIZE)

    def analyse(self, reviews: list[ReviewText]) -> list[Analysis]:
        """The analyses (what is stored and printed): the evidence's jieba words, which only
        people read in the Docs, are skipped."""
        with self.nlp.select_pipes(disable="review_words"):
            return [analysis_of(doc) for doc in self.docs(reviews)]

    def causes_of(self, texts: list[str]) -> list[Analysis]:
        """Cause attribution alone, for texts known to be negative (evaluation uses it)."""
        docs = [self.nlp.make_doc(normalise(t)) for t in texts]
        for doc in docs:
            doc.cats = {NEGATIVE: 1.0}
        with self.nlp.select_pipes(disable="review_negative"):
            return [analysis_of(doc) for doc in self.nlp.pipe(docs, batch_size=BATCH_SIZE)]

    def _doc(self, review: ReviewText) -> Doc:
        doc = self.nlp.make_doc(normalise(" ".join(filter(None, (review.text, review.follow_up)))))
        if review.rating is not None or review.order_value is not None or review.repeat_buyer:
            doc._.review = ReviewContext(review.rating, review.order_value, review.repeat_buyer)
        return doc


def analysis_of(doc: Doc) -> Analysis:
    """The Analysis that a Doc from the pipeline carries."""
    score = doc.cats.get(NEGATIVE, 0.0)
    found = Analysis(negative=score >= 0.5, negative_score=score)
    for span in doc.spans.get("causes", []):
        cause, _, sub = span.label_.partition(".")
        if cause not in found.causes:
            found.causes.append(ReviewCause(cause))
            found.evidence[cause] = text_of(doc)[span.start_char : span.end_char]
        if sub and span.label_ not in found.sub_causes:
            found.sub_causes.append(span.label_)
    found.severity = doc._.severity or Severity()
    return found


def model_dir() -> Path:
    """The model folder of the settings (REVIEWS_MODEL_DIR; the shipped model by default)."""
    return get_settings().reviews_model_dir


def load_analyser(directory: Path | None = None) -> Analyser:
    directory = directory or model_dir()
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    return Analyser(
        LinearTextModel.load(directory / "negative.npz"),
        LinearTextModel.load(directory / "causes.npz"),
        load_lexicon(),
        meta["version"],
    )


@lru_cache
def get_analyser() -> Analyser:
    """The process-wide analyser on the shipped (or REVIEWS_MODEL_DIR) model."""
    return load_analyser()
