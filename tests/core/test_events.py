"""Events: registered names, required dimensions, a value only where it has a unit, append-only;
and no caller names an event with a string literal."""

import ast
import os
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from core.events import (
    DIMENSIONS,
    EVENT_SPECS,
    AppendOnlyError,
    Event,
    EventDimensionError,
    EventName,
    Subject,
    ValueUnit,
    record_event,
)
from core.settings import PROJECT_ROOT


def test_a_recorded_event_has_its_subject_dimensions_value_and_payload(db):
    record_event(
        db,
        EventName.CASE_OPENED,
        42,
        order_no="DD2026112200001",
        carrier="顺丰",
        cause="delayed",
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
    assert (case.conversation_id, case.product_id, case.actor, case.value) == (None,) * 4
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


def test_every_registered_name_has_a_spec_naming_real_dimensions():
    assert set(EVENT_SPECS) == set(EventName)
    for name, spec in EVENT_SPECS.items():
        assert set(spec.required) <= set(DIMENSIONS), name
        assert isinstance(spec.subject, Subject)
        assert isinstance(spec.unit, ValueUnit)
        assert name.value.count(".") == 1, name


def test_changing_a_recorded_event_is_refused(db):
    event = record_event(
        db, EventName.MESSAGE_RECEIVED, "c1", conversation_id="c1", actor="shopper"
    )
    db.flush()
    event.actor = "agent"
    with pytest.raises(AppendOnlyError):
        db.flush()


def test_deleting_a_recorded_event_is_refused(db):
    event = record_event(
        db, EventName.MESSAGE_RECEIVED, "c2", conversation_id="c2", actor="shopper"
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
