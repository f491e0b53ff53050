"""Hashed character n-gram features and the linear text classifiers built on them.

No vocabulary is stored: n-grams are hashed into a fixed space, so a model is a weight matrix
(sparse, only the n-grams seen in training have weights), an idf vector and biases.

The hashing is scikit-learn's HashingVectorizer's (char n-grams, signed 32-bit MurmurHash3 of
each n-gram, |h| mod 2**21; a test checks they are equal), done with `mmh3` so that analysing
reviews does not import scikit-learn: that import was a third of the CLI's start-up.
"""

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import mmh3
import numpy as np
import scipy.sparse as sp

N_FEATURES = 2**21
NGRAMS = (1, 4)


_SPACES = re.compile(r"\s\s+")


def hashed_counts(texts: list[str], ngrams: tuple[int, int] = NGRAMS) -> sp.csr_matrix:
    """How often each hashed character n-gram occurs in each text (runs of white space count
    as one space, as in scikit-learn)."""
    low, high = ngrams
    indptr, indices, data = [0], list[int](), list[int]()
    murmur = mmh3.hash
    for text in texts:
        text = _SPACES.sub(" ", text)
        found: dict[int, int] = {}
        for n in range(low, high + 1):
            for i in range(len(text) - n + 1):
                column = abs(murmur(text[i : i + n])) % N_FEATURES
                found[column] = found.get(column, 0) + 1
        indices.extend(found)
        data.extend(found.values())
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int32), np.array(indptr)),
        shape=(len(texts), N_FEATURES),
    )


def counts(texts: list[str], ngrams: tuple[int, int] = NGRAMS) -> sp.csr_matrix:
    """Sub-linear (1 + log) term frequencies of the hashed n-grams of normalised texts."""
    matrix = hashed_counts(texts, ngrams)
    matrix.data = np.log1p(matrix.data)
    return matrix


def idf_of(matrix: sp.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's TfidfTransformer computes it."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return (np.log((1 + matrix.shape[0]) / (1 + df)) + 1).astype(np.float32)


def tfidf(matrix: sp.csr_matrix, idf: np.ndarray, copy: bool = True) -> sp.csr_matrix:
    """l2-normalised tf·idf rows, as scikit-learn's TfidfTransformer computes them."""
    matrix = matrix.copy() if copy else matrix
    matrix.data *= idf[matrix.indices]
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=matrix.data**2, minlength=matrix.shape[0]))
    matrix.data /= np.where(norms > 0, norms, 1.0)[row_of]
    return matrix


@dataclass
class LinearTextModel:
    """scores = l2(tf * idf) @ weights.T + bias, one column per label."""

    labels: list[str]
    idf: np.ndarray
    weights: sp.csr_matrix  # (n_labels, N_FEATURES)
    bias: np.ndarray
    ngrams: tuple[int, int] = NGRAMS

    def scores(self, texts: list[str]) -> np.ndarray:
        """Raw linear scores, shape (len(texts), len(labels))."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        features = tfidf(counts(texts, self.ngrams), self.idf, copy=False)
        column, weights = self._compact_weights
        # the same product as features @ weights.T, over the columns that have a weight (fast)
        compact = sp.csr_matrix(
            (features.data, column[features.indices], features.indptr),
            shape=(features.shape[0], weights.shape[0]),
        )
        scores: np.ndarray = compact @ weights + self.bias
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
            labels = [str(label) for label in z["labels"]]
            weights = sp.csr_matrix(
                (z["data"].astype(np.float32), z["indices"], z["indptr"]),
                shape=(len(labels), N_FEATURES),
            )
            return cls(
                labels=labels,
                idf=z["idf"].astype(np.float32),
                weights=weights,
                bias=z["bias"],
                ngrams=(int(z["ngrams"][0]), int(z["ngrams"][1])),
            )
