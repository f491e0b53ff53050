"""The managers' reports over one million reviews and their events, on PostgreSQL.

    .venv/bin/python bench/reports.py [--database-url URL] [--reviews 1000000] [--repeat 5]
    .venv/bin/python bench/reports.py --reviews 20000      # a quick run (its own database)

Seeds the database once with the generated history of `shop.demo.history_plan` (about 1.5 years
of the demo shop grown until it has that many reviews: orders, parcels, reviews with their
analyses, chats with their messages, parcel cases, offers, replies, alerts, queue items) through
COPY, then times every report of `reports.REPORTS` over the last 12 weeks, the last year and
the whole history: the first run of each (cold: nothing of it in PostgreSQL's cache for that
range yet) and then `--repeat` runs (warm), printing p50 and max milliseconds. Run again with the
data present, it skips seeding. The default database, `kefu_bench_reports` (a quick run's:
`kefu_bench_reports_<reviews>`), is created on the local cluster as the `postgres` user when
it is missing, and migrated. No figure is asserted: docs/benchmarks.md records them.
"""

import argparse
import importlib
import multiprocessing
import statistics
import subprocess
import sys
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: `reports` is the package, not this file

import psycopg  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from core.clock import SHOP_TZ  # noqa: E402
from core.migrations import upgrade  # noqa: E402
from shop.demo.history_plan import (  # noqa: E402
    BASE_ORDERS_PER_DAY,
    REVIEW_RATE,
    DayPlan,
    PlannedConversation,
    PlannedReview,
    Planner,
)

REVIEWS = 1_000_000
WEEKS = 78  # about 1.5 years
ROLE = "kefu_bench"
DEFAULT_DB = "kefu_bench_reports"
PRODUCT_WINDOW = timedelta(days=7)  # a product queue item: 3 complaints within a week
QUEUE_CAUSE = {"product": "product", "price": "product", "logistics": "logistics"}
QUEUE_CAUSE["service"] = "service"


def default_url(reviews: int) -> str:
    name = DEFAULT_DB if reviews == REVIEWS else f"{DEFAULT_DB}_{reviews}"
    return f"postgresql+psycopg://{ROLE}:{ROLE}@127.0.0.1:5432/{name}"


def ensure_database(url: str) -> None:
    """Create the role and the database on the local cluster (as `postgres`) if missing."""
    parsed = make_url(url)
    sql = (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{parsed.username}') "
        f"THEN CREATE ROLE {parsed.username} LOGIN PASSWORD '{parsed.password}'; END IF; END $$;"
    )
    psql = ["runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-qtAc"]
    subprocess.run([*psql, sql], check=True, cwd="/")
    exists = subprocess.run(
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{parsed.database}'"],
        check=True,
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout.strip()
    if not exists:
        create = f"CREATE DATABASE {parsed.database} OWNER {parsed.username}"
        subprocess.run([*psql, create], check=True, cwd="/")


# --- seeding ---------------------------------------------------------------------------------


class Ids:
    """Ids handed out here, so that events can name their subjects before COPY."""

    def __init__(self, first: int = 1) -> None:
        self.next: dict[str, int] = defaultdict(lambda: first)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _ts(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


EVENT_COLUMNS = (
    "name",
    "occurred_at",
    "subject_type",
    "subject_id",
    "conversation_id",
    "order_no",
    "product_id",
    "carrier",
    "cause",
    "actor",
    "agent",
    "sku",
    "sub_cause",
    "region",
    "value",
    "payload",
)
TABLES: dict[str, tuple[str, ...]] = {
    "reviews": (
        "id",
        "platform",
        "platform_review_id",
        "product_id",
        "product_name",
        "sku",
        "order_id",
        "rating",
        "text",
        "images_count",
        "created_at",
        "imported_at",
    ),
    "review_analyses": (
        "id",
        "review_id",
        "negative",
        "negative_score",
        "causes",
        "sub_causes",
        "severity",
        "severity_reasons",
        "evidence",
        "model_version",
        "analysed_at",
    ),
    "conversations": ("id", "channel", "handled_by", "started_at", "last_message_at"),
    "messages": ("conversation_id", "sender", "text", "buttons", "created_at"),
    "events": EVENT_COLUMNS,
}


class Rows:
    """Turns a day of the plan into the rows of each table (events named like the demo's)."""

    def __init__(self, first_id: int = 1) -> None:
        self.ids = Ids(first_id)
        self.complaints: dict[str, deque[datetime]] = defaultdict(deque)
        self.open_items: dict[str, tuple[int, datetime]] = {}  # key: item id, close at

    def event(
        self, at: datetime, name: str, subject_type: str, subject: object, **dims: Any
    ) -> tuple[Any, ...]:
        value = dims.pop("value", None)
        payload = dims.pop("payload", {})
        return (
            name,
            _ts(at),
            subject_type,
            str(subject),
            *(dims.get(c) for c in EVENT_COLUMNS[4:14]),
            None if value is None else round(value, 2),
            Jsonb(payload),
        )

    def day(self, plan: DayPlan) -> Iterator[tuple[str, tuple[Any, ...]]]:
        for o in plan.orders:
            where = {
                "order_no": o.order_no,
                "region": o.province,
                "sku": o.sku,
                "product_id": o.item.code,
            }
            yield (
                "events",
                self.event(
                    o.placed_at, "order.placed", "order", o.order_no, value=float(o.total), **where
                ),
            )
            if o.shipped_at is not None:
                took = (o.shipped_at - o.placed_at).total_seconds()
                yield (
                    "events",
                    self.event(
                        o.shipped_at,
                        "order.shipped",
                        "order",
                        o.order_no,
                        carrier=o.carrier,
                        value=took,
                        **where,
                    ),
                )
            if o.delivered_at is not None and o.shipped_at is not None:
                took = (o.delivered_at - o.shipped_at).total_seconds()
                yield (
                    "events",
                    self.event(
                        o.delivered_at,
                        "order.delivered",
                        "order",
                        o.order_no,
                        carrier=o.carrier,
                        value=took,
                        **where,
                    ),
                )
        for r in plan.reviews:
            yield from self.review(r)
        for c in plan.conversations:
            yield from self.conversation(c)

    def review(self, r: PlannedReview) -> Iterator[tuple[str, tuple[Any, ...]]]:
        o = r.order
        rid = self.ids.take("reviews")
        at = r.at + timedelta(minutes=2)
        yield (
            "reviews",
            (
                rid,
                r.platform,
                r.key,
                o.item.code,
                o.item.name[:128],
                o.sku,
                o.order_no,
                r.rating,
                r.text,
                0,
                _ts(r.at),
                _ts(at),
            ),
        )
        yield (
            "review_analyses",
            (
                self.ids.take("review_analyses"),
                rid,
                r.negative,
                round(r.score, 4),
                Jsonb(r.causes),
                Jsonb(r.sub_causes),
                r.severity,
                Jsonb(r.severity_reasons),
                Jsonb(r.evidence),
                "bench-history",
                _ts(at),
            ),
        )
        where = {
            "order_no": o.order_no,
            "product_id": o.item.code,
            "sku": o.sku,
            "region": o.province,
            "carrier": o.carrier,
        }
        payload = {"platform": r.platform, "platform_review_id": r.key, "rating": r.rating}
        yield "events", self.event(at, "review.received", "review", rid, payload=payload, **where)
        if not r.negative:
            return
        cause = r.causes[0]
        sub = r.sub_causes[0] if r.sub_causes else None
        payload = {"causes": r.causes, "sub_causes": r.sub_causes, "severity": r.severity}
        yield (
            "events",
            self.event(
                at,
                "review.flagged_negative",
                "review",
                rid,
                cause=cause,
                sub_cause=sub,
                payload=payload,
                **where,
            ),
        )
        for channel, sent_at, sent in r.alerts:
            name, took = (
                ("alert.sent", (sent_at - r.at).total_seconds()) if sent else ("alert.failed", None)
            )
            yield (
                "events",
                self.event(
                    sent_at, name, "review", rid, cause=channel, value=took, product_id=o.item.code
                ),
            )
        dims = {"order_no": o.order_no, "product_id": o.item.code, "cause": cause}
        if r.offer is not None:
            offer = r.offer.offer
            amount = None if offer.amount is None else float(offer.amount)
            payload = {"rule": offer.rule, "step": offer.step, "remedy": offer.remedy.value}
            yield (
                "events",
                self.event(
                    r.offer.drafted_at,
                    "review.offer_drafted",
                    "review",
                    rid,
                    actor="system",
                    value=amount,
                    payload=payload,
                    **dims,
                ),
            )
            for d in r.offer.decisions:
                yield (
                    "events",
                    self.event(
                        d.at,
                        f"review.offer_{d.state}",
                        "review",
                        rid,
                        actor="agent",
                        agent=d.by or "客服小美",
                        value=amount,
                        payload=payload,
                        **dims,
                    ),
                )
        if r.reply is not None:
            yield (
                "events",
                self.event(
                    r.reply.at,
                    f"review.reply_{r.reply.state}",
                    "review",
                    rid,
                    actor="agent",
                    agent=r.reply.by,
                    **dims,
                ),
            )
        if o.item.code and sub and QUEUE_CAUSE.get(cause) == "product":
            yield from self.queue(f"product|{sub}|{o.item.code}", r.at, o.item.code, sub)

    def queue(
        self, key: str, at: datetime, product: str, sub: str
    ) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """Product queue items: opened at the third complaint of a key within a week, closed
        a few days later (the consumer's rule, without its table)."""
        open_item = self.open_items.get(key)
        if open_item is not None and open_item[1] <= at:
            item_id, closes = open_item
            yield (
                "events",
                self.event(
                    closes,
                    "queue_item.closed",
                    "queue_item",
                    item_id,
                    cause="product",
                    actor="agent",
                    agent="运营小王",
                    product_id=product,
                    payload={"sub_cause": sub},
                ),
            )
            del self.open_items[key]
        if key in self.open_items:
            return
        times = self.complaints[key]
        times.append(at)
        while times and times[0] < at - PRODUCT_WINDOW:
            times.popleft()
        if len(times) >= 3:
            item_id = self.ids.take("queue_items")
            closes = at + timedelta(days=2 + (item_id * 7919 % 12))
            self.open_items[key] = (item_id, closes)
            times.clear()
            yield (
                "events",
                self.event(
                    at,
                    "queue_item.opened",
                    "queue_item",
                    item_id,
                    cause="product",
                    actor="system",
                    product_id=product,
                    payload={"sub_cause": sub, "complaints": 3},
                ),
            )

    def conversation(self, c: PlannedConversation) -> Iterator[tuple[str, tuple[Any, ...]]]:
        last = c.lines[-1].at if c.lines else c.started_at
        handled = "human" if c.handoff and not c.resolved and not c.handed_back else "bot"
        yield "conversations", (c.id, "storefront", handled, _ts(c.started_at), _ts(last))
        order_no = c.order.order_no if c.order else None
        region = c.order.province if c.order else None
        yield (
            "events",
            self.event(
                c.started_at,
                "conversation.started",
                "conversation",
                c.id,
                conversation_id=c.id,
                order_no=order_no,
                region=region,
                payload={"channel": "storefront"},
            ),
        )
        for line in c.lines:
            yield "messages", (c.id, line.sender, line.text, Jsonb([]), _ts(line.at))
            name = "message.received" if line.sender == "shopper" else "message.sent"
            yield (
                "events",
                self.event(
                    line.at,
                    name,
                    "conversation",
                    c.id,
                    conversation_id=c.id,
                    actor=line.sender,
                    agent=line.agent,
                ),
            )
        if c.case is not None and c.order is not None:
            case_id = self.ids.take("logistics_cases")
            o = c.order
            dims = {
                "order_no": o.order_no,
                "carrier": o.carrier,
                "cause": c.case.kind,
                "conversation_id": c.id,
                "region": o.province,
                "product_id": o.item.code,
                "sku": o.sku,
            }
            yield "events", self.event(c.case.opened_at, "case.opened", "case", case_id, **dims)
            if c.case.resolved_at is not None:
                took = (c.case.resolved_at - c.case.opened_at).total_seconds()
                actor = "carrier" if c.case.resolved_by is None else "agent"
                yield (
                    "events",
                    self.event(
                        c.case.resolved_at,
                        "case.resolved",
                        "case",
                        case_id,
                        actor=actor,
                        agent=c.case.resolved_by,
                        value=took,
                        **dims,
                    ),
                )
        if c.handoff is not None:
            at, reason, _detail = c.handoff
            yield (
                "events",
                self.event(
                    at,
                    "conversation.handed_off",
                    "conversation",
                    c.id,
                    conversation_id=c.id,
                    cause=reason,
                    order_no=order_no,
                ),
            )
            if c.taken is not None:
                yield (
                    "events",
                    self.event(
                        c.taken[0],
                        "conversation.taken",
                        "conversation",
                        c.id,
                        conversation_id=c.id,
                        actor="agent",
                        agent=c.taken[1],
                        value=(c.taken[0] - at).total_seconds(),
                    ),
                )
            if c.handed_back is not None and c.taken is not None:
                yield (
                    "events",
                    self.event(
                        c.handed_back,
                        "conversation.handed_back",
                        "conversation",
                        c.id,
                        conversation_id=c.id,
                        actor="agent",
                        agent=c.taken[1],
                        value=(c.handed_back - at).total_seconds(),
                    ),
                )
        if c.resolved is not None:
            at, actor, agent = c.resolved
            yield (
                "events",
                self.event(
                    at,
                    "conversation.resolved",
                    "conversation",
                    c.id,
                    conversation_id=c.id,
                    actor=actor,
                    agent=agent,
                    order_no=order_no,
                    value=(at - c.started_at).total_seconds(),
                ),
            )


def seed(url: str, reviews: int, end: datetime, workers: int = 2) -> dict[str, int]:
    """COPY the plan's rows into every table, `workers` processes each planning and writing a
    part of the days; the events' secondary indexes are dropped for the load and built again
    after it (much faster than keeping them up to date row by row)."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        indexes = [
            (name, definition)
            for name, definition in connection.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' "
                "AND indexname <> 'events_pkey' AND indexname NOT LIKE 'pk_%'"
            )
        ]
        for name, _definition in indexes:
            connection.execute(f'DROP INDEX "{name}"')
    days = WEEKS * 7 + 1
    parts = [
        (url, reviews, end, k * days // workers, (k + 1) * days // workers, k)
        for k in range(workers)
    ]
    counts: dict[str, int] = defaultdict(int)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for part in pool.starmap(_seed_part, parts):
            for table, count in part.items():
                counts[table] += count
    began = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            connection.execute(definition)
        for table in ("reviews", "review_analyses"):
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        connection.execute("VACUUM ANALYZE")
    print(f"  {len(indexes)} event indexes built, vacuumed in {time.perf_counter() - began:.0f} s")
    return dict(counts)


def _seed_part(
    url: str, reviews: int, end: datetime, first_day: int, last_day: int, worker: int
) -> dict[str, int]:
    """One worker's days [first_day, last_day) of the plan, COPYed (its ids start apart)."""
    reviews_per_day = BASE_ORDERS_PER_DAY * 1.1 * REVIEW_RATE * 0.97  # at scale 1
    scale = reviews / (WEEKS * 7 * reviews_per_day)
    planner = Planner(end - timedelta(weeks=WEEKS), end, scale, seed=1_000_000)
    rows = Rows(first_id=worker * 200_000_000 + 1)
    counts: dict[str, int] = defaultdict(int)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    first = planner.start.astimezone(SHOP_TZ).date()
    with ExitStack() as stack:
        copies = {}
        for table, columns in reversed(TABLES.items()):  # parents commit first (last in)
            connection = stack.enter_context(psycopg.connect(dsn))
            connection.execute("SET synchronous_commit = off")
            cursor = stack.enter_context(connection.cursor())
            copies[table] = stack.enter_context(
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
            )
        started, last_note = time.perf_counter(), time.perf_counter()
        for n in range(first_day, last_day):
            for table, row in rows.day(planner.day(first + timedelta(days=n))):
                copies[table].write_row(row)
                counts[table] += 1
            if time.perf_counter() - last_note > 60:
                last_note = time.perf_counter()
                print(
                    f"  worker {worker}: day {n + 1 - first_day}/{last_day - first_day}, "
                    f"{counts['reviews']:,} reviews, {counts['events']:,} events, "
                    f"{last_note - started:.0f} s",
                    flush=True,
                )
    return dict(counts)


# --- timing ----------------------------------------------------------------------------------


def ranges(end: date) -> dict[str, tuple[date, date]]:
    return {
        "12 weeks": (end - timedelta(days=83), end),
        "1 year": (end - timedelta(days=364), end),
        "all (1.5 years)": (end - timedelta(weeks=WEEKS), end),
    }


def time_reports(
    engine: Engine, end: date, repeat: int
) -> list[tuple[str, str, float, float, float]]:
    """(report, range, cold ms, warm p50 ms, warm max ms) for each report and range."""
    package = importlib.import_module("reports")
    make_filter = importlib.import_module("reports.model").make_filter

    found = []
    for label, (start, stop) in ranges(end).items():
        f = make_filter(end, start, stop)
        for name, report in package.REPORTS.items():
            runs = []
            for _ in range(repeat + 1):
                with Session(engine) as session:
                    began = time.perf_counter()
                    report(session, f)
                    runs.append((time.perf_counter() - began) * 1000)
            warm = runs[1:] or runs
            found.append((name, label, runs[0], statistics.median(warm), max(warm)))
            print(
                f"  {name:<13} {label:<16} cold {runs[0]:8.0f} ms  warm p50 "
                f"{statistics.median(warm):8.0f} ms  max {max(warm):8.0f} ms",
                flush=True,
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL (default: the local cluster's)")
    parser.add_argument("--reviews", type=int, default=REVIEWS, help="reviews to seed")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of each report")
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 9), metavar="1-8")
    args = parser.parse_args(argv)
    if not 1000 <= args.reviews <= 5_000_000:
        parser.error("--reviews must be from 1000 to 5000000")
    url = args.database_url or default_url(args.reviews)
    if not url.startswith("postgresql"):
        parser.error("the benchmark is for PostgreSQL")
    if args.database_url is None:
        ensure_database(url)
    upgrade(url, quiet=True)
    engine = create_engine(url)
    with engine.connect() as connection:
        present = connection.execute(text("SELECT count(*) FROM reviews")).scalar_one()
        last = connection.execute(text("SELECT max(occurred_at) FROM events")).scalar_one()
    if present == 0:
        end = datetime.now(UTC).replace(microsecond=0)
        print(f"seeding {args.reviews:,} reviews over {WEEKS} weeks into {make_url(url).database}")
        began = time.perf_counter()
        counts = seed(url, args.reviews, end, args.workers)
        took = time.perf_counter() - began
        print(f"seeded in {took:.0f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    else:
        end = last.replace(tzinfo=UTC)
        print(f"{present:,} reviews present: seeding skipped")
    with engine.connect() as connection:
        size = connection.execute(
            text("SELECT pg_size_pretty(pg_database_size(current_database()))")
        ).scalar_one()
        events = connection.execute(text("SELECT count(*) FROM events")).scalar_one()
    print(f"database: {size}, {events:,} events; reports (ms), cold then {args.repeat} warm:")
    time_reports(engine, end.astimezone(SHOP_TZ).date(), args.repeat)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
