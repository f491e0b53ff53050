"""中差评 alert latency: from a review's arrival to its alert at each of the five channels.

    .venv/bin/python bench/alert_latency.py [--reviews N] [--kill]

Imports the shared goods negatives (`goods_reviews_train.csv`, label 0; the first N) with
`python -m reviews import` into a scratch database while a real `python -m jobs` worker sends
the alerts to local receivers of all five channels (a signed webhook, WeCom, DingTalk and Feishu
robots enforcing their platforms' rate limits, an SMTP server). Each receiver records when each
message arrived; a message names the reviews it covers. Prints, per channel: messages, reviews
covered, reviews in two different messages (must be 0), reviews whose message arrived again
(the same message, sent again after a worker died while sending it), and the latency from the
review's arrival (its row written) to its first message's arrival: p50, p95, max. With --kill
the worker is killed (SIGKILL) when half the reviews are imported, and started again.
"""

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.settings import get_settings  # noqa: E402
from tests.jobs.harness import AlertStack  # noqa: E402


def negatives(limit: int | None) -> list[str]:
    path = get_settings().reviews_data_dir / "goods_reviews_train.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [row["review"] for row in csv.DictReader(handle) if row["label"] == "0"]
    return texts[:limit] if limit else texts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, help="how many negatives (default: all)")
    parser.add_argument("--kill", action="store_true", help="kill the worker once, mid-import")
    parser.add_argument("--keep", type=Path, help="keep the scratch folder (worker logs) here")
    args = parser.parse_args()
    try:
        texts = negatives(args.reviews)
    except FileNotFoundError as exc:
        print(f"the shared review data is not here: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="alert-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        with AlertStack(folder) as stack:
            stack.start_worker()
            time.sleep(1.0)  # the worker's imports
            started = time.time()
            if args.kill:
                half = len(texts) // 2
                stack.import_reviews(texts[:half])
                stack.kill_worker()
                stack.start_worker()
                stack.import_reviews(texts[half:], first_id=half + 1)
            else:
                stack.import_reviews(texts)
            imported = time.time() - started
            delivered = stack.wait_until_delivered(timeout_s=600)
            time.sleep(3)
            expected, arrivals = stack.expected(), stack.arrivals()
            coverage, messages = stack.coverage(), stack.messages()
            distinct = stack.distinct_coverage()
    print(
        f"{len(texts):,} negative goods reviews imported in {imported:.1f} s"
        f" ({len(texts) / imported:,.0f}/s); {len(expected['webhook']):,} judged negative;"
        f" all delivered: {delivered}{'; worker killed once mid-import' if args.kill else ''}"
    )
    header = "| channel | messages | reviews covered | expected | in two messages | repeated"
    print(f"{header} | p50 s | p95 s | max s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for channel, wanted in expected.items():
        first: dict[int, float] = {}
        for a in arrivals:
            if a.channel == channel and a.review_id in wanted:
                first[a.review_id] = min(first.get(a.review_id, a.at), a.at)
        latencies = [at - wanted[review_id] for review_id, at in first.items()]
        twice = sum(1 for n in distinct[channel].values() if n > 1)
        repeated = sum(1 for n in coverage[channel].values() if n > 1) - twice
        if not latencies:
            print(f"| {channel} | 0 | 0 | {len(wanted):,} | 0 | 0 | – | – | – |")
            continue
        print(
            f"| {channel} | {len(messages[channel])} | {len(coverage[channel]):,}"
            f" | {len(wanted):,} | {twice} | {repeated} | {statistics.median(latencies):.2f}"
            f" | {percentile(latencies, 0.95):.2f} | {max(latencies):.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
