"""Review analysis, drafting and import speed on one core: reviews per second.

    .venv/bin/python bench/reviews_throughput.py [--reviews 10000] [--tokenizers]

Reviews are the held-out goods reviews when ../shared/data is present (cycled to N), otherwise
short synthetic ones. With --tokenizers it also times the tokenizers the analysis could use
(tokenization alone: spaCy's zh character and jieba segmenters, and ours), which decided the
pipeline's tokenizer.
Analyse and import also print their rate per second of CPU time, which is what one core does
when other jobs share the machine (the wall-clock rate is the target's figure on an idle one).
Process is `python -m reviews process`'s work without the file: analysis, then for each
negative review an offer, its message and a checked reply (the drafting alone is timed too).
Import goes through `python -m reviews import`'s code path (CSV parse, dedup, analysis, events,
a commit every 500 rows) into a scratch SQLite database.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target says
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = Path(tempfile.mkdtemp(prefix="reviews-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp / 'bench.db'}"

import spacy  # noqa: E402

from core.migrations import upgrade  # noqa: E402
from core.text import normalise  # noqa: E402
from reviews.analysis import ReviewText, get_analyser  # noqa: E402
from reviews.data import DataMissingError, goods_split  # noqa: E402
from reviews.drafting import BatchDrafter  # noqa: E402
from reviews.service import import_file  # noqa: E402
from reviews.tokens import CHAR_TOKENIZER  # noqa: E402

SYNTHETIC = ["快递太慢了，等了一个星期", "质量很好，很喜欢", "客服态度差", "衣服偏小", "物美价廉"]


def texts(n: int) -> tuple[list[str], str]:
    try:
        _train, heldout = goods_split()
        source, pool = "held-out goods reviews", heldout.texts
    except DataMissingError:
        source, pool = "synthetic reviews", SYNTHETIC
    return [pool[i % len(pool)] for i in range(n)], source


def tokenizer_rates(reviews: list[str]) -> dict[str, float]:
    """Docs per second made by each tokenizer alone (nlp.pipe, no components)."""
    normalised = [normalise(t) for t in reviews]
    choices = {
        "spaCy zh, char segmenter": {},
        "spaCy zh, jieba segmenter": {"segmenter": "jieba"},
        f"ours ({CHAR_TOKENIZER})": {"@tokenizers": CHAR_TOKENIZER},
    }
    rates = {}
    for name, tokenizer in choices.items():
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tokenizer}} if tokenizer else {})
        list(nlp.pipe(normalised[:100]))  # warm-up (jieba loads its dictionary)
        started = time.perf_counter()
        for _doc in nlp.pipe(normalised, batch_size=1000):
            pass
        rates[name] = len(normalised) / (time.perf_counter() - started)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument(
        "--tokenizers", action="store_true", help="also time each spaCy tokenizer alone"
    )
    args = parser.parse_args()
    n = args.reviews
    reviews, source = texts(n)
    analyser = get_analyser()
    analyser.analyse([ReviewText(t) for t in reviews[:100]])  # warm-up
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(0, n, 2000):
        analyser.analyse([ReviewText(t) for t in reviews[i : i + 2000]])
    analyse_rate = n / (time.perf_counter() - started)
    cpu_rate = n / (time.process_time() - cpu_started)
    print(
        f"analyze: {n:,} {source}: {analyse_rate:,.0f} reviews/s "
        f"({cpu_rate:,.0f} per second of CPU time: what one core does when the machine is shared)"
    )
    drafter = BatchDrafter()
    for analysis in analyser.analyse([ReviewText(t) for t in reviews[:200]]):  # warm-up: words
        drafter.drafts(analysis, None, "bench")  # files, jieba's name tagger, the checker
    drafter = BatchDrafter()
    started, cpu_started = time.perf_counter(), time.process_time()
    drafting = 0.0
    negatives = 0
    for i in range(0, n, 2000):
        found = analyser.analyse([ReviewText(t) for t in reviews[i : i + 2000]])
        drafted = time.perf_counter()
        for analysis in found:
            made = drafter.drafts(analysis, None, "bench")
            negatives += made is not None
            if made is not None:
                made.as_json()
        drafting += time.perf_counter() - drafted
    process_rate = n / (time.perf_counter() - started)
    cpu_rate = n / (time.process_time() - cpu_started)
    print(
        f"process: {n:,} {source} ({negatives:,} negative, drafted): {process_rate:,.0f} "
        f"reviews/s ({cpu_rate:,.0f} per second of CPU time); drafting alone "
        f"{negatives / drafting:,.0f} negative reviews/s"
    )
    if args.tokenizers:  # the figures behind the character tokenizer (docs/reviews.md)
        for name, rate in tokenizer_rates(reviews).items():
            print(f"  tokenization alone, {name}: {rate:,.0f} reviews/s")

    upgrade()
    export = _tmp / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["评价ID", "评分", "评价内容"])
        writer.writerows([f"b{i}", 5 if i % 2 else 2, t] for i, t in enumerate(reviews))
    started, cpu_started = time.perf_counter(), time.process_time()
    report = import_file(export, "bench")
    import_rate = n / (time.perf_counter() - started)
    cpu_rate = n / (time.process_time() - cpu_started)
    print(
        f"import:  {report.stored:,} stored into SQLite: {import_rate:,.0f} reviews/s "
        f"({cpu_rate:,.0f} per second of CPU time)"
    )
    started = time.perf_counter()
    again = import_file(export, "bench")
    rerun_rate = n / (time.perf_counter() - started)
    print(f"re-import of the same file: {again.duplicates:,} duplicates: {rerun_rate:,.0f} rows/s")


if __name__ == "__main__":
    main()
