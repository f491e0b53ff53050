"""Training of the two text models: negative-or-not and the causes of a negative review.

Negative: NB-weighted logistic regression on hashed character 1-4-grams (NBSVM-style, Wang &
Manning 2012), the verdict after a contrast word counted twice; its decision threshold is tuned
for F1 on a validation split carved from the training data, then folded into the bias.
Causes: one-vs-rest logistic regressions on hashed character 1-3-grams, one per cause and
sub-cause, learnt from hand-labelled real negatives (reviews/labels/), thresholds tuned by
cross-validation together with the cue lexicon.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, train_test_split

from core.clock import utcnow
from core.text import normalise
from reviews.clauses import Clause, clauses, emphasise_contrast
from reviews.data import SPLIT_SEED, goods_split, labelled_causes
from reviews.features import (
    N_FEATURES,
    NGRAMS,
    LinearTextModel,
    NgramCounts,
    SparseWeights,
    ngram_counts,
    tfidf_values,
)
from reviews.importer import RowError, read_rows
from reviews.lexicon import VAGUE, load_lexicon

NEGATIVE_RATING = 3  # 中差评: 1-3 stars
MIN_PER_CLASS = 20

NEGATIVE_C = 8.0
VALIDATION_SHARE = 0.15
MIN_TO_TUNE = 2000  # fewer reviews: the threshold stays 0 (a tiny validation split is noise)
THRESHOLDS = np.linspace(-1.5, 1.5, 61)


def counts(texts: list[str], ngrams: tuple[int, int] = NGRAMS) -> sp.csr_matrix:
    """The texts' hashed n-gram counts as a SciPy matrix (the models score with the same
    counts: reviews.features)."""
    found = ngram_counts(texts, ngrams)
    return sp.csr_matrix(
        (found.counts, found.columns, found.indptr), shape=(len(texts), N_FEATURES)
    )


def idf_of(matrix: sp.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's TfidfTransformer computes it."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return (np.log((1 + matrix.shape[0]) / (1 + df)) + 1).astype(np.float32)


def tfidf(matrix: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """The l2-normalised tf·idf of count rows (reviews.features.tfidf_values)."""
    found = NgramCounts(matrix.indptr, matrix.indices, matrix.data)
    values = tfidf_values(found, idf)
    return sp.csr_matrix((values, matrix.indices, matrix.indptr), shape=matrix.shape)


def _weights(matrix: sp.csr_matrix) -> SparseWeights:
    matrix = sp.csr_matrix(matrix)
    matrix.eliminate_zeros()
    return SparseWeights(matrix.data, matrix.indices, matrix.indptr)


def _fit(
    features: sp.csr_matrix, y: np.ndarray | list[str], c: float
) -> tuple[LogisticRegression, sp.csr_matrix]:
    """Logistic regression on the columns that occur (fast), weights scattered back to all."""
    used = np.unique(features.indices)
    clf = LogisticRegression(C=c, max_iter=3000).fit(features[:, used], y)
    weights = sp.lil_matrix((clf.coef_.shape[0], features.shape[1]), dtype=np.float32)
    weights[:, used] = clf.coef_
    return clf, weights.tocsr()


def train_negative(texts: list[str], negative: list[int], c: float = NEGATIVE_C) -> LinearTextModel:
    """A one-label model whose score is the log-odds that a review is negative."""
    y = np.asarray(negative)
    if len(set(y.tolist())) < 2:
        raise ValueError("need both negative and positive examples to train")
    tf = counts([emphasise_contrast(normalise(t)) for t in texts])
    idf = idf_of(tf)
    present = (tf > 0).astype(np.float32)
    pos = 1 + np.asarray(present[y == 1].sum(axis=0)).ravel()
    neg = 1 + np.asarray(present[y == 0].sum(axis=0)).ravel()
    ratio = np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)
    features = tfidf(tf, idf) @ sp.diags(ratio)
    clf, weights = _fit(features, y, c)
    weights = sp.csr_matrix(weights.multiply(ratio[None, :]))
    return LinearTextModel(["negative"], idf, _weights(weights), clf.intercept_.astype(np.float64))


def tune_threshold(texts: list[str], negative: list[int]) -> float:
    """The log-odds threshold with the best F1 on a stratified validation split of the
    training data (a model is fitted on the rest)."""
    fit_x, val_x, fit_y, val_y = train_test_split(
        texts, negative, test_size=VALIDATION_SHARE, random_state=SPLIT_SEED, stratify=negative
    )
    scores = train_negative(fit_x, fit_y).scores([emphasise_contrast(normalise(t)) for t in val_x])
    f1 = [f1_score(val_y, scores[:, 0] >= t) for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(f1))])


def train_negative_tuned(texts: list[str], negative: list[int]) -> tuple[LinearTextModel, float]:
    """train_negative on all the texts, its bias shifted so that log-odds 0 is the tuned
    threshold; returns the model and that threshold."""
    threshold = tune_threshold(texts, negative) if len(texts) >= MIN_TO_TUNE else 0.0
    model = train_negative(texts, negative)
    model.bias = model.bias - threshold
    return model, threshold


CAUSE_C = 10.0
CAUSE_NGRAMS = (1, 3)
CAUSE_FOLDS = 5
MIN_POSITIVES = 15  # a label with fewer labelled reviews gets no model (the lexicon alone)
CAUSE_THRESHOLDS = np.arange(0.1, 0.8, 0.025)
# A sub-cause tells an agent what to do, so its threshold is at least 0.2: measured by
# cross-validation on the labelled reviews, precision 0.714 → 0.745 for micro-F1 0.736 → 0.731.
LOWEST_SUB_CAUSE_THRESHOLD = 0.2


@dataclass(frozen=True)
class LabelledReview:
    """A hand-labelled negative review: its text and every cause and sub-cause it names."""

    text: str
    labels: frozenset[str]  # "product", "logistics.slow", …


def lexicon_labels(texts: list[str]) -> list[set[str]]:
    """The cause and sub-cause labels the cue lexicon finds in each (normalised) text."""
    lexicon = load_lexicon()
    found = []
    for text in texts:
        matches = lexicon.cue_matches(clauses(text) or [Clause(0, len(text), text)])
        labels = {m.label for m in matches if m.label != VAGUE}
        found.append(labels | {label.split(".")[0] for label in labels})
    return found


def _fit_one_vs_rest(
    features: sp.csr_matrix, y: np.ndarray, c: float
) -> tuple[sp.csr_matrix, np.ndarray]:
    """A logistic regression per column of `y`: weights (labels, features) and biases."""
    used = np.unique(features.indices)
    weights = sp.lil_matrix((y.shape[1], features.shape[1]), dtype=np.float32)
    bias = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        clf = LogisticRegression(C=c, max_iter=3000).fit(features[:, used], y[:, j])
        weights[j, used] = clf.coef_[0]
        bias[j] = clf.intercept_[0]
    return weights.tocsr(), bias


def _cause_model(texts: list[str], y: np.ndarray, labels: list[str]) -> LinearTextModel:
    tf = counts(texts, CAUSE_NGRAMS)
    idf = idf_of(tf)
    weights, bias = _fit_one_vs_rest(tfidf(tf, idf), y, CAUSE_C)
    return LinearTextModel(labels, idf, _weights(weights), bias, CAUSE_NGRAMS)


def _tuned_threshold(
    gold: np.ndarray, probability: np.ndarray, lexicon: np.ndarray, lowest: float = 0.0
) -> float:
    """The probability threshold (at least `lowest`) with the best F1 when the lexicon's finds
    are kept too."""
    grid = CAUSE_THRESHOLDS[lowest - 1e-9 <= CAUSE_THRESHOLDS]
    f1 = [f1_score(gold, (probability >= t) | lexicon) for t in grid]
    return float(grid[int(np.argmax(f1))])


def train_causes(reviews: list[LabelledReview]) -> tuple[LinearTextModel, dict[str, float]]:
    """One-vs-rest logistic regressions on character 1-3-gram TF-IDF, one per cause and
    sub-cause with at least MIN_POSITIVES reviews. Each label's threshold is tuned for F1 by
    cross-validation, the lexicon's finds counted in (the analyser keeps the union), and folded
    into its bias, so a score of 0 is the decision. Returns the model and the thresholds."""
    texts = [normalise(r.text) for r in reviews]
    counted: dict[str, int] = {}
    for review in reviews:
        for label in review.labels:
            counted[label] = counted.get(label, 0) + 1
    labels = sorted(label for label, n in counted.items() if n >= MIN_POSITIVES)
    labels = [label for label in labels if label != "other"]
    y = np.array([[label in r.labels for label in labels] for r in reviews], dtype=int)
    lexicon = np.array([[label in found for label in labels] for found in lexicon_labels(texts)])
    probability = np.zeros(y.shape)
    folds = KFold(CAUSE_FOLDS, shuffle=True, random_state=SPLIT_SEED)
    for fit, held in folds.split(texts):
        model = _cause_model([texts[i] for i in fit], y[fit], labels)
        probability[held] = 1 / (1 + np.exp(-model.scores([texts[i] for i in held])))
    thresholds = {
        label: _tuned_threshold(
            y[:, j],
            probability[:, j],
            lexicon[:, j],
            LOWEST_SUB_CAUSE_THRESHOLD if "." in label else 0.0,
        )
        for j, label in enumerate(labels)
    }
    model = _cause_model(texts, y, labels)
    model.bias = model.bias - np.array([np.log(t / (1 - t)) for t in thresholds.values()])
    return model, thresholds


def default_labelled_reviews() -> list[LabelledReview]:
    """The hand-labelled negatives of reviews/labels/ (goods train split and waimai), joined
    to their texts in the shared data."""
    return [
        LabelledReview(text, frozenset(label["causes"]) | frozenset(label["sub_causes"]))
        for text, label in labelled_causes()
        if label["negative"]
    ]


def save_models(
    directory: Path, negative: LinearTextModel, causes: LinearTextModel, sources: dict[str, str]
) -> str:
    """Write negative.npz, causes.npz and meta.json; returns the model version."""
    directory.mkdir(parents=True, exist_ok=True)
    negative.save(directory / "negative.npz")
    causes.save(directory / "causes.npz")
    stale = directory / "aspects.npz"  # the aspect model of earlier versions
    stale.unlink(missing_ok=True)
    version = f"nblr-char14-causes-{utcnow():%Y%m%d%H%M}"
    meta = {"version": version, "sources": sources}
    (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return version


def train_default(directory: Path) -> str:
    """The shipped model, from the shared data: the goods train split, and the hand-labelled
    negatives of reviews/labels/ joined to their texts."""
    train, _heldout = goods_split()
    negative, threshold = train_negative_tuned(train.texts, train.negative)
    labelled = default_labelled_reviews()
    causes, thresholds = train_causes(labelled)
    sources = {
        "negative": f"goods_reviews_train.csv, {len(train.texts)} reviews (the 80% train split);"
        f" threshold {threshold:+.2f} tuned on a 15% validation split of it",
        "causes": f"{len(labelled)} hand-labelled negative reviews (reviews/labels/: goods train"
        " split and waimai_10k.csv); one-vs-rest logistic regression per label, thresholds"
        " tuned by 5-fold cross-validation with the lexicon: "
        + ", ".join(f"{label} {t:.3f}" for label, t in thresholds.items()),
    }
    return save_models(directory, negative, causes, sources)


def train_from_export(path: Path, directory: Path, base: Path) -> str:
    """Retrain the negative model on a shop's own rated export (1-3 stars negative, 4-5 positive);
    the cause model is copied from `base`."""
    texts, negative = [], []
    for row in read_rows(path):
        if isinstance(row, RowError) or row.rating is None or not row.text.strip():
            continue
        texts.append(" ".join(filter(None, (row.text, row.follow_up_text))))
        negative.append(int(row.rating <= NEGATIVE_RATING))
    if min(sum(negative), len(negative) - sum(negative)) < MIN_PER_CLASS:
        raise ValueError(
            f"{path}: need at least {MIN_PER_CLASS} rated reviews of each kind (1-3 and 4-5 stars)"
        )
    model, _threshold = train_negative_tuned(texts, negative)
    causes = LinearTextModel.load(base / "causes.npz")
    return save_models(directory, model, causes, {"negative": f"{path.name}, {len(texts)} rated"})
