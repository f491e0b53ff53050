"""Hashed character n-gram features and the linear text classifiers built on them.

No vocabulary is stored: n-grams are hashed into a fixed space, so a model is a weight matrix
(sparse, only the n-grams seen in training have weights), an idf vector and biases.
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

N_FEATURES = 2**21
NGRAMS = (1, 4)


def hasher(ngrams: tuple[int, int] = NGRAMS) -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char",
        ngram_range=ngrams,
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=False,  # callers pass core.text.normalise()d text
    )


def counts(texts: list[str], ngrams: tuple[int, int] = NGRAMS) -> sp.csr_matrix:
    """Sub-linear (1 + log) term frequencies of the hashed n-grams of normalised texts."""
    matrix: sp.csr_matrix = hasher(ngrams).transform(texts).tocsr()
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
    normalised: sp.csr_matrix = normalize(matrix, copy=False)
    return normalised


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
        used = np.unique(self.weights.indices)
        column = np.full(N_FEATURES, len(used), dtype=np.int32)
        column[used] = np.arange(len(used), dtype=np.int32)
        dense = np.zeros((len(used) + 1, len(self.labels)), dtype=np.float64)
        dense[:-1] = self.weights[:, used].toarray().T
        return column, dense

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            idf=self.idf.astype(np.float16),
            data=self.weights.data.astype(np.float32),
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
                (z["data"], z["indices"], z["indptr"]), shape=(len(labels), N_FEATURES)
            )
            return cls(
                labels=labels,
                idf=z["idf"].astype(np.float32),
                weights=weights,
                bias=z["bias"],
                ngrams=(int(z["ngrams"][0]), int(z["ngrams"][1])),
            )
