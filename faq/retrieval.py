"""BM25 retrieval over FAQ entries, with calibrated scores and a "no good answer" decision.

An entry is two BM25 documents: its questions (the canonical one and every variant, together)
and, as weaker evidence, its answer; the entry scores the weighted sum of both. The score
shown is the probability that the entry answers the question, from a logistic calibration over
features that do not depend on the size of the knowledge base (see faq/calibration.py).
"""

import math
from dataclasses import dataclass

import bm25s
import numpy as np

from faq.calibration import Calibration, features, load_calibration
from faq.schema import FaqEntryData
from faq.text import terms

ANSWER_WEIGHT = 0.4  # an answer that mentions the words is weaker evidence than a question


@dataclass(frozen=True)
class Hit:
    entry: FaqEntryData
    score: float  # calibrated probability that this entry answers the question


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    answered: bool  # the best hit is good enough to answer without asking back


class FaqIndex:
    """An immutable index of a set of entries; build a new one when the entries change."""

    def __init__(self, entries: list[FaqEntryData], calibration: Calibration | None = None):
        self.entries = entries
        self.calibration = calibration or load_calibration()
        docs: list[list[str]] = []
        owners: list[int] = []
        weights: list[float] = []
        for position, entry in enumerate(entries):
            questions = [t for form in (entry.question, *entry.variants) for t in terms(form)]
            docs += [questions, terms(entry.answer)]
            owners += [position, position]
            weights += [1.0, ANSWER_WEIGHT]
        self._entry_terms: list[set[str]] = [set() for _ in entries]
        for doc, owner in zip(docs, owners, strict=True):
            self._entry_terms[owner].update(doc)
        self._owners = np.array(owners, dtype=np.int64)
        self._weights = np.array(weights, dtype=np.float32)
        self._bm25 = bm25s.BM25()
        if docs:
            self._bm25.index([d or ["∅"] for d in docs], show_progress=False)
        document_frequency: dict[str, int] = {}
        for doc in docs:
            for term in set(doc):
                document_frequency[term] = document_frequency.get(term, 0) + 1
        n = max(len(docs), 1)
        self._idf = {
            t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in document_frequency.items()
        }
        self._default_idf = math.log(1 + (n + 0.5) / 0.5)

    def entry_scores(self, query_terms: list[str]) -> np.ndarray:
        """Raw BM25 score of every entry (weighted sum of its documents) for the query."""
        scores = np.zeros(len(self.entries), dtype=np.float32)
        known = [t for t in query_terms if t in self._idf]
        if not known or not self.entries:
            return scores
        doc_scores = self._bm25.get_scores(known) * self._weights
        np.add.at(scores, self._owners, doc_scores)
        return scores

    def coverage(self, query_terms: list[str], entry_position: int) -> float:
        """Share of the query's information (IDF-weighted terms) found in the entry's texts."""
        if not query_terms:
            return 0.0
        entry_terms = self._entry_terms[entry_position]
        weight = [self._idf.get(t, self._default_idf) for t in query_terms]
        found = sum(w for t, w in zip(query_terms, weight, strict=True) if t in entry_terms)
        return found / sum(weight)

    def search(self, query: str, k: int = 3) -> SearchResult:
        """The `k` best entries for `query`, with calibrated scores."""
        query_terms = terms(query)
        scores = self.entry_scores(query_terms)
        order = np.argsort(-scores, kind="stable")[: max(k, 2)]
        hits = []
        for rank, position in enumerate(order[:k]):
            raw = float(scores[position])
            if raw <= 0:
                break
            best_other = float(
                scores[order[1]] if rank == 0 and len(order) > 1 else scores[order[0]]
            )
            x = features(
                raw, best_other, self.coverage(query_terms, int(position)), len(query_terms)
            )
            hits.append(Hit(self.entries[int(position)], self.calibration.probability(x)))
        answered = bool(hits) and hits[0].score >= self.calibration.threshold
        return SearchResult(hits, answered)
