"""`python -m reviews evaluate`: ours beside a char n-gram TF-IDF + logistic-regression baseline.

Negative: precision/recall/F1 of the negative class on the held-out 20% of the goods reviews
(the shipped model never saw it), against their star-rating labels and, on a weighted sample,
against how people read the texts (reviews/eval/negative_read.jsonl). Causes: per-cause F1 on
the hand-labelled negatives of the held-out goods split (reviews/eval/), and on the cosmetics
reviews that hold a negative opinion (a domain the cause model never learnt from; the baseline
is cross-validated on them).
"""

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from core.settings import get_settings
from reviews.analysis import Analyser, ReviewText, get_analyser
from reviews.causes import ReviewCause
from reviews.data import AspectReview, Labelled, aspect_reviews, goods_split, review_key

CAUSES = [cause.value for cause in ReviewCause]
MAIN_CAUSES = ["product", "logistics", "service", "price"]  # the macro-F1 (other is rare)

Predict = Callable[[list[str]], list[tuple[list[str], list[str]]]]  # texts → (causes, subs)
# cause (or "sub_causes (micro)") → {"support": n, prediction name → {"precision": .., ..}}
ScoreTable = dict[str, dict[str, Any]]


class CauseLabel(TypedDict):
    """One line of the goods-cause labels (see goods_causes_path)."""

    key: str
    causes: list[str]
    sub_causes: list[str]
    cat: NotRequired[str]
    negative: NotRequired[bool]


def baseline() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3))


def evaluate_negative(
    analyser: Analyser, split: tuple[Labelled, Labelled] | None = None
) -> dict[str, dict[str, float]]:
    train, heldout = split or goods_split()
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


NEGATIVE_READ = Path(__file__).parent / "eval" / "negative_read.jsonl"


def evaluate_negative_read(
    analyser: Analyser, heldout_texts: Sequence[str], path: Path = NEGATIVE_READ, draws: int = 2000
) -> dict[str, float]:
    """Negative P/R/F1 against people's reading of a sample of the held-out split, each review
    weighted by how many of the split it stands for (a stratified sample: all the reviews the
    shipped model got wrong by their stars, weight 1, and 200 of each kind it got right), with
    a 95% interval from resampling within each weight; nan without the texts."""
    by_key = {review_key(t): t for t in heldout_texts}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if r["key"] in by_key]
    if not rows:
        return {"precision": float("nan"), "recall": float("nan"), "f1": float("nan"), "n": 0}
    guess = np.array(
        [a.negative for a in analyser.analyse([ReviewText(by_key[r["key"]]) for r in rows])]
    )
    gold = np.array([r["negative"] for r in rows])
    weight = np.array([r["weight"] for r in rows])

    def scores(index: np.ndarray) -> tuple[float, float, float]:
        g, p, w = gold[index], guess[index], weight[index]
        tp, fp, fn = w[g & p].sum(), w[~g & p].sum(), w[g & ~p].sum()
        return tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)

    groups = [np.flatnonzero(weight == w) for w in np.unique(weight)]
    rng = np.random.default_rng(7)
    f1s = sorted(
        scores(np.concatenate([g if len(g) == 1 else rng.choice(g, len(g)) for g in groups]))[2]
        for _ in range(draws)
    )
    precision, recall, f1 = scores(np.arange(len(rows)))
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "low": f1s[int(0.025 * draws)],
        "high": f1s[int(0.975 * draws)],
        "n": len(rows),
    }


def cosmetics_negatives() -> list[AspectReview]:
    """The cosmetics reviews with at least one negative opinion (the aspect set's negatives)."""
    return [r for r in aspect_reviews() if r.negative_causes()]


def evaluate_causes(
    analyser: Analyser, negatives: Sequence[AspectReview], folds: int = 5
) -> dict[str, dict[str, float]]:
    """Per-cause F1 on the cosmetics negatives, a domain the cause model never learnt from;
    the baseline is trained on the cosmetics themselves (cross-validated), so it is at home."""
    binarizer = MultiLabelBinarizer(classes=CAUSES)
    gold = binarizer.fit_transform([r.negative_causes() for r in negatives])
    found = analyser.causes_of([r.text for r in negatives])
    ours = binarizer.transform([[str(c) for c in a.causes] for a in found])
    base = np.zeros_like(gold)
    splitter = KFold(folds, shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(negatives):
        predict = _fit_cause_baseline([negatives[i].text for i in train_idx], gold[train_idx])
        base[test_idx] = predict([negatives[i].text for i in test_idx])
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


def _fit_cause_baseline(texts: list[str], gold: np.ndarray) -> Callable[[list[str]], np.ndarray]:
    """The baseline for causes: one-vs-rest TF-IDF char 1-3 + logistic regression, each review
    given at least its likeliest cause (a negative review has one)."""
    vectoriser = baseline()
    clf = OneVsRestClassifier(LogisticRegression(max_iter=1000))
    clf.fit(vectoriser.fit_transform(texts), gold)

    def predict(batch: list[str]) -> np.ndarray:
        proba = clf.predict_proba(vectoriser.transform(batch))
        guess: np.ndarray = (proba >= 0.5).astype(int)
        guess[np.arange(len(batch)), proba.argmax(axis=1)] = 1
        return guess

    return predict


def goods_causes_path() -> Path:
    """Hand-labelled causes of negative reviews of the held-out goods split (another person's
    work; never used for tuning): REVIEWS_GOODS_CAUSES, by default
    `reviews/eval/goods_causes.jsonl`. One JSON object a line: key, cat, negative, causes,
    sub_causes."""
    return get_settings().reviews_goods_causes


def load_cause_labels(path: Path) -> list[CauseLabel]:
    """The labelled lines (blank lines skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def join_by_key(
    labels: list[CauseLabel], texts: Sequence[str]
) -> tuple[list[tuple[str, CauseLabel]], int]:
    """(text, label) for each negative label whose key is one of `texts`; and how many
    negative labels found no text."""
    by_key = {review_key(t): t for t in texts}
    joined = [(by_key[x["key"]], x) for x in labels if x.get("negative") and x["key"] in by_key]
    unmatched = sum(1 for x in labels if x.get("negative") and x["key"] not in by_key)
    return joined, unmatched


def _prf(gold: np.ndarray, guess: np.ndarray, average: str) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(gold, guess, average=average, zero_division=0)
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def score_causes(
    gold: list[CauseLabel], predictions: dict[str, list[tuple[list[str], list[str]]]]
) -> ScoreTable:
    """Per-cause precision/recall/F1 and sub-cause micro P/R/F1 of each named prediction."""
    causes = MultiLabelBinarizer(classes=CAUSES).fit([CAUSES])
    gold_causes = causes.transform([g["causes"] for g in gold])
    subs = sorted(
        {s for g in gold for s in g["sub_causes"]}
        | {s for found in predictions.values() for _, ss in found for s in ss}
    )
    sub_binarizer = MultiLabelBinarizer(classes=subs).fit([subs])
    gold_subs = sub_binarizer.transform([g["sub_causes"] for g in gold])
    table: ScoreTable = {c: {"support": int(gold_causes[:, k].sum())} for k, c in enumerate(CAUSES)}
    table["sub_causes (micro)"] = {"support": int(gold_subs.sum())}
    for name, found in predictions.items():
        guess = causes.transform([c for c, _ in found])
        for k, cause in enumerate(CAUSES):
            table[cause][name] = _prf(gold_causes[:, k], guess[:, k], "binary")
        guess_subs = sub_binarizer.transform([ss for _, ss in found])
        table["sub_causes (micro)"][name] = _prf(gold_subs, guess_subs, "micro")
    return table


def baseline_causes(negatives: Sequence[AspectReview]) -> Predict:
    """One-vs-rest TF-IDF char 1-3 + logistic regression on the cosmetics negatives (as in the
    aspect-set table), at least one cause; sub-causes from a second one on their mapped
    sub-cause labels (packaging, fake, poor_quality, smell, size_fit, not_fresh)."""
    texts = [r.text for r in negatives]
    cause_bin = MultiLabelBinarizer(classes=CAUSES).fit([CAUSES])
    predict_causes = _fit_cause_baseline(
        texts, cause_bin.transform([r.negative_causes() for r in negatives])
    )
    vectoriser = baseline()
    x = vectoriser.fit_transform(texts)
    sub_sets = [{o.label for o in r.opinions if o.negative and "." in o.label} for r in negatives]
    sub_bin = MultiLabelBinarizer().fit(sub_sets)
    sub_clf = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(
        x, sub_bin.transform(sub_sets)
    )

    def predict(batch: list[str]) -> list[tuple[list[str], list[str]]]:
        guess = predict_causes(batch)
        subs = sub_clf.predict_proba(vectoriser.transform(batch)) >= 0.5
        return [
            (
                [c for c, on in zip(CAUSES, row, strict=True) if on],
                [str(x) for x in sub_bin.classes_[s]],
            )
            for row, s in zip(guess, subs, strict=True)
        ]

    return predict


def evaluate_goods_causes(
    analyser: Analyser, path: Path, texts: Sequence[str], baseline_predict: Predict
) -> tuple[ScoreTable, int, int]:
    """The hand-labelled goods causes joined to `texts` (the held-out split): the score table,
    the number of labelled negatives joined and of those with no matching text."""
    joined, unmatched = join_by_key(load_cause_labels(path), texts)
    batch = [t for t, _ in joined]
    ours = [([str(c) for c in a.causes], a.sub_causes) for a in analyser.causes_of(batch)]
    predictions = {"baseline": baseline_predict(batch), "ours": ours}
    return score_causes([g for _, g in joined], predictions), len(joined), unmatched


def goods_cause_lines(table: ScoreTable, joined: int, unmatched: int) -> list[str]:
    lines = [
        f"Causes of hand-labelled negative goods reviews (held-out split, {joined} reviews"
        + (f"; {unmatched} labels without a matching review" if unmatched else "")
        + "), per cause",
        "",
        "| cause | support | baseline P | baseline R | baseline F1 | ours P | ours R | ours F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for cause, row in table.items():
        cells = [
            f"{row[n][m]:.3f}" for n in ("baseline", "ours") for m in ("precision", "recall", "f1")
        ]
        lines.append(f"| {cause} | {row['support']} | " + " | ".join(cells) + " |")
    macro = {n: np.mean([table[c][n]["f1"] for c in MAIN_CAUSES]) for n in ("baseline", "ours")}
    lines.append(
        f"| **macro-F1 ({', '.join(MAIN_CAUSES)})** | | | | {macro['baseline']:.3f} | | |"
        f" **{macro['ours']:.3f}** |"
    )
    return lines


def report(analyser: Analyser | None = None) -> str:
    """The evaluation as a Markdown table (what docs/reviews.md records)."""
    analyser = analyser or get_analyser()
    split = goods_split()  # read once: the negative, people's reading and the causes use it
    negative = evaluate_negative(analyser, split)
    cosmetics = cosmetics_negatives()  # read once: the cosmetics table and the goods baseline
    causes = evaluate_causes(analyser, cosmetics)
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
    heldout = split[1]
    read = evaluate_negative_read(analyser, heldout.texts)
    lines += [
        "",
        f"Ours against people's reading ({read['n']} held-out reviews read by two people,"
        f" weighted to the split): precision {read['precision']:.4f}, recall"
        f" {read['recall']:.4f}, F1 {read['f1']:.4f} (95% {read.get('low', 0):.4f}-"
        f"{read.get('high', 0):.4f})",
    ]
    lines += [
        "",
        "Causes of negative cosmetics reviews (ours never learnt from them; the baseline by"
        " 5-fold cross-validation on them), F1 per cause",
        "",
        "| cause | support | baseline F1 | ours F1 |",
        "|---|---|---|---|",
    ]
    for cause, row in causes.items():
        lines.append(f"| {cause} | {row['support']} | {row['baseline']:.3f} | {row['ours']:.3f} |")
    path = goods_causes_path()
    if path.is_file():
        table, joined, unmatched = evaluate_goods_causes(
            analyser, path, heldout.texts, baseline_causes(cosmetics)
        )
        lines += ["", *goods_cause_lines(table, joined, unmatched)]
    else:
        lines += ["", f"({path} is not there: no hand-labelled goods causes evaluated)"]
    return "\n".join(lines)
