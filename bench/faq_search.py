"""FAQ retrieval speed with 1,000 entries: index build time and per-query latency on one core.

    .venv/bin/python bench/faq_search.py [--entries 1000] [--queries 2000]

The knowledge base is the shipped one grown to N entries by product-specific copies (each real
entry re-asked about a catalogue product), so the vocabulary grows as a real shop's would.
Queries are the paraphrase evaluation set, cycled.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target says
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faq.knowledge_base import read_yaml  # noqa: E402
from faq.retrieval import FaqIndex  # noqa: E402
from faq.schema import FaqEntryData  # noqa: E402
from faq.text import terms  # noqa: E402


def grown_entries(n: int) -> list[FaqEntryData]:
    real = read_yaml()
    catalogue = yaml.safe_load((ROOT / "shop/demo/catalogue.yaml").read_text("utf-8"))
    products = [p["keywords"][0] for p in catalogue["products"] if p.get("keywords")]
    entries = list(real)
    i = 0
    while len(entries) < n:
        base, product = real[i % len(real)], products[i % len(products)]
        entries.append(
            base.model_copy(
                update={
                    "id": f"{base.id}_{i}",
                    "question": f"{product}{base.question}",
                    "variants": [f"{product} {v}" for v in base.variants],
                    "answer": f"关于{product}：{base.answer}",
                }
            )
        )
        i += 1
    return entries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()

    cases = yaml.safe_load((ROOT / "tests/faq/paraphrases.yaml").read_text("utf-8"))["cases"]
    terms("预热分词词典")  # load jieba's dictionary before timing anything
    entries = grown_entries(args.entries)

    start = time.perf_counter()
    index = FaqIndex(entries)
    build_s = time.perf_counter() - start
    edited = [
        entries[0].model_copy(update={"answer": entries[0].answer + "（已更新）"}),
        *entries[1:],
    ]
    start = time.perf_counter()
    FaqIndex(edited)  # what the first search after an admin edit pays
    rebuild_s = time.perf_counter() - start

    latencies = []
    for n in range(args.queries):
        question = cases[n % len(cases)]["q"]
        start = time.perf_counter()
        index.search(question, k=3)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"entries: {len(entries)}, queries: {len(latencies)}")
    print(f"index build: {build_s:.2f} s (cold), rebuild after one edit: {rebuild_s:.2f} s")
    print(
        f"query latency: p50 {p(0.50):.2f} ms, p95 {p(0.95):.2f} ms, p99 {p(0.99):.2f} ms, "
        f"mean {statistics.mean(latencies):.2f} ms"
    )


if __name__ == "__main__":
    main()
