"""Events: registered names, required dimensions that fit their columns, a cause from the event's
own vocabulary, an agent's name on an agent's events only, a value in hundredths and only where it
has a unit, append-only; and no caller names an event with a string literal."""

import ast
import os
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from conversations.models import EscalationReason
from core.events import (
    DIMENSIONS,
    EVENT_SPECS,
    Actor,
    AppendOnlyError,
    Event,
    EventDimensionError,
    EventName,
    Subject,
    ValueUnit,
    record_event,
)
from core.settings import PROJECT_ROOT
from reviews.alert_channels import ChannelKind
from reviews.causes import ReviewCause
from shop.invoices import InvoiceAction
from shop.models import AfterSaleKind, CaseKind
from shop.modifications import ChangeField
from shop.orders import LockScope
from shop.problem_policy import FreshRemedy


def test_a_recorded_event_has_its_subject_dimensions_value_and_payload(db):
    record_event(
        db,
        EventName.CASE_OPENED,
        42,
        order_no="DD2026112200001",
        carrier="顺丰",
        cause=CaseKind.DELAYED,
        payload={"detail": "物流停滞"},
    )
    record_event(
        db, EventName.ORDER_PLACED, "DD2026112200001", order_no="DD2026112200001", value=99
    )
    db.flush()
    db.expire_all()  # read back what the database holds
    case = db.scalars(select(Event).where(Event.subject_id == "42")).one()
    assert (case.name, case.subject_type) == (EventName.CASE_OPENED, Subject.CASE)
    assert (case.order_no, case.carrier, case.cause) == ("DD2026112200001", "顺丰", "delayed")
    assert (case.conversation_id, case.product_id, case.actor, case.agent, case.value) == (
        None,
    ) * 5
    assert case.payload == {"detail": "物流停滞"}
    assert case.occurred_at.tzinfo is not None
    placed = db.scalars(
        select(Event).where(Event.name == EventName.ORDER_PLACED).order_by(Event.id.desc())
    ).first()
    assert placed.value == Decimal("99.00")
    assert placed.payload == {}


def test_an_unregistered_name_is_refused(db):
    with pytest.raises(ValueError, match=r"test\.recorded"):
        record_event(db, "test.recorded", 42)  # type: ignore[arg-type]


def test_a_registered_name_given_as_a_plain_string_is_the_registered_event(db):
    event = record_event(db, "conversation.started", "c0", conversation_id="c0")  # type: ignore[arg-type]
    assert event.name is EventName.CONVERSATION_STARTED


def test_a_missing_required_dimension_is_refused(db):
    with pytest.raises(EventDimensionError, match="carrier"):
        record_event(db, EventName.ORDER_SHIPPED, "DD1", order_no="DD1", value=3600)
    assert not [o for o in db.new if isinstance(o, Event)]


def test_a_value_on_an_event_without_a_unit_is_refused(db):
    with pytest.raises(EventDimensionError, match="no value"):
        record_event(db, EventName.CONVERSATION_STARTED, "c1", conversation_id="c1", value=1)


# --- the cause: a member of the event's own vocabulary -----------------------------------------


def _case_opened(db, **kw):
    return record_event(
        db, EventName.CASE_OPENED, 42, **{"order_no": "DD1", "carrier": "顺丰", **kw}
    )


@pytest.mark.parametrize(
    "cause",
    [
        pytest.param("delayed", id="a plain string, even a member's value"),
        pytest.param(ChangeField.ADDRESS, id="another vocabulary"),
        pytest.param(ReviewCause.LOGISTICS, id="another vocabulary with a similar word"),
    ],
)
def test_a_cause_outside_the_events_vocabulary_is_refused(db, cause):
    with pytest.raises(EventDimensionError, match="CaseKind"):
        _case_opened(db, cause=cause)
    assert not [o for o in db.new if isinstance(o, Event)]


def test_a_cause_on_an_event_without_a_vocabulary_is_refused(db):
    with pytest.raises(EventDimensionError, match="cause"):
        record_event(
            db,
            EventName.CONVERSATION_STARTED,
            "c1",
            conversation_id="c1",
            cause=CaseKind.DELAYED,
        )


def test_a_member_of_the_vocabulary_is_stored_as_its_value(db):
    event = _case_opened(db, cause=CaseKind.LOST)
    db.flush()
    db.expire(event)
    assert event.cause == "lost"


def test_every_vocabulary_is_a_domain_enum_and_every_caused_event_has_one():
    vocabularies = {
        CaseKind,
        ChangeField,
        AfterSaleKind,
        EscalationReason,
        ReviewCause,
        InvoiceAction,
        FreshRemedy,
        LockScope,
        ChannelKind,
    }
    named = {spec.cause for spec in EVENT_SPECS.values()} - {None}
    assert named == {v.__name__ for v in vocabularies}
    for name, spec in EVENT_SPECS.items():
        assert ("cause" in spec.required) == (spec.cause is not None), name


# --- dimensions fit their columns ---------------------------------------------------------------

# An event that takes each dimension, with what else it needs.
TAKES = {
    "conversation_id": (EventName.CONVERSATION_STARTED, {}),
    "order_no": (EventName.ORDER_PLACED, {}),
    "product_id": (EventName.REVIEW_RECEIVED, {}),
    "carrier": (EventName.ORDER_SHIPPED, {"order_no": "DD1"}),
    "agent": (EventName.MESSAGE_SENT, {"conversation_id": "c1", "actor": Actor.AGENT}),
}


@pytest.mark.parametrize("dimension", TAKES)
def test_a_dimension_longer_than_its_column_is_refused(db, dimension):
    limit = Event.__table__.c[dimension].type.length
    name, needs = TAKES[dimension]
    fits = record_event(db, name, "s1", **{**needs, dimension: "长" * limit})  # characters
    assert getattr(fits, dimension) == "长" * limit
    with pytest.raises(EventDimensionError, match=rf"{dimension} is longer than {limit}"):
        record_event(db, name, "s2", **{**needs, dimension: "长" * (limit + 1)})
    assert [getattr(o, dimension) for o in db.new if isinstance(o, Event)] == ["长" * limit]


# --- who did it: a role, and an agent's name only on an agent's events -------------------------


def test_an_agents_event_names_the_agent(db):
    event = record_event(
        db,
        EventName.MESSAGE_SENT,
        "c1",
        conversation_id="c1",
        actor=Actor.AGENT,
        agent="客服小李",
    )
    db.flush()
    db.expire(event)
    assert (event.actor, event.agent) == (Actor.AGENT, "客服小李")


def test_an_agents_event_without_the_agent_is_refused(db):
    with pytest.raises(EventDimensionError, match="agent"):
        record_event(db, EventName.MESSAGE_SENT, "c1", conversation_id="c1", actor=Actor.AGENT)


@pytest.mark.parametrize("actor", [Actor.SHOPPER, Actor.BOT, Actor.SYSTEM])
def test_an_agent_on_anyone_elses_event_is_refused(db, actor):
    with pytest.raises(EventDimensionError, match="agent"):
        record_event(
            db, EventName.MESSAGE_SENT, "c1", conversation_id="c1", actor=actor, agent="客服小李"
        )


def test_an_agent_without_an_actor_is_refused(db):
    with pytest.raises(EventDimensionError, match="agent"):
        record_event(
            db, EventName.CONVERSATION_STARTED, "c1", conversation_id="c1", agent="客服小李"
        )


def test_an_actor_that_is_not_a_role_is_refused(db):
    with pytest.raises(ValueError, match="客服小李"):
        record_event(
            db,
            EventName.MESSAGE_SENT,
            "c1",
            conversation_id="c1",
            actor="客服小李",  # type: ignore[arg-type]
        )


# --- the value: in hundredths, as a Decimal ---------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (99, "99.00"),
        (Decimal("19.999"), "20.00"),
        (Decimal("19.994"), "19.99"),
        (1800.004, "1800.00"),
        (12.3, "12.30"),  # a float's binary noise does not reach the column
    ],
)
def test_a_value_is_quantized_to_hundredths(db, given, stored):
    event = record_event(db, EventName.ORDER_PLACED, "DD1", order_no="DD1", value=given)
    assert isinstance(event.value, Decimal)
    assert (event.value, event.value.as_tuple().exponent) == (Decimal(stored), -2)
    db.flush()
    db.expire(event)
    assert event.value == Decimal(stored)


def test_every_registered_name_has_a_spec_naming_real_dimensions():
    assert set(EVENT_SPECS) == set(EventName)
    for name, spec in EVENT_SPECS.items():
        assert set(spec.required) <= set(DIMENSIONS), name
        assert isinstance(spec.subject, Subject)
        assert isinstance(spec.unit, ValueUnit)
        assert name.value.count(".") == 1, name


def test_changing_a_recorded_event_is_refused(db):
    event = record_event(
        db, EventName.MESSAGE_RECEIVED, "c1", conversation_id="c1", actor=Actor.SHOPPER
    )
    db.flush()
    event.actor = Actor.BOT
    with pytest.raises(AppendOnlyError):
        db.flush()


def test_deleting_a_recorded_event_is_refused(db):
    event = record_event(
        db, EventName.MESSAGE_RECEIVED, "c2", conversation_id="c2", actor=Actor.SHOPPER
    )
    db.flush()
    db.delete(event)
    with pytest.raises(AppendOnlyError):
        db.flush()


# --- no event is named by a string literal in the code ----------------------------------------

SKIPPED_DIRS = {"tests", "var", "models", "node_modules", "__pycache__"}  # and hidden ones


def _sources() -> list[Path]:
    """The project's Python files, outside tests/ and the virtualenvs and caches."""
    found = []
    for folder, dirs, files in os.walk(PROJECT_ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        found += [Path(folder, f) for f in files if f.endswith(".py")]
    return found


def _is_string_literal(node: ast.expr | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _literal_names(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of every `record_event(...)` call whose name is a string literal."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called != "record_event":
            continue
        name = node.args[1] if len(node.args) > 1 else None
        name = next((k.value for k in node.keywords if k.arg == "name"), name)
        if _is_string_literal(name):
            found.append((node.lineno, ast.unparse(name)))
    return found


def test_the_scan_finds_a_literal_event_name():
    code = (
        'record_event(s, "order.placed", 1)\nevents.record_event(s, name=f"x.{y}", subject_id=2)\n'
    )
    assert _literal_names(ast.parse(code)) == [(1, "'order.placed'"), (2, "f'x.{y}'")]
    assert _literal_names(ast.parse("record_event(s, EventName.ORDER_PLACED, 1)")) == []


def test_no_source_file_names_an_event_with_a_string_literal():
    sources = _sources()
    assert any(p.name == "events.py" for p in sources)  # the scan sees the code
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}: {name}"
        for path in sources
        for line, name in _literal_names(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "use EventName members, not strings:\n" + "\n".join(offenders)
