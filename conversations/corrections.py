"""Teaching the bot: an agent marks a shopper message the bot misunderstood with the intent or
FAQ topic it should have had, and the corrections are exported as Rasa NLU training data for
the next training (what Rasa calls conversation-driven development).

One correction per message: a later one for the same message replaces it in place (the intent,
topic, author and time are overwritten and `replaced` counts up), so the export never holds two
answers for one message. Nothing here knows HTTP; a refused correction raises a
`CorrectionError` that says why. The corrections stay out of `bot/data/` until a person has
reviewed the export.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from conversations.corrections_models import TEXT_MAX, Correction
from conversations.models import Message, Sender
from core.clock import utcnow
from core.settings import PROJECT_ROOT
from faq.models import FaqEntry

DOMAIN_FILE = PROJECT_ROOT / "bot" / "domain.yml"
FAQ_INTENT = "faq"


class Refusal(StrEnum):
    """Why a correction was refused."""

    NO_MESSAGE = "no_message"
    NOT_SHOPPER = "not_shopper"  # only a shopper's message is understood (or not) by the bot
    NO_LABEL = "no_label"  # neither an intent nor an FAQ topic
    UNKNOWN_INTENT = "unknown_intent"  # detail: the name
    UNKNOWN_TOPIC = "unknown_topic"  # detail: the id
    TOPIC_NOT_FAQ = "topic_not_faq"  # an FAQ topic with an intent other than faq


class CorrectionError(ValueError):
    def __init__(self, refusal: Refusal, detail: str | None = None):
        super().__init__(f"{refusal.value}: {detail}" if detail else refusal.value)
        self.refusal, self.detail = refusal, detail


@cache
def bot_intents() -> tuple[str, ...]:
    """The bot's intents, as `bot/domain.yml` lists them (the taxonomy's names)."""
    loaded = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    return tuple(str(name) for name in loaded["intents"])


def faq_topics(session: Session) -> dict[str, str]:
    """The FAQ knowledge base's entries: id → the canonical question."""
    rows = session.execute(select(FaqEntry.id, FaqEntry.question).order_by(FaqEntry.id))
    return dict(rows.all())


@dataclass(frozen=True)
class Taught:
    """A correction stored; `replaced`: the intent and topic of the one it replaced."""

    correction: Correction
    replaced: tuple[str, str | None] | None


def _label(session: Session, intent: str | None, faq_topic: str | None) -> tuple[str, str | None]:
    if faq_topic:
        if intent and intent != FAQ_INTENT:
            raise CorrectionError(Refusal.TOPIC_NOT_FAQ, intent)
        if session.get(FaqEntry, faq_topic) is None:
            raise CorrectionError(Refusal.UNKNOWN_TOPIC, faq_topic)
        return FAQ_INTENT, faq_topic
    if not intent:
        raise CorrectionError(Refusal.NO_LABEL)
    if intent not in bot_intents():
        raise CorrectionError(Refusal.UNKNOWN_INTENT, intent)
    return intent, None


def teach(
    session: Session,
    message_id: int,
    author: str,
    intent: str | None = None,
    faq_topic: str | None = None,
) -> Taught:
    """Mark a shopper message with the intent (or FAQ topic: intent `faq`) it should have had;
    a correction of the same message made before is replaced."""
    message = session.get(Message, message_id)
    if message is None:
        raise CorrectionError(Refusal.NO_MESSAGE)
    if message.sender != Sender.SHOPPER:
        raise CorrectionError(Refusal.NOT_SHOPPER)
    intent, faq_topic = _label(session, intent, faq_topic)
    existing = _of_message(session, message_id)
    if existing is None:
        try:
            with session.begin_nested():  # another agent may correct it at the same moment
                row = Correction(
                    message_id=message_id,
                    conversation_id=message.conversation_id,
                    intent=intent,
                    faq_topic=faq_topic,
                    text=_copied(message.text),
                    author=author,
                )
                session.add(row)
            return Taught(row, None)
        except IntegrityError:
            existing = _of_message(session, message_id)
            assert existing is not None  # the unique message id is what failed
    replaced = (existing.intent, existing.faq_topic)
    existing.intent, existing.faq_topic, existing.author = intent, faq_topic, author
    existing.updated_at, existing.replaced = utcnow(), existing.replaced + 1
    session.flush()
    return Taught(existing, replaced)


def _of_message(session: Session, message_id: int) -> Correction | None:
    return session.scalars(select(Correction).where(Correction.message_id == message_id)).first()


def _copied(text: str) -> str:
    return " ".join(text.split())[:TEXT_MAX]


def corrections(
    session: Session, limit: int = 100, offset: int = 0, since: datetime | None = None
) -> list[Correction]:
    """The corrections, the latest changed first (`since`: changed at or after)."""
    query = select(Correction).order_by(Correction.updated_at.desc(), Correction.id.desc())
    if since is not None:
        query = query.where(Correction.updated_at >= since)
    return list(session.scalars(query.limit(limit).offset(offset)))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Correction)) or 0


# --- the export: Rasa 3 NLU training data ------------------------------------------------------

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _example(text: str) -> str:
    """One line of an `examples: |` block: a single line, no control characters."""
    return " ".join(_UNSAFE.sub(" ", text).split())


def nlu_yaml(rows: Iterable[Correction], now: datetime | None = None) -> str:
    """The corrections as Rasa 3 NLU training data, written as `bot/data/` is: one `- intent:`
    block per intent with an `examples: |` list. FAQ questions are the one intent `faq` there
    (the answer is then found in the knowledge base), so a topic's examples go under `faq`,
    one block per topic, each with a comment naming the entry."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for row in rows:
        text = _example(row.text)
        if text:
            examples = groups.setdefault((row.intent, row.faq_topic), [])
            if text not in examples:
                examples.append(text)
    stamp = (now or utcnow()).strftime("%Y-%m-%d %H:%M UTC")
    total = sum(len(e) for e in groups.values())
    lines = [
        'version: "3.1"',
        "",
        f"# {total} shopper messages the bot misunderstood, as agents corrected them",
        f"# (python -m bot.data corrections, {stamp}). Review every example before moving it",
        "# into bot/data/: mark entities as bot/data does ([6559797114710497](order_id)), drop",
        "# personal data, and add a FAQ example to its entry's variants in faq/entries.yaml too.",
        "nlu:",
    ]
    for (intent, topic), examples in sorted(groups.items(), key=_order):
        if topic:
            lines.append(f"# FAQ topic: {topic}")
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in examples]
        lines.append("")
    if not groups:
        lines[-1] = "nlu: []"
    return "\n".join(lines).rstrip("\n") + "\n"


def _order(item: tuple[tuple[str, str | None], Sequence[str]]) -> tuple[str, str]:
    (intent, topic), _ = item
    return intent, topic or ""
