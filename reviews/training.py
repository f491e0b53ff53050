"""Training of the two text models: negative-or-not and the aspect (cause) classifier.

Negative: NB-weighted logistic regression on hashed character 1-4-grams (NBSVM-style, Wang &
Manning 2012), the verdict after a contrast word counted twice; its decision threshold is tuned
for F1 on a validation split carved from the training data, then folded into the bias.
Aspects: multinomial logistic regression on the clauses of the cosmetics aspect set, each
labelled with the taxonomy cause of the opinion inside it, plus weak labels: the clauses of
negative goods (train split) and waimai reviews in which the cue lexicon finds a cause.
"""

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from core.clock import utcnow
from core.text import normalise
from reviews.clauses import clauses, emphasise_contrast
from reviews.data import SPLIT_SEED, AspectReview, aspect_reviews, goods_split, waimai_negatives
from reviews.features import LinearTextModel, counts, idf_of, tfidf
from reviews.importer import RowError, read_rows
from reviews.lexicon import VAGUE, load_lexicon

NEGATIVE_RATING = 3  # 中差评: 1-3 stars
MIN_PER_CLASS = 20

NEGATIVE_C = 8.0
ASPECT_C = 4.0
VALIDATION_SHARE = 0.15
MIN_TO_TUNE = 2000  # fewer reviews: the threshold stays 0 (a tiny validation split is noise)
THRESHOLDS = np.linspace(-1.5, 1.5, 61)
WEAK_PER_LABEL = 1500


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
    weights.eliminate_zeros()
    return LinearTextModel(["negative"], idf, weights, clf.intercept_.astype(np.float64))


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


def weak_label(label: str) -> str:
    """A lexicon label in the aspect model's label space: logistics, service and price are
    coarse there (as in the aspect set); product keeps its sub-cause."""
    cause = label.split(".")[0]
    return label if cause == "product" else cause


def weak_aspect_examples(
    texts: list[str], per_label: int = WEAK_PER_LABEL
) -> tuple[list[str], list[str]]:
    """(clause, label) pairs from negative reviews: each clause where the lexicon finds exactly
    one specific cause, at most `per_label` of each label (a seeded sample)."""
    lexicon = load_lexicon()
    by_label: dict[str, list[str]] = {}
    for text in texts:
        for clause in clauses(normalise(text)):
            matches = [m for m in lexicon.cue_matches([clause]) if m.label != VAGUE]
            if len({weak_label(m.label) for m in matches}) == 1:
                by_label.setdefault(weak_label(matches[0].label), []).append(clause.text)
    rng = np.random.default_rng(SPLIT_SEED)
    pairs = []
    for label, found in sorted(by_label.items()):
        chosen = sorted(set(found))
        if len(chosen) > per_label:
            chosen = [chosen[i] for i in sorted(rng.choice(len(chosen), per_label, replace=False))]
        pairs += [(text, label) for text in chosen]
    return [t for t, _ in pairs], [label for _, label in pairs]


def default_weak_examples() -> tuple[list[str], list[str]]:
    """Weak aspect examples from the shared data: negative goods reviews of the train split and
    negative waimai reviews."""
    train, _heldout = goods_split()
    goods = [t for t, negative in zip(train.texts, train.negative, strict=True) if negative]
    return weak_aspect_examples(goods + waimai_negatives())


def train_aspects(
    reviews: list[AspectReview],
    weak: tuple[list[str], list[str]] | None = None,
    c: float = ASPECT_C,
) -> LinearTextModel:
    """A multi-label-space model: one score per cause label, softmax gives the probabilities."""
    texts, labels = aspect_examples(reviews)
    if weak is not None:
        texts, labels = texts + weak[0], labels + weak[1]
    tf = counts([normalise(t) for t in texts])
    idf = idf_of(tf)
    clf, weights = _fit(tfidf(tf, idf), labels, c)
    weights.eliminate_zeros()
    return LinearTextModel([str(x) for x in clf.classes_], idf, weights, clf.intercept_)


def save_models(
    directory: Path, negative: LinearTextModel, aspects: LinearTextModel, sources: dict[str, str]
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
    negative, threshold = train_negative_tuned(train.texts, train.negative)
    aspects = train_aspects(aspect_reviews(), default_weak_examples())
    sources = {
        "negative": f"goods_reviews_train.csv, {len(train.texts)} reviews (the 80% train split);"
        f" threshold {threshold:+.2f} tuned on a 15% validation split of it",
        "aspects": "cosmetics_aspects Train_reviews.csv + Train_labels.csv (all 3,229 reviews);"
        f" weak labels (lexicon) on negative clauses of the goods train split and waimai_10k.csv,"
        f" at most {WEAK_PER_LABEL} per label",
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
    model, _threshold = train_negative_tuned(texts, negative)
    aspects = LinearTextModel.load(base / "aspects.npz")
    return save_models(directory, model, aspects, {"negative": f"{path.name}, {len(texts)} rated"})
