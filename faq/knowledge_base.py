"""Reading, importing, editing and exporting FAQ entries; every change leaves a revision."""

from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.settings import PROJECT_ROOT
from faq.models import FaqEntry, FaqRevision
from faq.schema import FaqEntryData

ENTRIES_FILE = PROJECT_ROOT / "faq" / "entries.yaml"


class FaqFileError(ValueError):
    """The YAML file is not a valid knowledge base; the message says where."""


class EntryExistsError(ValueError):
    pass


class EntryNotFoundError(LookupError):
    pass


def read_yaml(path: Path = ENTRIES_FILE) -> list[FaqEntryData]:
    """All entries of a knowledge-base file, validated; raises FaqFileError naming the entry."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FaqFileError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise FaqFileError(f"{path}: expected a mapping with a list under 'entries'")
    entries, seen = [], set()
    for position, raw in enumerate(document["entries"], start=1):
        try:
            entry = FaqEntryData.model_validate(raw)
        except ValidationError as exc:
            label = raw.get("id", "?") if isinstance(raw, dict) else "?"
            raise FaqFileError(f"{path}: entry #{position} ({label}): {exc}") from exc
        if entry.id in seen:
            raise FaqFileError(f"{path}: entry #{position}: duplicate id {entry.id!r}")
        seen.add(entry.id)
        entries.append(entry)
    return entries


def to_data(entry: FaqEntry) -> FaqEntryData:
    return FaqEntryData(
        id=entry.id,
        category=entry.category,
        question=entry.question,
        variants=list(entry.variants),
        answer=entry.answer,
        category_answers=dict(entry.category_answers),
        scope=list(entry.scope or []),
    )


def get_entry(session: Session, entry_id: str) -> FaqEntryData | None:
    entry = session.get(FaqEntry, entry_id)
    return None if entry is None else to_data(entry)


def all_entries(session: Session) -> list[FaqEntryData]:
    return [to_data(e) for e in session.scalars(select(FaqEntry).order_by(FaqEntry.id))]


def version(session: Session) -> int:
    """Grows with every change: callers holding an index rebuild it when this moves."""
    return session.scalar(select(func.max(FaqRevision.id))) or 0


def _revise(session: Session, entry_id: str, action: str, actor: str, data: FaqEntryData) -> None:
    session.add(
        FaqRevision(
            entry_id=entry_id, action=action, actor=actor, at=utcnow(), snapshot=data.model_dump()
        )
    )


def _apply(entry: FaqEntry, data: FaqEntryData, actor: str) -> None:
    entry.category = data.category
    entry.question = data.question
    entry.variants = list(data.variants)
    entry.answer = data.answer
    entry.category_answers = dict(data.category_answers)
    entry.scope = list(data.scope)
    entry.updated_at = utcnow()
    entry.updated_by = actor


def create_entry(session: Session, data: FaqEntryData, actor: str) -> FaqEntryData:
    if session.get(FaqEntry, data.id) is not None:
        raise EntryExistsError(f"FAQ entry {data.id!r} already exists")
    entry = FaqEntry(id=data.id)
    _apply(entry, data, actor)
    session.add(entry)
    _revise(session, data.id, "created", actor, data)
    session.flush()
    return data


def update_entry(session: Session, data: FaqEntryData, actor: str) -> FaqEntryData:
    entry = session.get(FaqEntry, data.id)
    if entry is None:
        raise EntryNotFoundError(f"FAQ entry {data.id!r} does not exist")
    if to_data(entry) != data:
        _apply(entry, data, actor)
        _revise(session, data.id, "updated", actor, data)
        session.flush()
    return data


def delete_entry(session: Session, entry_id: str, actor: str) -> None:
    entry = session.get(FaqEntry, entry_id)
    if entry is None:
        raise EntryNotFoundError(f"FAQ entry {entry_id!r} does not exist")
    _revise(session, entry_id, "deleted", actor, to_data(entry))
    session.delete(entry)
    session.flush()


def import_entries(session: Session, entries: list[FaqEntryData], actor: str) -> dict[str, int]:
    """Create new entries and update changed ones; unchanged entries are left alone."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for data in entries:
        existing = session.get(FaqEntry, data.id)
        if existing is None:
            create_entry(session, data, actor)
            counts["created"] += 1
        elif to_data(existing) != data:
            update_entry(session, data, actor)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def import_if_empty(session: Session) -> bool:
    """Load the shipped knowledge base into an empty table. True if it loaded."""
    if session.scalar(select(func.count()).select_from(FaqEntry)):
        return False
    import_entries(session, read_yaml(), actor="faq/entries.yaml")
    return True


def dump_yaml(entries: list[FaqEntryData]) -> str:
    """The knowledge base as YAML, in the layout of `faq/entries.yaml`."""
    documents = [e.model_dump(exclude_defaults=True) for e in entries]
    body = yaml.safe_dump({"entries": documents}, allow_unicode=True, sort_keys=False, width=100)
    return (
        "# FAQ knowledge base. Edit here or through the admin API; `python -m faq export`\n"
        "# writes the database's entries back to this file.\n" + body
    )
