"""Migrations: exactly the tables the models declare; 0006 moves old events into the typed
columns (and escalation reasons into reason + detail, case notes into case_id), and its downgrade
moves them back.

The 0006 tests run on a scratch database of the suite's kind (a SQLite file, or a schema of the
PostgreSQL test database), never on the shared one.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
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
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    column,
    create_engine,
    inspect,
    select,
    table,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause, TableClause

import core.models  # noqa: F401
from conversations import service
from conversations.models import EscalationReason, Sender
from core.clock import utcnow
from core.database import Base, get_engine, make_engine
from core.migrations import alembic_config
from shop import aftersales
from shop.demo.__main__ import wipe
from shop.demo.history import seed_history
from shop.demo.seed import seed
from shop.logistics import CaseOpened, open_case, recheck_open_cases
from shop.models import CaseKind, ShipmentStatus, TrackingEvent
from shop.modifications import ChangeField, OrderChanged, apply_change
from shop.policy import load_policy
from tests.shop.conftest import demo_order, demo_orders


def test_migrations_create_exactly_the_tables_the_models_declare(seeded_at):
    with get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_upgrade(seeded_at):
    tables = set(inspect(get_engine()).get_table_names())
    assert set(Base.metadata.tables) <= tables


# --- 0006: typed events ---------------------------------------------------------------------

DIMENSIONS = ("conversation_id", "order_no", "product_id", "carrier", "cause", "actor", "agent")
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
        column("detail", Text),
        column("status", String),
        column("created_at", DateTime),
        *typed,
    )


events = _events()
typed_events = _events(*(column(d, String) for d in DIMENSIONS), column("value", Numeric(14, 2)))
escalations = _escalations()
typed_escalations = _escalations(column("reason_detail", String), column("case_id", Integer))
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


LOST_REMEDIES = ["carrier_investigation", "reship_or_refund"]  # the policy's, for a lost parcel


def add_conversation_case_and_review(connection, order_id: int) -> tuple[int, int]:
    """Rows the events below name: conversation `conv-1`, a lost-parcel case, a review."""
    connection.execute(
        conversations.insert().values(
            id="conv-1", channel="storefront", handled_by="bot", started_at=T0, last_message_at=T0
        )
    )
    case_id = connection.execute(
        cases.insert()
        .values(
            order_id=order_id,
            kind="lost",
            status="open",
            carrier="顺丰",
            conversation_id="conv-1",
            remedies=LOST_REMEDIES,
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
        note = (
            f"物流跟进单 #{case_id}：carrier_investigation、reship_or_refund；显示签收了，我没收到"
        )
        old_escalations = [
            ("approval", "remedy_approval:lost", note),
            (
                "no such case",
                "remedy_approval:damaged",
                "物流跟进单 #99999：reship_or_refund；坏了",
            ),
            ("asked", "shopper_asked", "转人工"),
            ("address", "needs_agent:modify_order", "收货地址 → 上海市浦东新区世纪大道1号"),
            ("phone", "needs_agent:modify_order", "收货手机号 → 13912345678"),
            ("spec", "needs_agent:modify_order", "颜色/尺码 → 黑色 / XL"),
            ("words", "needs_agent:modify_order", "我想改一下地址"),
            ("invoice", "needs_agent:ask_invoice", "能开发票吗"),
        ]
        escalation = {
            label: connection.execute(
                escalations.insert()
                .values(
                    conversation_id="conv-1",
                    reason=reason,
                    detail=detail,
                    status="open",
                    created_at=T0,
                )
                .returning(escalations.c.id)
            ).scalar_one()
            for label, reason, detail in old_escalations
        }
        conv, case, review, order = "conversation", "case", "review", "order"
        old = [
            ("started", "conversation.started", conv, "conv-1", 0, {"channel": "storefront"}),
            (
                "received", "message.received", conv, "conv-1", 1,
                {"sender": "shopper", "message_id": 7},
            ),
            ("bot", "message.sent", conv, "conv-1", 2, {"sender": "bot", "message_id": 8}),
            ("agent", "message.sent", conv, "conv-1", 3, {"sender": "agent", "message_id": 9}),
            ("no role", "message.sent", conv, "conv-1", 4, {"sender": "robot", "message_id": 10}),
            (
                "handed off", "conversation.handed_off", conv, "conv-1", 60,
                {
                    "reason": "remedy_approval:lost", "order_no": order_no,
                    "escalation_id": escalation["approval"],
                },
            ),
            (
                "change failed", "conversation.handed_off", conv, "conv-2", 70,
                {
                    "reason": "needs_agent:modify_order", "order_no": order_no,
                    "escalation_id": escalation["address"],
                },
            ),
            (
                "needs agent", "conversation.handed_off", conv, "conv-3", 80,
                {
                    "reason": "needs_agent:modify_order", "order_no": None,
                    "escalation_id": escalation["words"],
                },
            ),
            (
                "handed back", "conversation.handed_back", conv, "conv-1", 1860,
                {"agent": "客服小李"},
            ),
            (
                "opened", "case.opened", case, case_id, 0,
                {"order_no": order_no, "kind": "lost", "carrier": "顺丰"},
            ),
            (
                "approval", "case.approval_requested", case, case_id, 0,
                {"order_no": order_no, "remedies": LOST_REMEDIES},
            ),
            ("followed up", "case.followed_up", case, case_id, 3600, {"reason": "overdue"}),
            ("resolved", "case.resolved", case, case_id, 7200, {"by": "delivery"}),
            (
                "review", "review.received", review, review_id, 0,
                {"platform": "jd", "platform_id": "x"},
            ),
            (
                "negative", "review.flagged_negative", review, review_id, 0,
                {
                    "causes": ["logistics", "product"], "sub_causes": [], "severity": "high",
                    "negative_score": 0.97, "product_id": "P-OLD",
                },
            ),
            ("by shopper", "order.cancelled", order, order_no, 0, {"by": "shopper"}),
            ("by no one", "order.cancelled", order, order_no, 0, {}),
            ("by someone", "order.cancelled", order, order_no, 0, {"by": "warehouse"}),
            (
                "modified", "order.modified", order, order_no, 0,
                {"field": "phone", "before": "1", "after": "2"},
            ),
            ("unknown", "legacy.unknown", order, order_no, 0, {"x": 1}),
        ]  # fmt: skip
        event = {
            label: connection.execute(
                events.insert()
                .values(
                    name=name,
                    subject_type=subject,
                    subject_id=str(subject_id),
                    occurred_at=T0 + timedelta(seconds=seconds),
                    payload=payload,
                )
                .returning(events.c.id)
            ).scalar_one()
            for label, name, subject, subject_id, seconds, payload in old
        }

    with caplog.at_level(logging.WARNING):
        migrate(scratch, "upgrade", "head")

    with scratch.connect() as connection:
        rows = {
            r.id: r
            for r in connection.execute(
                select(typed_events).where(typed_events.c.id.in_(event.values()))
            )
        }
        reasons = {
            r.id: (r.reason, r.reason_detail, r.detail, r.case_id)
            for r in connection.execute(select(typed_escalations))
        }

    def shape(label: str) -> tuple:
        r = rows[event[label]]
        return (*(getattr(r, d) for d in DIMENSIONS), r.value, r.payload)

    # conversation_id, order_no, product_id, carrier, cause, actor, agent, value, payload
    _ = None
    c1 = "conv-1"
    assert shape("started") == (c1, _, _, _, _, _, _, _, {"channel": "storefront"})
    assert shape("received") == (c1, _, _, _, _, "shopper", _, _, {"message_id": 7})
    assert shape("bot") == (c1, _, _, _, _, "bot", _, _, {"message_id": 8})
    # an old message does not say which agent: the role only
    assert shape("agent") == (c1, _, _, _, _, "agent", _, _, {"message_id": 9})
    # not a role: it stays in the payload
    assert shape("no role") == (c1, _, _, _, _, _, _, _, {"sender": "robot", "message_id": 10})
    assert shape("handed off") == (
        c1, order_no, _, _, "remedy_approval", _, _, _,
        {"reason_detail": "lost", "escalation_id": escalation["approval"]},
    )  # fmt: skip
    # a failed change's handoff, as its escalation now says
    assert shape("change failed") == (
        "conv-2", order_no, _, _, "change_failed", _, _, _,
        {"reason_detail": "address", "escalation_id": escalation["address"]},
    )  # fmt: skip
    assert shape("needs agent") == (
        "conv-3", _, _, _, "needs_agent", _, _, _,
        {"reason_detail": "modify_order", "escalation_id": escalation["words"]},
    )  # fmt: skip
    assert shape("handed back") == (c1, _, _, _, _, "agent", "客服小李", Decimal("1800.00"), {})
    assert shape("opened") == (
        c1, order_no, _, "顺丰", "lost", _, _, _, {"remedies": LOST_REMEDIES}
    )  # fmt: skip
    # all the case's remedies, and the ones the approval rule holds back
    assert shape("approval") == (
        c1, order_no, _, "顺丰", "lost", _, _, total,
        {"remedies": LOST_REMEDIES, "held": ["reship_or_refund"]},
    )  # fmt: skip
    assert shape("followed up") == (c1, order_no, _, "顺丰", "lost", _, _, _, {"reason": "overdue"})
    assert shape("resolved") == (
        c1, order_no, _, "顺丰", "lost", "carrier", _, Decimal("7200.00"), {}
    )  # fmt: skip
    assert shape("review") == (
        _, _, "P-OLD", _, _, _, _, _, {"platform": "jd", "platform_id": "x"}
    )  # fmt: skip
    assert shape("negative")[:8] == (_, _, "P-OLD", _, "logistics", _, _, _)
    assert set(shape("negative")[8]) == {"causes", "sub_causes", "severity", "negative_score"}
    assert shape("by shopper") == (_, order_no, _, _, _, "shopper", _, total, {})
    assert shape("by no one") == (_, order_no, _, _, _, "shopper", _, total, {})
    assert shape("by someone") == (_, order_no, _, _, _, _, _, total, {"by": "warehouse"})
    assert shape("modified") == (
        _, order_no, _, _, "phone", "shopper", _, _, {"before": "1", "after": "2"}
    )  # fmt: skip
    # kept as it was, and named in the log
    assert shape("unknown") == (_, _, _, _, _, _, _, _, {"x": 1})
    assert "legacy.unknown ×1" in caplog.text

    # reason, reason_detail, detail, case_id
    assert [reasons[escalation[label]] for label, _reason, _detail in old_escalations] == [
        ("remedy_approval", "lost", "显示签收了，我没收到", case_id),
        ("remedy_approval", "damaged", "物流跟进单 #99999：reship_or_refund；坏了", None),
        ("shopper_asked", None, "转人工", None),
        ("change_failed", "address", "上海市浦东新区世纪大道1号", None),
        ("change_failed", "phone", "13912345678", None),
        ("change_failed", "spec", "黑色 / XL", None),
        ("needs_agent", "modify_order", "我想改一下地址", None),
        ("needs_agent", "ask_invoice", "能开发票吗", None),
    ]  # fmt: skip


def every_row(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every column of every events and escalations row, as the database holds them."""
    with engine.connect() as connection:
        found = {}
        for name in ("events", "escalations"):
            reflected = Table(name, MetaData(), autoload_with=connection)
            query = select(reflected).order_by(reflected.c.id)
            found[name] = [dict(r._mapping) for r in connection.execute(query)]
    return found


def test_downgrade_then_upgrade_gives_back_the_same_rows(scratch, caplog):
    migrate(scratch, "upgrade", "head")
    seed_demo(scratch)
    now = utcnow()

    @contextmanager
    def unit() -> Iterator[Session]:
        """One unit of work, as a request, an action turn or a job has it."""
        with Session(scratch, expire_on_commit=False) as session, session.begin():
            yield session

    # A damaged parcel on an order above the approval threshold: the case is opened, its remedy
    # waits for a supervisor, an agent takes the conversation and hands it back.
    with unit() as session:
        valuable = max(demo_orders(session, "damaged_on_arrival"), key=lambda o: o.total_amount)
        assert valuable.total_amount > load_policy().approval.order_value_above_yuan
        chat = service.get_or_start(session, "c-approval")
        service.add_message(session, chat, Sender.SHOPPER, "箱子压坏了")
        opened = open_case(
            session, valuable, CaseKind.DAMAGED, now, conversation_id="c-approval", detail="压坏了"
        )
        assert isinstance(opened, CaseOpened)
        assert opened.needs_approval
        service.add_message(session, chat, Sender.BOT, "主管确认后给您答复")
        service.hand_over(
            session,
            "c-approval",
            EscalationReason.REMEDY_APPROVAL,
            reason_detail=opened.report.kind.value,
            detail="箱子压坏了",
            order_no=valuable.order_no,
            case_id=opened.case_id,
        )
    with unit() as session:
        service.agent_reply(session, "c-approval", "客服小李", "已为您安排补发")
    with unit() as session:
        service.hand_back(session, "c-approval", "客服小李")
        chat = service.get_or_start(session, "c-approval")
        service.add_message(session, chat, Sender.SYSTEM, "已为您转回智能客服")

    # A stalled parcel: its case goes overdue (an agent takes it over), then the parcel arrives
    # and the carrier's scan resolves it.
    with unit() as session:
        stalled = demo_order(session, "stalled", which=-1)
        late = open_case(session, stalled, CaseKind.DELAYED, now, conversation_id="c-late")
        assert isinstance(late, CaseOpened)
    overdue_at = late.reply_by + timedelta(minutes=1)
    with unit() as session:
        [overdue] = [
            f for f in recheck_open_cases(session, overdue_at) if f.case_id == late.case_id
        ]
        service.hand_over(
            session,
            "c-late",
            EscalationReason.CASE_OVERDUE,
            reason_detail=overdue.kind.value,
            order_no=overdue.order_no,
            case_id=overdue.case_id,
        )
    arrived_at = overdue_at + timedelta(hours=1)
    with unit() as session:
        shipment = demo_order(session, "stalled", which=-1).latest_shipment
        shipment.events.append(
            TrackingEvent(occurred_at=arrived_at, location="收件人", description="已签收")
        )
        shipment.status, shipment.delivered_at = ShipmentStatus.DELIVERED, arrived_at
    with unit() as session:
        recheck_open_cases(session, arrived_at + timedelta(hours=1))

    # An order change that failed, a need the bot does not serve, a plain request for a person
    # (handed back twice: the second handback has no time with a person, deliberately NULL,
    # which an upgrade must not fill from the handoff).
    with unit() as session:
        unshipped = demo_orders(session, "awaiting_shipment")
        service.hand_over(
            session,
            "c-change",
            EscalationReason.CHANGE_FAILED,
            reason_detail=ChangeField.ADDRESS.value,
            detail="上海市浦东新区世纪大道1号",
            order_no=unshipped[0].order_no,
        )
        service.hand_over(
            session, "c-invoice", EscalationReason.NEEDS_AGENT, "ask_invoice", "能开发票吗"
        )
        service.hand_over(session, "c-person", EscalationReason.SHOPPER_ASKED)
    for _ in range(2):
        with unit() as session:
            service.hand_back(session, "c-person", "客服小王")
    # The shopper changes one unshipped order and cancels another, in a conversation.
    with unit() as session:
        unshipped = demo_orders(session, "awaiting_shipment")
        changed = apply_change(
            session, unshipped[1], ChangeField.PHONE, "13912345678", now, conversation_id="c-shop"
        )
        assert isinstance(changed, OrderChanged)
        cancelled = aftersales.cancel(session, unshipped[0], now, conversation_id="c-shop")
        assert isinstance(cancelled, aftersales.OrderCancelled)
    approval_case, late_case = opened.case_id, late.case_id
    approval_order = valuable.order_no
    shop_orders = (unshipped[0].order_no, unshipped[1].order_no)
    before = every_row(scratch)
    assert {r["name"] for r in before["events"]} >= {
        "case.opened", "case.approval_requested", "case.followed_up", "case.resolved",
        "conversation.handed_off", "conversation.handed_back", "message.received",
        "message.sent", "order.cancelled", "order.modified",
    }  # fmt: skip

    with caplog.at_level(logging.WARNING):
        migrate(scratch, "downgrade", "0005")
    assert "will not give back" not in caplog.text
    with scratch.connect() as connection:
        kept = [  # 0016's report dimensions, kept in the payload for its upgrade to restore
            (r.name, r.subject_id, r.payload)
            for r in connection.execute(select(events).order_by(events.c.id))
        ]
    assert {k for _, _, p in kept for k in p if k.startswith("column.")} <= {
        "column.sku", "column.sub_cause", "column.region"
    }  # fmt: skip
    old = [(n, s, {k: v for k, v in p.items() if not k.startswith("column.")}) for n, s, p in kept]
    with scratch.connect() as connection:
        old_reasons = {
            r.conversation_id: (r.reason, r.detail) for r in connection.execute(select(escalations))
        }
    # the demo's events are in the old shape, nothing more (all of it can be derived again)
    keys = {(name, subject): set(payload) for name, subject, payload in old}
    demo_no = a_delivered_order(scratch)[1]
    assert keys[("order.placed", demo_no)] == {"total"}
    assert keys[("order.shipped", demo_no)] == {"carrier", "tracking_no"}
    assert keys[("order.delivered", demo_no)] == {"signed_by"}
    # and so are the conversations' and the cases': what the old shape cannot say stays in the
    # payload under the column's name (an agent's name on a message, an order's conversation)
    mine = [(name, payload) for name, subject, payload in old if subject.startswith("c-")]
    new_shape = [r["payload"] for r in before["events"] if r["subject_id"].startswith("c-")]
    message_ids = [p["message_id"] for p in new_shape if "message_id" in p]
    escalation_id = next(p["escalation_id"] for p in new_shape if "escalation_id" in p)
    assert mine[:7] == [
        ("conversation.started", {"channel": "storefront"}),
        ("message.received", {"sender": "shopper", "message_id": message_ids[0]}),
        ("message.sent", {"sender": "bot", "message_id": message_ids[1]}),
        (
            "conversation.handed_off",
            {
                "reason": "remedy_approval:damaged",
                "order_no": approval_order,
                "escalation_id": escalation_id,
            },
        ),
        ("message.sent", {"sender": "agent", "message_id": message_ids[2], "agent": "客服小李"}),
        ("conversation.handed_back", {"agent": "客服小李"}),
        ("message.sent", {"sender": "system", "message_id": message_ids[3]}),
    ]
    case_events = {
        (name, subject): payload for name, subject, payload in old if name.startswith("case.")
    }
    assert set(case_events[("case.opened", str(approval_case))]) == {"order_no", "kind", "carrier"}
    assert case_events[("case.approval_requested", str(approval_case))] == {
        "order_no": approval_order,
        "remedies": [r.value for r in opened.remedies],
    }
    assert case_events[("case.resolved", str(late_case))] == {"by": "delivery"}
    shop = {name: payload for name, subject, payload in old if subject in shop_orders}
    assert shop["order.cancelled"] == {"by": "shopper", "conversation_id": "c-shop"}
    assert shop["order.modified"].keys() == {"field", "before", "after", "conversation_id"}
    handed_back = [p for n, s, p in old if (n, s) == ("conversation.handed_back", "c-person")]
    assert handed_back == [{"agent": "客服小王"}, {"agent": "客服小王", "value": None}]
    assert old_reasons == {
        "c-approval": (
            "remedy_approval:damaged",
            f"物流跟进单 #{approval_case}：{'、'.join(opened.remedies)}；箱子压坏了",
        ),
        "c-late": (
            "case_overdue:delayed",
            f"物流跟进单 #{late_case}：{'、'.join(late.remedies)}；",
        ),
        "c-change": ("needs_agent:modify_order", "收货地址 → 上海市浦东新区世纪大道1号"),
        "c-person": ("shopper_asked", None),
        "c-invoice": ("needs_agent:ask_invoice", "能开发票吗"),
    }

    migrate(scratch, "upgrade", "head")
    assert every_row(scratch) == before
    with scratch.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


# --- 0007: delivery appointments ------------------------------------------------------------

APPOINTMENT_COLUMNS = {
    "delivery_date",
    "delivery_from_hour",
    "delivery_until_hour",
    "delivery_place",
    "delivery_requested_at",
    "delivery_via_carrier",
}


def test_0007_adds_the_appointment_columns_and_its_downgrade_drops_them(scratch):
    migrate(scratch, "upgrade", "0007")
    columns = {c["name"]: c for c in inspect(scratch).get_columns("orders")}
    assert set(columns) >= APPOINTMENT_COLUMNS
    assert all(columns[name]["nullable"] for name in APPOINTMENT_COLUMNS)  # old orders: none
    migrate(scratch, "downgrade", "0006")
    assert APPOINTMENT_COLUMNS.isdisjoint(c["name"] for c in inspect(scratch).get_columns("orders"))


def _with_history(engine: Engine) -> None:
    seed_demo(engine)
    with Session(engine) as session:
        seed_history(session, utcnow(), weeks=2, scale=0.3)
        session.commit()


def test_a_shop_with_reviews_alerts_and_history_downgrades_to_nothing_and_back(scratch):
    migrate(scratch, "upgrade", "head")
    _with_history(scratch)
    migrate(scratch, "downgrade", "base")
    assert set(inspect(scratch).get_table_names()) <= {"alembic_version"}
    migrate(scratch, "upgrade", "head")


def test_the_demo_reset_wipes_a_database_left_half_migrated(scratch):
    migrate(scratch, "upgrade", "head")
    _with_history(scratch)
    with scratch.begin() as connection:  # as a migration that failed half-way on SQLite leaves it
        connection.exec_driver_sql("DROP INDEX ix_review_contacts_review_id")
    wipe(scratch)
    assert inspect(scratch).get_table_names() == []
    migrate(scratch, "upgrade", "head")
    seed_demo(scratch)
