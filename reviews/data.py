"""Readers of the shared real review data (never copied into the repository).

The folder is `../shared/data/reviews` beside the project, or `REVIEWS_DATA_DIR`. Every reader
raises `DataMissingError` with a clear message when its file is absent.
"""

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.settings import get_settings

SPLIT_SEED = 20261122
HELDOUT_SHARE = 0.2

# Cosmetics aspect categories → "cause" or "cause.sub_cause" labels of taxonomy section 3.
ASPECT_LABELS = {
    "物流": "logistics",
    "服务": "service",
    "价格": "price",
    "包装": "product.packaging",
    "真伪": "product.fake",
    "功效": "product.poor_quality",
    "使用体验": "product.poor_quality",
    "成分": "product.poor_quality",
    "整体": "product",
    "气味": "product.smell",
    "尺寸": "product.size_fit",
    "新鲜度": "product.not_fresh",
    "其他": "other",
}


class DataMissingError(FileNotFoundError):
    """The shared data folder (or one of its files) is not on this machine."""


def data_dir() -> Path:
    """The shared data folder of the settings (REVIEWS_DATA_DIR)."""
    return get_settings().reviews_data_dir


def _path(*parts: str) -> Path:
    path = data_dir().joinpath(*parts)
    if not path.is_file():
        raise DataMissingError(
            f"{path} not found: the shared review data is not on this machine "
            "(set REVIEWS_DATA_DIR to its folder); the shipped model is used instead"
        )
    return path


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Labelled:
    texts: list[str] = field(default_factory=list)
    negative: list[int] = field(default_factory=list)


def goods_split() -> tuple[Labelled, Labelled]:
    """The goods reviews as (train, held-out): a fixed 80/20 split by category and label."""
    from sklearn.model_selection import train_test_split  # training and evaluation only

    rows = _read_csv(_path("goods_reviews_train.csv"))
    train, test = train_test_split(
        rows,
        test_size=HELDOUT_SHARE,
        random_state=SPLIT_SEED,
        stratify=[r["cat"] + r["label"] for r in rows],
    )
    return tuple(  # type: ignore[return-value]
        Labelled([r["review"] for r in part], [1 - int(r["label"]) for r in part])
        for part in (train, test)
    )


@dataclass
class Opinion:
    label: str  # an ASPECT_LABELS value
    negative: bool
    start: int | None  # offset of the aspect or opinion term in the review
    end: int | None


@dataclass
class AspectReview:
    id: str
    text: str
    opinions: list[Opinion]

    def negative_causes(self) -> set[str]:
        """Coarse causes of the review's negative opinions (the cause-attribution gold)."""
        return {o.label.split(".")[0] for o in self.opinions if o.negative}


def _offset(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def aspect_reviews() -> list[AspectReview]:
    """The cosmetics reviews with their labelled opinions, categories mapped to the taxonomy."""
    folder = "cosmetics_aspects"
    texts = {r["id"]: r["Reviews"] for r in _read_csv(_path(folder, "Train_reviews.csv"))}
    opinions: dict[str, list[Opinion]] = {key: [] for key in texts}
    for row in _read_csv(_path(folder, "Train_labels.csv")):
        starts = [_offset(row["A_start"]), _offset(row["O_start"])]
        ends = [_offset(row["A_end"]), _offset(row["O_end"])]
        known_starts = [s for s in starts if s is not None]
        known_ends = [e for e in ends if e is not None]
        opinions[row["id"]].append(
            Opinion(
                label=ASPECT_LABELS[row["Categories"]],
                negative=row["Polarities"] == "负面",
                start=min(known_starts) if known_starts else None,
                end=max(known_ends) if known_ends else None,
            )
        )
    return [AspectReview(key, text, opinions[key]) for key, text in texts.items()]


LABELS_DIR = Path(__file__).with_name("labels")
LABELLED_SOURCES = {  # labels file → the shared file whose texts it labels
    "goods_train_causes.jsonl": "goods_reviews_train.csv",
    "waimai_causes.jsonl": "waimai_10k.csv",
}


def review_key(text: str) -> str:
    """How label files name a review: the first 16 hex digits of sha1(text)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def labelled_causes(labels_dir: Path = LABELS_DIR) -> list[tuple[str, dict[str, Any]]]:
    """(text, label) of each hand-labelled review of reviews/labels/ whose text is in the
    shared data (label: key, cat, negative, causes, sub_causes)."""
    joined = []
    for name, source in LABELLED_SOURCES.items():
        texts = {review_key(r["review"]): r["review"] for r in _read_csv(_path(source))}
        for line in (labels_dir / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                label = json.loads(line)
                if label["key"] in texts:
                    joined.append((texts[label["key"]], label))
    return joined
