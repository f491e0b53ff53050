"""BM25 retrieval over FAQ entries, with calibrated scores and a "no good answer" decision.

An entry is two BM25 documents: its questions (the canonical one and every variant, together)
and, as weaker evidence, its answer; the entry scores the weighted sum of both. The score
shown is the probability that the entry answers the question, from a logistic calibration over
features that do not depend on the size of the knowledge base (see faq/calibration.py).

In a conversation, what the shopper asked before counts too: most real follow-ups name no
topic (要多久, 好了吗, 可以改吗), so each earlier message adds its entries' probabilities to a
memory that fades by a tenth a message, and a question not clear on its own is ranked by its
own probabilities plus that memory (docs/nlu.md measures it on real chats).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from faq.calibration import Calibration, features, load_calibration
from faq.schema import FaqEntryData
from faq.text import terms

ANSWER_WEIGHT = 0.4  # an answer that mentions the words is weaker evidence than a question
# The conversation's memory (chosen on the half of the real chats whose errors may be read):
MEMORY_FADE = 0.9  # each later message keeps 90% of an earlier one's weight
MEMORY_MESSAGES = 20  # earlier messages read; 0.9**20 is about a tenth
MEMORY_CAP = 1.0  # what many messages on one topic can add: as much as one sure answer
SURE_ON_ITS_OWN = 0.8  # a question this clear keeps its own answer whatever came before
# The earlier messages the memory reads, by the intent the NLU gave them (taxonomy names): policy
# questions, and those not understood or out of scope, which often are. A request's order
# number and phone tail (帮我查下快递 … 尾号3508) are not a question about privacy.
MEMORY_INTENTS = frozenset({"faq", "nlu_fallback", "out_of_scope"})


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
            docs += [questions, terms(entry.answer_for(None))]  # as shoppers read it
            owners += [position, position]
            weights += [1.0, ANSWER_WEIGHT]
        self._question_terms = [set(docs[2 * position]) for position in range(len(entries))]
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
        # A conversation's earlier messages are read again at every turn.
        self._probabilities = lru_cache(maxsize=4096)(self._probabilities_of)

    def entry_titled(self, text: str) -> FaqEntryData | None:
        """The entry whose own question `text` is, word for word (the bot's button for it
        tapped, or the question typed as the FAQ puts it), or None."""
        asked = text.strip()
        return next((e for e in self.entries if e.question.strip() == asked), None)

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
        """Share of the query's information (IDF-weighted terms) found in the entry's questions."""
        if not query_terms:
            return 0.0
        entry_terms = self._question_terms[entry_position]
        weight = [self._idf.get(t, self._default_idf) for t in query_terms]
        found = sum(w for t, w in zip(query_terms, weight, strict=True) if t in entry_terms)
        return found / sum(weight)

    def ranked(
        self, query: str, k: int, left_out: frozenset[int] = frozenset()
    ) -> list[tuple[int, list[float]]]:
        """Positions of the `k` best matching entries, each with its calibration features;
        `left_out`: positions of entries that may not answer (out of the goods in focus)."""
        query_terms = terms(query)
        scores = self.entry_scores(query_terms)
        scores[list(left_out)] = 0.0
        order = [int(p) for p in np.argsort(-scores, kind="stable")[: max(k, 2)]]
        ranked = []
        for rank, position in enumerate(order[:k]):
            raw = float(scores[position])
            if raw <= 0:
                break
            rival = order[1] if rank == 0 else order[0]
            best_other = float(scores[rival]) if rival != position else 0.0
            coverage = self.coverage(query_terms, position)
            ranked.append((position, features(raw, best_other, coverage, len(query_terms))))
        return ranked

    def _probabilities_of(self, query: str, left_out: frozenset[int] = frozenset()) -> np.ndarray:
        """The calibrated probability of every entry for `query` alone (0 where no term
        matches, and for the entries `left_out`); read-only, since it is cached
        (`self._probabilities`)."""
        out = np.zeros(len(self.entries), dtype=np.float64)
        for position, x in self.ranked(query, len(self.entries), left_out):
            out[position] = self.calibration.probability(x)
        out.flags.writeable = False
        return out

    def memory(self, earlier: Sequence[str], left_out: frozenset[int] = frozenset()) -> np.ndarray:
        """What the conversation so far says about each entry: the probabilities of the
        earlier messages (oldest first), fading by message, capped at `MEMORY_CAP`."""
        memory = np.zeros(len(self.entries), dtype=np.float64)
        recent = list(earlier)[-MEMORY_MESSAGES:]
        for age, text in enumerate(reversed(recent)):
            memory += MEMORY_FADE**age * self._probabilities(text, left_out)
        return np.minimum(memory, MEMORY_CAP)

    def left_out(self, categories: frozenset[str] | None) -> frozenset[int]:
        """Positions of the entries about other goods than those of `categories` (the order or
        product in focus): 大家电 delivery is no answer about running shoes."""
        return frozenset(p for p, e in enumerate(self.entries) if not e.fits(categories))

    def search(
        self,
        query: str,
        k: int = 3,
        earlier: Sequence[str] = (),
        categories: frozenset[str] | None = None,
    ) -> SearchResult:
        """The `k` best entries for `query`, with calibrated scores.

        `categories`: the product categories of the order or product the conversation is
        about (None: none); an entry scoped to other goods is never among the hits.

        `earlier`: the shopper's earlier messages in this conversation, oldest first. A
        question not clear on its own (要多久, 在哪里看, 好了吗) is ranked with the memory of
        them; when that puts an entry first, its score is the probability of the question
        read with the shopper's latest earlier message about that entry (their own words
        before it), so the bot answers only when the two together are clear, and otherwise
        asks which was meant. (Read with the entry's own question instead, nearly every
        follow-up passed: on the real chats a third of those answers were wrong.)
        """
        left_out = self.left_out(categories)
        own = self._probabilities(query, left_out)
        if not earlier or not own.size or own.max() >= SURE_ON_ITS_OWN:
            return self._search(query, k, left_out)
        memory = self.memory(earlier, left_out)
        combined = own + memory
        order = [int(p) for p in np.argsort(-combined, kind="stable")[:k] if combined[p] > 0]
        if not order:
            return SearchResult([], False)
        scores = [float(own[p]) for p in order]
        said = self._said_about(order[0], earlier, left_out) if memory[order[0]] > 0 else None
        if said is not None:
            within = self._probabilities(f"{said} {query}", left_out)[order[0]]
            scores[0] = max(scores[0], float(within))
        hits = [Hit(self.entries[p], round(s, 4)) for p, s in zip(order, scores, strict=True)]
        return SearchResult(hits, hits[0].score >= self.calibration.threshold)

    def _said_about(
        self, position: int, earlier: Sequence[str], left_out: frozenset[int] = frozenset()
    ) -> str | None:
        """The latest earlier message (of those the memory reads) whose best entry is the one
        at `position`: the shopper's own words a follow-up is read with."""
        for text in reversed(list(earlier)[-MEMORY_MESSAGES:]):
            probabilities = self._probabilities(text, left_out)
            best = int(np.argmax(probabilities)) if probabilities.size else -1
            if best == position and probabilities[best] > 0:  # one matching nothing says nothing
                return text
        return None

    def _search(self, query: str, k: int, left_out: frozenset[int] = frozenset()) -> SearchResult:
        hits = [
            Hit(self.entries[position], self.calibration.probability(x))
            for position, x in self.ranked(query, k, left_out)
        ]
        answered = bool(hits) and hits[0].score >= self.calibration.threshold
        return SearchResult(hits, answered)
