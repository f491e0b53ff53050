"""The spaCy pipeline that analyses reviews: each Doc carries its own analysis.

A `zh` Language whose tokenizer splits characters (`reviews.char_tokenizer.v1`, in
`reviews.tokens`), with these components, in order:

- `review_negative`: the negative model, batched, shifted by rating and emoji →
  `doc.cats["NEGATIVE"]`;
- `review_clauses`: clause boundaries (punctuation, contrast words) → `doc.spans["clauses"]` and
  sentence starts, so `doc.sents` are the clauses too;
- `review_causes`: the cue lexicon clause by clause and the cause model on the whole review
  (their union) → `doc.spans["causes"]` (the evidence clause of each cause or sub-cause, its
  label `cause` or `cause.sub`) and `doc.spans["cues"]` (the phrases that matched);
- `review_words`: jieba with the shop dictionary segments the evidence clauses into words →
  `doc.spans["evidence_words"]`;
- `review_severity`: → `doc._.severity`.

Only negative reviews get clauses, causes, words and severity. Why characters and not jieba for
every review: see docs/reviews.md (measured speed).
"""

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from core.text import shop_tokenizer
from reviews.clauses import Clause, clauses, emphasise_contrast
from reviews.features import LinearTextModel
from reviews.lexicon import VAGUE, Lexicon
from reviews.severity import severity
from reviews.tokens import CHAR_TOKENIZER, char_span, text_of

NEGATIVE = "NEGATIVE"
# Log-odds added for each star rating: 1-3 stars are 中差评 unless the text clearly praises.
RATING_SHIFT = {1: 3.0, 2: 2.5, 3: 1.5, 4: -0.5, 5: -1.0}
# A 4-5 star review left borderline (score between these) by its rating, that names a concrete
# problem ("箱子压扁了"), is pushed back towards negative by CUE_SHIFT log-odds: stars do not
# hide a complaint. (Without a rating the text model alone decides: measured better.)
BORDERLINE = (0.1, 0.5)
CUE_SHIFT = 1.5
NO_WORDS_LOGIT = -2.0  # only emoji and the rating speak
_NEGATIVE_EMOJI = re.compile("[😡😠🤬👎💩😤😞😢😭🙄😒😓😣😖😫🤮🤢💔]")
_POSITIVE_EMOJI = re.compile("[👍😊😍❤♥😄😁😀🥰😘👌💯🌹🎉😃☺💕]")
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff\w]")
_CLAUSES = "reviews.clauses"  # doc.spans["clauses"] as Clause tuples


@dataclass
class ReviewContext:
    """What a component needs besides the text (set as `doc._.review`)."""

    rating: int | None = None
    order_value: float | None = None
    repeat_buyer: bool = False


for _name, _default in (("review", None), ("severity", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(min(x, 30.0), -30.0)))


def is_negative(doc: Doc) -> bool:
    return doc.cats.get(NEGATIVE, 0.0) >= 0.5


def context(doc: Doc) -> ReviewContext:
    return doc._.review or ReviewContext()


def clause_list(doc: Doc) -> list[Clause]:
    """The review's clauses (those of `review_clauses`, or found now for a Doc it skipped)."""
    found = doc.user_data.get(_CLAUSES)
    if found is None:
        found = doc.user_data[_CLAUSES] = clauses(text_of(doc))
    return found


@Language.component("review_clauses")
def review_clauses(doc: Doc) -> Doc:
    """Clauses of a negative review → doc.spans["clauses"] and sentence starts (the other
    reviews need none: skipping them saves a tenth of the analysis time)."""
    if not is_negative(doc):
        return doc
    spans = []
    for clause in clause_list(doc):
        span = char_span(doc, clause.start, clause.end)
        if span is not None:
            spans.append(span)
    if spans:
        doc[0].is_sent_start = True
        for span in spans:
            doc[span.start].is_sent_start = True
    doc.spans["clauses"] = spans
    return doc


class BatchComponent:
    """A component that works on batches (`nlp.pipe`); `__call__` is a batch of one.

    Subclasses are their own spaCy factories, so `__init__` takes spaCy's `nlp` and `name`.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        self.process([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1000) -> Iterator[Doc]:
        remaining = iter(docs)
        while batch := list(islice(remaining, batch_size)):
            self.process(batch)
            yield from batch

    def process(self, docs: list[Doc]) -> None:
        raise NotImplementedError


@Language.factory("review_negative")
class NegativeScorer(BatchComponent):
    """doc.cats["NEGATIVE"]: the text model's log-odds shifted by the rating and emoji."""

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        self.model: LinearTextModel | None = None
        self.lexicon: Lexicon | None = None

    def logits(self, texts: list[str]) -> np.ndarray:
        assert self.model is not None, "review_negative has no model"
        return self.model.scores([emphasise_contrast(t) for t in texts])[:, 0]

    def process(self, docs: list[Doc]) -> None:
        texts = [text_of(doc) for doc in docs]
        meaningful = [i for i, text in enumerate(texts) if _MEANINGFUL.search(text)]
        logits = np.full(len(docs), NO_WORDS_LOGIT)
        logits[meaningful] = self.logits([texts[i] for i in meaningful])
        for doc, text, text_logit in zip(docs, texts, logits, strict=True):
            rating = context(doc).rating or 0
            logit = text_logit + _emoji_shift(text) + RATING_SHIFT.get(rating, 0.0)
            borderline = BORDERLINE[0] < sigmoid(logit) < BORDERLINE[1]
            if rating >= 4 and borderline and self._names_a_problem(doc):
                logit += CUE_SHIFT
            doc.cats = {NEGATIVE: sigmoid(logit)}

    def _names_a_problem(self, doc: Doc) -> bool:
        assert self.lexicon is not None
        return any(m.label != VAGUE for m in self.lexicon.cue_matches(clause_list(doc)))


def _emoji_shift(text: str) -> float:
    bad = len(_NEGATIVE_EMOJI.findall(text))
    good = len(_POSITIVE_EMOJI.findall(text))
    return min(bad, 3) * 1.5 - min(good, 3) * 1.0


@Language.factory("review_causes")
class CauseFinder(BatchComponent):
    """doc.spans["causes"] and doc.spans["cues"] of negative reviews.

    Two readers, and a label either finds is kept (measured: the union beats either alone):
    the cue lexicon clause by clause, and the cause model (one score per cause and sub-cause,
    0 the decision) on the whole review. A sub-cause counts only under a kept cause. The
    evidence of a label is its cue's clause, else the clause the model scores highest for it.
    Nothing found: `product`, as the taxonomy says.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        self.model: LinearTextModel | None = None
        self.lexicon: Lexicon | None = None
        self.negative: NegativeScorer | None = None

    def process(self, docs: list[Doc]) -> None:
        assert self.lexicon is not None
        assert self.model is not None
        negatives = [doc for doc in docs if is_negative(doc)]
        if not negatives:
            return
        scores = self.model.scores([text_of(doc) for doc in negatives])
        wanting: list[tuple[Doc, list[Clause], dict[str, Clause | None]]] = []
        for doc, row in zip(negatives, scores, strict=True):
            parts = clause_list(doc) or [Clause(0, len(text_of(doc)), text_of(doc))]
            specific = [m for m in self.lexicon.cue_matches(parts) if m.label != VAGUE]
            found: dict[str, Clause | None] = {}
            for match in specific:
                found.setdefault(match.label, match.clause)
            by_model = [label for label, s in zip(self.model.labels, row, strict=True) if s >= 0]
            kept = {label.split(".")[0] for label in found} | {
                label for label in by_model if "." not in label
            }
            for label in by_model:
                if label.split(".")[0] in kept:
                    found.setdefault(label, None)
            if not kept:
                found["product"] = parts[0] if len(parts) == 1 else None
            for cause in kept - {label.split(".")[0] for label in found}:
                found[cause] = None
            _set_group(doc, "cues", [(m.start, m.start + len(m.phrase), m.label) for m in specific])
            if any(clause is None for clause in found.values()):
                wanting.append((doc, parts, found))
            else:  # every label has its cue's clause: no clause needs scoring
                self._set_causes(doc, {label: c for label, c in found.items() if c is not None})
        self._evidence_by_model(wanting)

    def _evidence_by_model(
        self, wanting: list[tuple[Doc, list[Clause], dict[str, Clause | None]]]
    ) -> None:
        """Each label the model alone found needs a clause that shows it: of the clauses that
        complain (the negative model), the one the model scores highest for it, if that clause
        alone scores at least 0 (a review that praises the packaging and complains of a
        cracked screen is not a packaging complaint); else the label goes. One batch."""
        assert self.model is not None
        assert self.negative is not None
        flat = [c for _, parts, _ in wanting if len(parts) > 1 for c in parts]
        scores = self.model.scores([c.text for c in flat]) if flat else np.zeros((0, 0))
        praise = self.negative.logits([c.text for c in flat]) < 0 if flat else np.zeros(0, bool)
        column = {label: j for j, label in enumerate(self.model.labels)}
        offset = 0
        for doc, parts, found in wanting:
            if len(parts) == 1:
                shown = {label: clause or parts[0] for label, clause in found.items()}
            else:
                rows = scores[offset : offset + len(parts)].copy()
                praised = praise[offset : offset + len(parts)]
                if not praised.all():
                    rows[praised] = -np.inf  # praise never shows a complaint
                offset += len(parts)
                shown = {}
                for label, clause in found.items():
                    if clause is not None:
                        shown[label] = clause
                        continue
                    best = int(np.argmax(rows[:, column[label]])) if label in column else 0
                    if label not in column or rows[best, column[label]] >= 0:
                        shown[label] = parts[best]
            shown = {
                label: clause
                for label, clause in shown.items()
                if found[label] is not None or not self._excluded(label, clause)
            }
            if not shown:
                shown["product"] = parts[0]
            self._set_causes(doc, shown)

    def _excluded(self, label: str, clause: Clause) -> bool:
        """Whether the lexicon's exclusions say the clause is not evidence of the label (or of
        its cause)."""
        assert self.lexicon is not None
        return any(
            (pattern := self.lexicon.exclude.get(name)) is not None and pattern.search(clause.text)
            for name in {label, label.split(".")[0]}
        )

    @staticmethod
    def _set_causes(doc: Doc, found: dict[str, Clause]) -> None:
        """Spans for the sub-causes, and for the causes that have none (evidence first from the
        lexicon: dict order keeps the cue matches first)."""
        with_sub = {label.split(".")[0] for label in found if "." in label}
        spans = [
            (clause.start, clause.end, label)
            for label, clause in found.items()
            if "." in label or label not in with_sub
        ]
        _set_group(doc, "causes", spans)


def _set_group(doc: Doc, name: str, spans: list[tuple[int, int, str]]) -> None:
    found = []
    for start, end, label in spans:
        span = char_span(doc, start, end, label)
        if span is not None:
            found.append(span)
    doc.spans[name] = SpanGroup(doc, name=name, spans=found)


@Language.factory("review_words")
class EvidenceWords(BatchComponent):
    """doc.spans["evidence_words"]: the jieba words (shop dictionary) of the evidence clauses of
    negative reviews.

    The Doc's tokens stay characters: jieba on every review would cost most of the speed budget
    and retokenizing the evidence cost a fifth of the analysis time (measured), while only the
    evidence is read by people.
    """

    def process(self, docs: list[Doc]) -> None:
        tokenizer = shop_tokenizer()
        for doc in docs:
            evidence = {(s.start_char, s.end_char) for s in doc.spans.get("causes", [])}
            if not evidence:
                continue
            text = text_of(doc)
            words: list[tuple[int, int, str]] = []
            for start, end in sorted(evidence):
                position = start
                for word in tokenizer.lcut(text[start:end], HMM=False):
                    if not word.isspace():
                        words.append((position, position + len(word), ""))
                    position += len(word)
            _set_group(doc, "evidence_words", words)


@Language.factory("review_severity")
class SeverityRater(BatchComponent):
    """doc._.severity of negative reviews, from lexicon cues and the review's context (the
    others keep None: level "none")."""

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        self.lexicon: Lexicon | None = None

    def process(self, docs: list[Doc]) -> None:
        assert self.lexicon is not None
        for doc in docs:
            if not is_negative(doc):
                continue
            known = context(doc)
            cues = self.lexicon.severity_cues(text_of(doc))
            doc._.severity = severity(cues, known.rating, known.order_value, known.repeat_buyer)


PIPELINE = ("review_negative", "review_clauses", "review_causes", "review_words", "review_severity")


def build_pipeline(
    negative: LinearTextModel, causes: LinearTextModel, lexicon: Lexicon
) -> Language:
    """The analysis pipeline on these models (components get them after creation: they are
    numpy weights, not spaCy-serialisable settings)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": CHAR_TOKENIZER}}})
    for name in PIPELINE:
        nlp.add_pipe(name)
    scorer = _component(nlp, "review_negative", NegativeScorer)
    scorer.model, scorer.lexicon = negative, lexicon
    finder = _component(nlp, "review_causes", CauseFinder)
    finder.model, finder.lexicon, finder.negative = causes, lexicon, scorer
    _component(nlp, "review_severity", SeverityRater).lexicon = lexicon
    return nlp


_Component = TypeVar("_Component", bound=BatchComponent)


def _component(nlp: Language, name: str, kind: type[_Component]) -> _Component:
    """The pipe `name` of `nlp`, which its factory made a `kind`."""
    component = nlp.get_pipe(name)
    if not isinstance(component, kind):
        raise TypeError(f"pipe {name} is a {type(component).__name__}, not a {kind.__name__}")
    return component
