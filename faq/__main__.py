"""FAQ command line.

python -m faq ask "问题" [-k 3] [--category food]   one question, the API's JSON
python -m faq ask --batch FILE                     one question per line, one JSON line each
python -m faq import [--file faq/entries.yaml]     load YAML into the database (idempotent)
python -m faq export [--out faq/entries.yaml]      write the database's entries as YAML
python -m faq calibrate                            refit faq/calibration.json
"""

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from core.database import unit_of_work
from core.migrations import upgrade
from faq import knowledge_base as kb
from faq.calibrate import refit
from faq.calibration import save_calibration
from faq.service import MAX_K, faq_search, result_json


def _ask(args: argparse.Namespace) -> int:
    if (args.question is None) == (args.batch is None):
        print("give one question, or --batch FILE", file=sys.stderr)
        return 2
    if args.batch is not None:
        try:
            questions = args.batch.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"cannot read {args.batch}: {exc}", file=sys.stderr)
            return 2
    else:
        questions = [args.question]
    with unit_of_work() as session:
        kb.import_if_empty(session)
    with unit_of_work() as session:
        for question in questions:
            if not question.strip():
                print(json.dumps({"results": [], "answered": False}))
                continue
            goods = frozenset({args.category}) if args.category else None
            found = faq_search.search(session, question, args.k, categories=goods)
            result = result_json(found, args.category)
            print(json.dumps(result, ensure_ascii=False, indent=None if args.batch else 2))
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        entries = kb.read_yaml(args.file)
    except kb.FaqFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    with unit_of_work() as session:
        counts = kb.import_entries(session, entries, actor=str(args.file.name))
    print(json.dumps(counts))
    return 0


def _export(args: argparse.Namespace) -> int:
    with unit_of_work() as session:
        entries = kb.all_entries(session)
    args.out.write_text(kb.dump_yaml(entries), encoding="utf-8")
    print(f"wrote {len(entries)} entries to {args.out}")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    if args.from_db:
        with unit_of_work() as session:
            entries = kb.all_entries(session)
    else:
        entries = kb.read_yaml()
    calibration, report = refit(entries)
    save_calibration(calibration, report)
    print(json.dumps({"calibration": calibration.__dict__, "fitted_on": report}, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m faq", description="FAQ knowledge base")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="search the knowledge base")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--batch", type=Path, help="file with one question per line")
    ask.add_argument("-k", type=int, default=3, choices=range(1, MAX_K + 1), metavar="K")
    ask.add_argument("--category", help="product category code for category-specific answers")
    ask.set_defaults(run=_ask)
    load = sub.add_parser("import", help="load a YAML knowledge base into the database")
    load.add_argument("--file", type=Path, default=kb.ENTRIES_FILE)
    load.set_defaults(run=_import)
    export = sub.add_parser("export", help="write the database's entries as YAML")
    export.add_argument("--out", type=Path, default=kb.ENTRIES_FILE)
    export.set_defaults(run=_export)
    calibrate = sub.add_parser("calibrate", help="refit the score calibration")
    calibrate.add_argument(
        "--from-db", action="store_true", help="fit on the database's entries, not the YAML file"
    )
    calibrate.set_defaults(run=_calibrate)
    args = parser.parse_args(argv)
    upgrade(quiet=True)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
