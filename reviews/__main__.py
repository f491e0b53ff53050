"""Review command line.

python -m reviews analyze FILE --out OUT.jsonl     one JSON line of analysis per review
python -m reviews process FILE --out OUT.jsonl     the analysis, an offer and a reply per review
python -m reviews import FILE [--platform taobao]  store a CSV/JSONL export (idempotent)
python -m reviews evaluate                         ours beside the TF-IDF+LR baseline
python -m reviews train [--from FILE] [--out DIR]  retrain (shared data, or a rated export)
"""

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from reviews.analysis import Analysis, ReviewText, get_analyser, model_dir
from reviews.data import DataMissingError
from reviews.importer import ImportFileError, ReviewRow, RowError, count_lines, read_rows

ANALYZE_BATCH = 2000


def _analyze(args: argparse.Namespace) -> int:
    return _each_review(args, lambda _row, _found: {}, "analysed")


def _process(args: argparse.Namespace) -> int:
    from reviews.drafting import BatchDrafter

    drafter = BatchDrafter()

    def drafts(row: ReviewRow, found: Analysis) -> dict[str, Any]:
        made = drafter.drafts(found, row.product_name, row.platform)
        return {"offer": None, "reply": None} if made is None else made.as_json()

    return _each_review(args, drafts, "processed")


def _each_review(
    args: argparse.Namespace,
    more: Callable[[ReviewRow, Analysis], dict[str, Any]],
    done: str,
) -> int:
    """Analyse every row of the input and write one JSON line each, with `more`'s fields."""
    try:  # the importer's reader: CSV or JSONL, UTF-8 or GBK, the platforms' column names
        parsed = list(read_rows(args.input))
    except ImportFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    for error in (row for row in parsed if isinstance(row, RowError)):
        print(f"{error}; skipped", file=sys.stderr)
    rows = [row for row in parsed if isinstance(row, ReviewRow)]
    items = [ReviewText(row.text, row.rating, row.follow_up_text) for row in rows]
    analyser = get_analyser()
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        for start in range(0, len(items), ANALYZE_BATCH):
            end = start + ANALYZE_BATCH
            for row, found in zip(rows[start:end], analyser.analyse(items[start:end]), strict=True):
                line = {"id": row.review_id, **found.as_json(), **more(row, found)}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"{done} {len(items)} reviews into {args.out}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from jobs.tasks import enqueue_on_commit  # the database and the job queue
    from reviews.service import import_file

    enqueue_on_commit()  # each committed batch wakes the worker's alert deliveries

    try:
        total = count_lines(args.file)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    with tqdm(total=total, unit="rows", disable=total < 2000 or None, file=sys.stderr) as bar:

        def advance(rows: int) -> None:
            bar.update(rows)

        try:
            report = import_file(args.file, args.platform, progress=advance)
        except ImportFileError as exc:
            print(exc, file=sys.stderr)
            return 2
    for error in report.errors:
        print(error, file=sys.stderr)
    print(json.dumps(report.as_json()))
    return 1 if report.errors else 0


def _evaluate(_args: argparse.Namespace) -> int:
    from reviews.evaluation import report

    try:
        print(report())
    except DataMissingError as exc:
        print(f"cannot evaluate: {exc}", file=sys.stderr)
        return 2
    return 0


def _train(args: argparse.Namespace) -> int:
    from reviews.training import train_default, train_from_export

    out = args.out or model_dir()
    try:
        if args.source is not None:
            version = train_from_export(args.source, out, base=model_dir())
        else:
            version = train_default(out)
    except (DataMissingError, ImportFileError, ValueError) as exc:
        print(f"cannot train: {exc}", file=sys.stderr)
        return 2
    print(f"trained {version} into {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reviews", description="review analysis")
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser("analyze", help="analyse a CSV (id,text[,rating,...]) to JSON lines")
    analyze.add_argument("input", type=Path)
    analyze.add_argument("--out", type=Path, help="JSONL file (default: standard output)")
    analyze.set_defaults(func=_analyze)
    process = sub.add_parser("process", help="analyse, and draft an offer and a reply per review")
    process.add_argument("input", type=Path)
    process.add_argument("--out", type=Path, help="JSONL file (default: standard output)")
    process.set_defaults(func=_process)
    imp = sub.add_parser("import", help="store a platform export (CSV or JSONL)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--platform", help="platform of every row (default: the row's, or 'import')")
    imp.set_defaults(func=_import)
    sub.add_parser("evaluate", help="ours vs the TF-IDF+LR baseline").set_defaults(func=_evaluate)
    train = sub.add_parser("train", help="retrain the models")
    train.add_argument("--from", dest="source", type=Path, help="a rated export (CSV or JSONL)")
    train.add_argument("--out", type=Path, help="model folder (default: the shipped one)")
    train.set_defaults(func=_train)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
