"""Hashed character n-gram features and the linear text classifiers built on them.

No vocabulary is stored: n-grams are hashed into a fixed space, so a model is a weight matrix
(sparse, only the n-grams seen in training have weights), an idf vector and biases.

The hashing is scikit-learn's HashingVectorizer's (char n-grams, signed 32-bit MurmurHash3 of
each n-gram, |h| mod 2**21; a test checks they are equal), done with `mmh3`, and scoring is
plain numpy: analysing reviews imports neither scikit-learn nor SciPy, whose imports were half
of the review CLI's start-up. Training builds SciPy matrices from the same counts
(`reviews.training`).
"""

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import mmh3
import numpy as np

N_FEATURES = 2**21
NGRAMS = (1, 4)
_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class NgramCounts:
    """How often each hashed n-gram occurs in each text, row by row (CSR arrays)."""

    indptr: np.ndarray  # text i's n-grams are [indptr[i], indptr[i + 1])
    columns: np.ndarray
    counts: np.ndarray


def ngram_counts(texts: list[str], ngrams: tuple[int, int] = NGRAMS) -> NgramCounts:
    """The hashed character n-grams of each text and their counts (runs of white space count
    as one space, as in scikit-learn)."""
    low, high = ngrams
    indptr, columns, counts = [0], list[int](), list[int]()
    murmur = mmh3.hash
    for text in texts:
        text = _SPACES.sub(" ", text)
        found: dict[int, int] = {}
        for n in range(low, high + 1):
            for i in range(len(text) - n + 1):
                column = abs(murmur(text[i : i + n])) % N_FEATURES
                found[column] = found.get(column, 0) + 1
        columns.extend(found)
        counts.extend(found.values())
        indptr.append(len(columns))
    return NgramCounts(
        np.array(indptr, dtype=np.int64),
        np.array(columns, dtype=np.int32),
        np.array(counts, dtype=np.float64),
    )


def tfidf_values(found: NgramCounts, idf: np.ndarray) -> np.ndarray:
    """The l2-normalised tf·idf of each (text, n-gram) of `found`, tf damped as log(1 + count)
    (scikit-learn's TfidfTransformer on those damped counts)."""
    values: np.ndarray = np.log1p(found.counts) * idf[found.columns]
    rows = len(found.indptr) - 1
    row_of = np.repeat(np.arange(rows), np.diff(found.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=values**2, minlength=rows))
    values /= np.where(norms > 0, norms, 1.0)[row_of]
    return values


@dataclass(frozen=True)
class SparseWeights:
    """A (labels, N_FEATURES) weight matrix as CSR arrays."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray


@dataclass
class LinearTextModel:
    """scores = l2(tf * idf) @ weights.T + bias, one column per label."""

    labels: list[str]
    idf: np.ndarray
    weights: SparseWeights
    bias: np.ndarray
    ngrams: tuple[int, int] = NGRAMS

    def scores(self, texts: list[str]) -> np.ndarray:
        """Raw linear scores, shape (len(texts), len(labels))."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        found = ngram_counts(texts, self.ngrams)
        values = tfidf_values(found, self.idf)
        column, dense = self._compact_weights
        # each (text, n-gram)'s contribution to every label, summed per text by differences
        # of a running sum (rows are in text order)
        contributions = dense[column[found.columns]] * values[:, None]
        running = np.zeros((len(values) + 1, len(self.labels)))
        np.cumsum(contributions, axis=0, out=running[1:])
        scores: np.ndarray = running[found.indptr[1:]] - running[found.indptr[:-1]] + self.bias
        return scores

    @cached_property
    def _compact_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """hashed column → row of a dense (used columns + 1, labels) matrix; the last row is 0."""
        weights = self.weights
        present = np.zeros(N_FEATURES, dtype=bool)
        present[weights.indices] = True  # a scatter: ten times faster than np.unique here
        used = np.flatnonzero(present)
        column = np.full(N_FEATURES, len(used), dtype=np.int32)
        column[used] = np.arange(len(used), dtype=np.int32)
        dense = np.zeros((len(used) + 1, len(self.labels)), dtype=np.float64)
        rows = np.repeat(np.arange(len(self.labels)), np.diff(weights.indptr))
        dense[column[weights.indices], rows] = weights.data
        return column, dense

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            idf=self.idf.astype(np.float16),
            data=self.weights.data.astype(np.float16),  # decisions unchanged (measured)
            indices=self.weights.indices.astype(np.int32),
            indptr=self.weights.indptr.astype(np.int64),
            bias=self.bias.astype(np.float64),
            ngrams=np.array(self.ngrams),
        )

    @classmethod
    def load(cls, path: Path) -> "LinearTextModel":
        with np.load(path, allow_pickle=False) as z:
            return cls(
                labels=[str(label) for label in z["labels"]],
                idf=z["idf"].astype(np.float32),
                weights=SparseWeights(z["data"].astype(np.float32), z["indices"], z["indptr"]),
                bias=z["bias"],
                ngrams=(int(z["ngrams"][0]), int(z["ngrams"][1])),
            )
