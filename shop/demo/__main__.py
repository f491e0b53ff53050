"""`python -m shop.demo table` prints the README's demo order table;
`python -m shop.demo reset --yes` wipes the database and seeds the demo shop again (fresh dates)."""

import argparse
import sys

from alembic import command

from core.database import unit_of_work
from core.migrations import alembic_config, upgrade
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop.demo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("table", help="print the demo order table (Markdown)")
    reset = sub.add_parser("reset", help="drop every table, migrate and seed the demo shop")
    reset.add_argument("--yes", action="store_true", help="confirm: all data is deleted")
    args = parser.parse_args(argv)

    if args.command == "table":
        print(demo_table())
        return 0
    if not args.yes:
        print("reset deletes ALL data in the database; add --yes to confirm.", file=sys.stderr)
        return 2
    command.downgrade(alembic_config(), "base")
    upgrade()
    with unit_of_work() as session:
        count = seed(session)
    print(f"demo shop seeded: {count} orders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
