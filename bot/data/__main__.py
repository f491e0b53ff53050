"""Bot training data command line.

python -m bot.data corrections --out FILE [--since 2026-12-01]
    the agents' corrections (shopper messages the bot misunderstood) as Rasa 3 NLU training
    data, for a person to review before the next training

Deliberately only this file here: `bot/data/` is Rasa's data folder (it reads the YAML and
skips other files), and without an `__init__.py` importing nothing leaves a `__pycache__` in
it (the model's fingerprint hashes every file under it).
"""

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path


def _since(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (e.g. 2026-12-01)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _corrections(args: argparse.Namespace) -> int:
    from conversations.corrections import corrections, nlu_yaml
    from core.database import unit_of_work

    with unit_of_work() as session:
        rows = corrections(session, limit=10_000_000, since=args.since)
        text = nlu_yaml(rows)
    out: Path = args.out
    if out.resolve().parent == Path(__file__).resolve().parent:
        print(
            f"refusing to write into bot/data/ ({out}): review the export first",
            file=sys.stderr,
        )
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} corrections to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser(
        "corrections", help="the agents' corrections as Rasa NLU training data"
    )
    export.add_argument("--out", type=Path, required=True, help="the YAML file to write")
    export.add_argument(
        "--since", type=_since, default=None, help="only corrections made since (ISO date)"
    )
    args = parser.parse_args(argv)
    return _corrections(args)


if __name__ == "__main__":
    sys.exit(main())
