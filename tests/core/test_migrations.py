"""Migrations: exactly the tables the models declare; 0006 moves old events into the typed
columns (and escalation reasons into reason + detail), and its downgrade moves them back.

The 0006 tests run on a scratch database of the suite's kind (a SQLite file, or a schema of the
PostgreSQL test database), never on the shared one.
"""

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Integer,
    Numeric,
    String,
    column,
    create_engine,
    inspect,
    select,
    table,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause, TableClause

import core.models  # noqa: F401
from core.clock import utcnow
from core.database import Base, get_engine, make_engine
from core.events import EventName, record_event
from core.migrations import alembic_config
from shop.demo.seed import seed


def test_migrations_create_exactly_the_tables_the_models_declare(seeded_at):
    with get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_upgrade(seeded_at):
    tables = set(inspect(get_engine()).get_table_names())
    assert set(Base.metadata.tables) <= tables


# --- 0006: typed events ---------------------------------------------------------------------

DIMENSIONS = ("conversation_id", "order_no", "product_id", "carrier", "cause", "actor")
# The tables as raw SQL sees them: no enum validation, naive UTC timestamps.


def _events(*typed: ColumnClause) -> TableClause:
    return table(
        "events",
        column("id", Integer),
        column("name", String),
        column("occurred_at", DateTime),
        column("subject_type", String),
        column("subject_id", String),
        column("payload", JSON),
        *typed,
    )


def _escalations(*typed: ColumnClause) -> TableClause:
    return table(
        "escalations",
        column("id", Integer),
        column("conversation_id", String),
        column("reason", String),
        column("status", String),
        column("created_at", DateTime),
        *typed,
    )


events = _events()
typed_events = _events(*(column(d, String) for d in DIMENSIONS), column("value", Numeric(14, 2)))
escalations = _escalations()
typed_escalations = _escalations(column("reason_detail", String))
conversations = table(
    "conversations",
    column("id", String),
    column("channel", String),
    column("handled_by", String),
    column("started_at", DateTime),
    column("last_message_at", DateTime),
)
cases = table(
    "logistics_cases",
    column("id", Integer),
    column("order_id", Integer),
    column("kind", String),
    column("status", String),
    column("carrier", String),
    column("conversation_id", String),
    column("remedies", JSON),
    column("opened_at", DateTime),
    column("reply_by", DateTime),
)
reviews = table(
    "reviews",
    column("id", Integer),
    column("platform", String),
    column("platform_review_id", String),
    column("product_id", String),
    column("text", String),
    column("images_count", Integer),
    column("imported_at", DateTime),
)
orders = table(
    "orders",
    column("id", Integer),
    column("order_no", String),
    column("placed_at", DateTime),
    column("total_amount", Numeric(10, 2)),
)
T0 = datetime(2026, 11, 20, 8, 0)  # naive UTC, as stored


@pytest.fixture
def scratch(tmp_path) -> Iterator[Engine]:
    """An empty database of the suite's kind, apart from the shared test database."""
    url = get_engine().url
    if url.get_backend_name() == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"scratch_{uuid4().hex[:12]}"
    with get_engine().begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with get_engine().begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


def migrate(engine: Engine, direction: str, revision: str) -> None:
    config = alembic_config(quiet=True)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)
        connection.commit()


def seed_demo(engine: Engine) -> None:
    with Session(engine) as session:
        seed(session, now=utcnow())
        session.commit()


def a_delivered_order(engine: Engine) -> tuple[int, str, Decimal]:
    with engine.connect() as connection:
        row = connection.execute(
            select(orders.c.id, orders.c.order_no, orders.c.total_amount)
            .where(
                orders.c.order_no.in_(
                    select(events.c.subject_id).where(events.c.name == "order.delivered")
                )
            )
            .order_by(orders.c.id)
        ).first()
    return row.id, row.order_no, row.total_amount


def add_conversation_case_and_review(connection, order_id: int) -> tuple[int, int]:
    """Rows the events below name: conversation `conv-1`, a damaged-parcel case, a review."""
    connection.execute(
        conversations.insert().values(
            id="conv-1", channel="storefront", handled_by="bot", started_at=T0, last_message_at=T0
        )
    )
    case_id = connection.execute(
        cases.insert()
        .values(
            order_id=order_id,
            kind="damaged",
            status="open",
            carrier="顺丰",
            conversation_id="conv-1",
            remedies=["reship_or_refund"],
            opened_at=T0,
            reply_by=T0 + timedelta(days=1),
        )
        .returning(cases.c.id)
    ).scalar_one()
    review_id = connection.execute(
        reviews.insert()
        .values(
            platform="jd",
            platform_review_id="old-1",
            product_id="P-OLD",
            text="箱子压扁了",
            images_count=0,
            imported_at=T0,
        )
        .returning(reviews.c.id)
    ).scalar_one()
    return case_id, review_id


def test_upgrade_moves_old_events_into_their_columns(scratch, caplog):
    migrate(scratch, "upgrade", "head")
    seed_demo(scratch)
    migrate(scratch, "downgrade", "0005")
    order_id, order_no, total = a_delivered_order(scratch)
    with scratch.begin() as connection:
        case_id, review_id = add_conversation_case_and_review(connection, order_id)
        for reason in ("remedy_approval:damaged", "shopper_asked", "needs_agent:modify_order"):
            connection.execute(
                escalations.insert().values(
                    conversation_id="conv-1", reason=reason, status="open", created_at=T0
                )
            )
        conv, case, review, order = "conversation", "case", "review", "order"
        old = [
            ("conversation.started", conv, "conv-1", 0, {"channel": "storefront"}),
            ("message.received", conv, "conv-1", 0, {"sender": "shopper", "message_id": 7}),
            (
                "conversation.handed_off", conv, "conv-1", 60,
                {"reason": "remedy_approval:damaged", "order_no": order_no, "escalation_id": 1},
            ),
            ("conversation.handed_back", conv, "conv-1", 1860, {"agent": "客服小李"}),
            (
                "case.opened", case, case_id, 0,
                {"order_no": order_no, "kind": "damaged", "carrier": "顺丰"},
            ),
            (
                "case.approval_requested", case, case_id, 0,
                {"order_no": order_no, "remedies": ["reship_or_refund"]},
            ),
            ("case.followed_up", case, case_id, 3600, {"reason": "overdue"}),
            ("case.resolved", case, case_id, 7200, {"by": "delivery"}),
            ("review.received", review, review_id, 0, {"platform": "jd", "platform_id": "x"}),
            (
                "review.flagged_negative", review, review_id, 0,
                {
                    "causes": ["logistics", "product"], "sub_causes": [], "severity": "high",
                    "negative_score": 0.97, "product_id": "P-OLD",
                },
            ),
            ("order.cancelled", order, order_no, 0, {"by": "shopper"}),
            ("order.modified", order, order_no, 0, {"field": "phone", "before": "1", "after": "2"}),
            ("legacy.unknown", order, order_no, 0, {"x": 1}),
        ]  # fmt: skip
        connection.execute(
            events.insert(),
            [
                {
                    "name": name,
                    "subject_type": subject,
                    "subject_id": str(subject_id),
                    "occurred_at": T0 + timedelta(seconds=seconds),
                    "payload": payload,
                }
                for name, subject, subject_id, seconds, payload in old
            ],
        )

    with caplog.at_level(logging.WARNING):
        migrate(scratch, "upgrade", "head")

    with scratch.connect() as connection:
        rows = connection.execute(
            select(typed_events).where(
                typed_events.c.occurred_at.between(T0, T0 + timedelta(hours=3))
            )
        ).all()
        reasons = connection.execute(
            select(typed_escalations.c.reason, typed_escalations.c.reason_detail).order_by(
                typed_escalations.c.id
            )
        ).all()
    moved = {r.name: r for r in rows}
    assert len(moved) == len(rows) == len(old)

    def shape(name: str) -> tuple:
        r = moved[name]
        return (*(getattr(r, d) for d in DIMENSIONS), r.value, r.payload)

    conv, review = "conv-1", "P-OLD"
    c = (None,) * 6
    assert shape("conversation.started") == (conv, *c[1:], None, {"channel": "storefront"})
    assert shape("message.received") == (conv, *c[1:5], "shopper", None, {"message_id": 7})
    assert shape("conversation.handed_off") == (
        conv, order_no, None, None, "remedy_approval", None, None,
        {"reason_detail": "damaged", "escalation_id": 1},
    )  # fmt: skip
    assert shape("conversation.handed_back") == (
        conv, *c[1:5], "客服小李", Decimal("1800.00"), {}
    )  # fmt: skip
    assert shape("case.opened") == (conv, order_no, None, "顺丰", "damaged", None, None, {})
    assert shape("case.approval_requested") == (
        conv, order_no, None, "顺丰", "damaged", None, total, {"remedies": ["reship_or_refund"]}
    )  # fmt: skip
    assert shape("case.followed_up") == (
        conv, order_no, None, "顺丰", "damaged", None, None, {"reason": "overdue"}
    )  # fmt: skip
    assert shape("case.resolved") == (
        conv, order_no, None, "顺丰", "damaged", "delivery", Decimal("7200.00"), {}
    )  # fmt: skip
    assert shape("review.received")[:6] == (None, None, review, None, None, None)
    assert shape("review.received")[7] == {"platform": "jd", "platform_id": "x"}
    assert shape("review.flagged_negative")[2:5] == (review, None, "logistics")
    assert set(shape("review.flagged_negative")[7]) == {
        "causes", "sub_causes", "severity", "negative_score"
    }  # fmt: skip
    assert shape("order.cancelled") == (None, order_no, *c[2:5], "shopper", total, {})
    assert shape("order.modified") == (
        None, order_no, None, None, "phone", "shopper", None, {"before": "1", "after": "2"}
    )  # fmt: skip
    # kept as it was, and named in the log
    assert shape("legacy.unknown") == (*c, None, {"x": 1})
    assert "legacy.unknown ×1" in caplog.text

    assert reasons == [
        ("remedy_approval", "damaged"),
        ("shopper_asked", None),
        ("needs_agent", "modify_order"),
    ]


def snapshot(engine: Engine) -> tuple[list[tuple], list[tuple]]:
    with engine.connect() as connection:
        return (
            [
                tuple(r)
                for r in connection.execute(select(typed_events).order_by(typed_events.c.id))
            ],
            [
                tuple(r)
                for r in connection.execute(
                    select(typed_escalations).order_by(typed_escalations.c.id)
                )
            ],
        )


def test_downgrade_then_upgrade_gives_back_the_same_rows(scratch):
    migrate(scratch, "upgrade", "head")
    seed_demo(scratch)
    order_id, order_no, total = a_delivered_order(scratch)
    with scratch.begin() as connection:
        case_id, review_id = add_conversation_case_and_review(connection, order_id)
        connection.execute(
            typed_escalations.insert(),
            [
                {
                    "conversation_id": "conv-1",
                    "reason": reason,
                    "reason_detail": detail,
                    "status": "open",
                    "created_at": T0,
                }
                for reason, detail in [("remedy_approval", "damaged"), ("complaint", None)]
            ],
        )
    at = T0.replace(tzinfo=utcnow().tzinfo)
    with Session(scratch) as session:
        e = EventName
        conv = {"conversation_id": "conv-1"}
        case = {"order_no": order_no, "carrier": "顺丰", "cause": "damaged", **conv}
        handed_off = {"reason_detail": "damaged", "escalation_id": 1}
        for name, subject_id, seconds, kw in [
            (e.CONVERSATION_STARTED, "conv-1", 0, {**conv, "payload": {"channel": "storefront"}}),
            (e.MESSAGE_SENT, "conv-1", 1, {**conv, "actor": "bot", "payload": {"message_id": 1}}),
            (
                e.CONVERSATION_HANDED_OFF, "conv-1", 60,
                {**conv, "cause": "remedy_approval", "order_no": order_no, "payload": handed_off},
            ),
            # a value the old shape cannot give back (not the 1800 s since the handoff)
            (e.CONVERSATION_HANDED_BACK, "conv-1", 1860, {**conv, "actor": "小李", "value": 600}),
            (e.CASE_OPENED, case_id, 0, {**case, "payload": {"remedies": ["reship_or_refund"]}}),
            (e.CASE_APPROVAL_REQUESTED, case_id, 0, {**case, "value": total}),
            (e.CASE_FOLLOWED_UP, case_id, 3600, {**case, "payload": {"reason": "moved"}}),
            (e.CASE_RESOLVED, case_id, 7200, {**case, "actor": "delivery", "value": 7200}),
            (e.REVIEW_RECEIVED, review_id, 0, {"product_id": "P-OLD"}),
            (e.REVIEW_FLAGGED_NEGATIVE, review_id, 0, {"product_id": "P-OLD", "cause": "price"}),
            (
                e.ORDER_MODIFIED, order_no, 0,
                {"order_no": order_no, "actor": "agent", "cause": "phone"},
            ),
        ]:  # fmt: skip
            record_event(
                session, name, subject_id, occurred_at=at + timedelta(seconds=seconds), **kw
            )
        session.commit()
    before = snapshot(scratch)

    migrate(scratch, "downgrade", "0005")
    with scratch.connect() as connection:
        old = {
            r.name: set(r.payload)
            for r in connection.execute(select(events).where(events.c.subject_id == order_no))
        }
    # the demo's events are in the old shape, nothing more (all of it can be derived again)
    assert old["order.placed"] == {"total"}
    assert old["order.shipped"] == {"carrier", "tracking_no"}
    assert old["order.delivered"] == {"signed_by"}
    assert old["order.modified"] == {"field", "actor"}  # actor: the old shape assumed shopper

    migrate(scratch, "upgrade", "head")
    assert snapshot(scratch) == before
    with scratch.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
