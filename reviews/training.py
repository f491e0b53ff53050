"""Training of the two text models: negative-or-not and the aspect (cause) classifier.

Negative: NB-weighted logistic regression on hashed character 1-4-grams (NBSVM-style, Wang &
Manning 2012). Aspects: multinomial logistic regression on the clauses of the cosmetics aspect
set, each labelled with the taxonomy cause of the opinion inside it.
"""

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from core.clock import utcnow
from core.text import normalise
from reviews.clauses import clauses
from reviews.data import AspectReview, aspect_reviews, goods_split
from reviews.features import LinearTextModel, counts, idf_of, tfidf
from reviews.importer import RowError, read_rows

NEGATIVE_RATING = 3  # 中差评: 1-3 stars
MIN_PER_CLASS = 20

NEGATIVE_C = 8.0
ASPECT_C = 4.0


def _fit(features: sp.csr_matrix, y: np.ndarray | list[str], c: float) -> tuple:
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
    tf = counts([normalise(t) for t in texts])
    idf = idf_of(tf)
    present = (tf > 0).astype(np.float32)
    pos = 1 + np.asarray(present[y == 1].sum(axis=0)).ravel()
    neg = 1 + np.asarray(present[y == 0].sum(axis=0)).ravel()
    ratio = np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)
    features = tfidf(tf, idf) @ sp.diags(ratio)
    clf, weights = _fit(features, y, c)
    weights = sp.csr_matrix(weights.multiply(ratio[None, :]))
    weights.eliminate_zeros()
    return LinearTextModel(["negative"], idf, weights, clf.intercept_.astype(np.float64))


def aspect_examples(reviews: list[AspectReview]) -> tuple[list[str], list[str]]:
    """(clause, label) pairs: each clause that holds an opinion, labelled with its cause."""
    texts, labels = [], []
    for review in reviews:
        for clause in clauses(review.text):
            for opinion in review.opinions:
                if opinion.start is not None and clause.start <= opinion.start < clause.end:
                    texts.append(clause.text)
                    labels.append(opinion.label)
                    break
    return texts, labels


def train_aspects(reviews: list[AspectReview], c: float = ASPECT_C) -> LinearTextModel:
    """A multi-label-space model: one score per cause label, softmax gives the probabilities."""
    texts, labels = aspect_examples(reviews)
    tf = counts([normalise(t) for t in texts])
    idf = idf_of(tf)
    clf, weights = _fit(tfidf(tf, idf), labels, c)
    weights.eliminate_zeros()
    return LinearTextModel([str(x) for x in clf.classes_], idf, weights, clf.intercept_)


def save_models(
    directory: Path, negative: LinearTextModel, aspects: LinearTextModel, sources: dict
) -> str:
    """Write negative.npz, aspects.npz and meta.json; returns the model version."""
    directory.mkdir(parents=True, exist_ok=True)
    negative.save(directory / "negative.npz")
    aspects.save(directory / "aspects.npz")
    version = f"nblr-char14-{utcnow():%Y%m%d%H%M}"
    meta = {"version": version, "sources": sources}
    (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return version


def train_default(directory: Path) -> str:
    """The shipped model, from the shared data: goods train split and the whole aspect set."""
    train, _heldout = goods_split()
    negative = train_negative(train.texts, train.negative)
    aspects = train_aspects(aspect_reviews())
    sources = {
        "negative": f"goods_reviews_train.csv, {len(train.texts)} reviews (the 80% train split)",
        "aspects": "cosmetics_aspects Train_reviews.csv + Train_labels.csv (all 3,229 reviews)",
    }
    return save_models(directory, negative, aspects, sources)


def train_from_export(path: Path, directory: Path, base: Path) -> str:
    """Retrain the negative model on a shop's own rated export (1-3 stars negative, 4-5 positive);
    the aspect model is copied from `base`."""
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
    model = train_negative(texts, negative)
    aspects = LinearTextModel.load(base / "aspects.npz")
    return save_models(directory, model, aspects, {"negative": f"{path.name}, {len(texts)} rated"})
