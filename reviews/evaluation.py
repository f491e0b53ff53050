"""`python -m reviews evaluate`: ours beside a char n-gram TF-IDF + logistic-regression baseline.

Negative: precision/recall/F1 of the negative class on the held-out 20% of the goods reviews
(the shipped model never saw it). Causes: per-cause F1 on the cosmetics reviews that hold a
negative opinion, by 5-fold cross-validation (the aspect model and the baseline are refitted on
the other folds; the lexicon is fixed).
"""

import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from reviews.analysis import Analyser, ReviewText, get_analyser
from reviews.data import aspect_reviews, goods_split
from reviews.training import train_aspects

CAUSES = ["product", "logistics", "service", "price", "other"]


def baseline() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3))


def evaluate_negative(analyser: Analyser) -> dict[str, dict[str, float]]:
    train, heldout = goods_split()
    vectoriser = baseline()
    clf = LogisticRegression(max_iter=1000).fit(
        vectoriser.fit_transform(train.texts), train.negative
    )
    started = time.perf_counter()
    predicted = clf.predict(vectoriser.transform(heldout.texts))
    base_rate = len(heldout.texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    ours = [a.negative for a in analyser.analyse([ReviewText(t) for t in heldout.texts])]
    our_rate = len(heldout.texts) / (time.perf_counter() - started)
    rows = {}
    for name, guess, rate in (("baseline", predicted, base_rate), ("ours", ours, our_rate)):
        p, r, f, _ = precision_recall_fscore_support(heldout.negative, guess, average="binary")
        rows[name] = {"precision": p, "recall": r, "f1": f, "reviews_per_s": rate}
    rows["n"] = {"heldout": len(heldout.texts), "negative": sum(heldout.negative)}
    return rows


def evaluate_causes(analyser: Analyser, folds: int = 5) -> dict[str, dict[str, float]]:
    reviews = aspect_reviews()
    negatives = [r for r in reviews if r.negative_causes()]
    binarizer = MultiLabelBinarizer(classes=CAUSES)
    gold = binarizer.fit_transform([r.negative_causes() for r in negatives])
    ours = np.zeros_like(gold)
    base = np.zeros_like(gold)
    splitter = KFold(folds, shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(negatives):
        test_ids = {negatives[i].id for i in test_idx}
        fold_aspects = train_aspects([r for r in reviews if r.id not in test_ids])
        fold = Analyser(analyser.negative_model, fold_aspects, analyser.lexicon, "cv")
        found = fold.causes_of([negatives[i].text for i in test_idx])
        ours[test_idx] = binarizer.transform([a.causes for a in found])
        vectoriser = baseline()
        train_x = vectoriser.fit_transform([negatives[i].text for i in train_idx])
        clf = OneVsRestClassifier(LogisticRegression(max_iter=1000))
        clf.fit(train_x, gold[train_idx])
        proba = clf.predict_proba(vectoriser.transform([negatives[i].text for i in test_idx]))
        guess = (proba >= 0.5).astype(int)
        guess[np.arange(len(test_idx)), proba.argmax(axis=1)] = 1  # at least one cause
        base[test_idx] = guess
    table: dict[str, dict[str, float]] = {}
    for k, cause in enumerate(CAUSES):
        support = int(gold[:, k].sum())
        table[cause] = {"support": support}
        for name, guess in (("baseline", base), ("ours", ours)):
            *_, f, _ = precision_recall_fscore_support(
                gold[:, k], guess[:, k], average="binary", zero_division=0
            )
            table[cause][name] = f
    for name, guess in (("baseline", base), ("ours", ours)):
        *_, f, _ = precision_recall_fscore_support(gold, guess, average="micro", zero_division=0)
        table.setdefault("micro", {"support": int(gold.sum())})[name] = f
    return table


def report(analyser: Analyser | None = None) -> str:
    """The evaluation as a Markdown table (what docs/reviews.md records)."""
    analyser = analyser or get_analyser()
    negative = evaluate_negative(analyser)
    causes = evaluate_causes(analyser)
    n = negative.pop("n")
    lines = [
        f"Negative reviews, held-out goods split ({n['heldout']} reviews, "
        f"{n['negative']} negative)",
        "",
        "| model | precision | recall | F1 | reviews/s (incl. causes for ours) |",
        "|---|---|---|---|---|",
    ]
    for name, row in negative.items():
        lines.append(
            f"| {name} | {row['precision']:.4f} | {row['recall']:.4f} | {row['f1']:.4f} "
            f"| {row['reviews_per_s']:,.0f} |"
        )
    lines += [
        "",
        "Causes of negative cosmetics reviews (5-fold cross-validation), F1 per cause",
        "",
        "| cause | support | baseline F1 | ours F1 |",
        "|---|---|---|---|",
    ]
    for cause, row in causes.items():
        lines.append(f"| {cause} | {row['support']} | {row['baseline']:.3f} | {row['ours']:.3f} |")
    return "\n".join(lines)
