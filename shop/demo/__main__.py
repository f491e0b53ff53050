"""`python -m shop.demo table` prints the README's demo order table;
`python -m shop.demo reset --yes` wipes the database and seeds the demo shop again (fresh dates);
`python -m shop.demo history [--weeks 12]` adds the generated past (once) to the seeded shop."""

import argparse
import sys

from sqlalchemy import Engine, MetaData

from core.database import get_engine, unit_of_work
from core.migrations import upgrade
from shop.demo.history import seed_history
from shop.demo.prices_invoices import invoice_note
from shop.demo.seed import CATALOGUE_FILE, ORDERS_FILE, load_yaml, seed
from shop.demo.situations import SITUATIONS


def demo_table() -> str:
    """Markdown table: order number, phone tail that verifies it, situation, carrier."""
    customers = {c["code"]: c for c in load_yaml(CATALOGUE_FILE)["customers"]}
    lines = ["| 订单号 | 手机尾号 | 情形 | 快递 |", "|---|---|---|---|"]
    for spec in load_yaml(ORDERS_FILE)["orders"]:
        tail = str(customers[spec["customer"]]["phone"])[-4:]
        label = SITUATIONS[spec["situation"]].label
        if note := invoice_note(spec):
            label = f"{label}；{note}"
        lines.append(f"| {spec['order_no']} | {tail} | {label} | {spec.get('carrier', '—')} |")
    return "\n".join(lines)


def wipe(engine: Engine) -> None:
    """Drop every table of the database, whatever migration it is at (a half-migrated one
    included), children before parents."""
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.begin() as connection:
        tables.drop_all(connection)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop.demo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("table", help="print the demo order table (Markdown)")
    reset = sub.add_parser("reset", help="drop every table, migrate and seed the demo shop")
    reset.add_argument("--yes", action="store_true", help="confirm: all data is deleted")
    history = sub.add_parser("history", help="add weeks of generated past to the demo shop, once")
    history.add_argument("--weeks", type=int, default=12, help="how far back (1 to 104)")
    history.add_argument("--scale", type=float, default=1.0, help="orders a day, times the demo's")
    args = parser.parse_args(argv)

    if args.command == "table":
        print(demo_table())
        return 0
    if args.command == "history":
        if not 1 <= args.weeks <= 104:
            parser.error("--weeks must be from 1 to 104")
        if not 0 < args.scale <= 20:
            parser.error("--scale must be above 0 and at most 20")
        try:
            with unit_of_work() as session:
                done = seed_history(session, weeks=args.weeks, scale=args.scale)
        except LookupError as exc:  # no catalogue
            print(f"{exc}: python -m shop.demo reset --yes", file=sys.stderr)
            return 2
        if not done.orders:
            print("the history is there already: nothing added")
            return 0
        print(
            f"history added: {done.orders} orders, {done.reviews} reviews "
            f"({done.negative} negative), {done.conversations} conversations, "
            f"{done.cases} parcel cases, {done.queue_items} queue items, {done.events} events"
        )
        return 0
    if not args.yes:
        print("reset deletes ALL data in the database; add --yes to confirm.", file=sys.stderr)
        return 2
    wipe(get_engine())
    upgrade()
    with unit_of_work() as session:
        count = seed(session)
    print(f"demo shop seeded: {count} orders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
