"""Rendering facts into words: one Jinja template per fact type, one file per audience.

`say(fact)` renders a domain fact (a frozen dataclass) with the storefront template named
after its class (`CaseOpened` → `case_opened`); `phrase(key)` renders a line that depends on
no fact. `label(member)` is an enum member's name as agents read it (`words/agent.yaml`).
Dates are shown in the shop's time zone.
"""

import dataclasses
import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template

from core.clock import to_shop_time, utcnow

HERE = Path(__file__).resolve().parent
STOREFRONT_FILE = HERE / "storefront.yaml"
AGENT_FILE = HERE / "agent.yaml"
ALERTS_FILE = HERE / "alerts.yaml"


def day_text(moment: datetime | date) -> str:
    """`11月21日` in shop time, with the year when it is not this year (`2027年1月5日`) or half
    a year or more away (in December, `2026年1月30日`: not read as the coming January).

    A `date` (a restock date) is already a day of the shop's calendar."""
    local = to_shop_time(moment) if isinstance(moment, datetime) else moment
    today = to_shop_time(utcnow()).date()
    day = local.date() if isinstance(local, datetime) else local
    near = local.year == today.year and abs((day - today).days) < HALF_A_YEAR_DAYS
    return f"{'' if near else f'{local.year}年'}{local.month}月{local.day}日"


HALF_A_YEAR_DAYS = 183  # a day this far from today carries its year even in this year


def moment_text(moment: datetime) -> str:
    """`11月21日 14:20` in shop time (year as in `day_text`)."""
    return f"{day_text(moment)} {to_shop_time(moment):%H:%M}"


def months_text(months: int) -> str:
    """A period as a shopper says it: `1年`, `3年`, `18个月`."""
    return f"{months // 12}年" if months and months % 12 == 0 else f"{months}个月"


def yuan(amount: Decimal | float | int) -> str:
    return f"¥{amount}"


def items(product_names: tuple[str, ...]) -> str:
    """The first two products of an order, and how many there are in all."""
    shown = "、".join(product_names[:2])
    return f"{shown}等{len(product_names)}件商品" if len(product_names) > 2 else shown


def money(amount: Decimal | float | int) -> str:
    """`¥5`, `¥12.50`: whole yuan without decimals (the database gives `5.00`)."""
    value = Decimal(str(amount))
    whole = value == value.to_integral()
    return yuan(value.quantize(Decimal(1) if whole else Decimal("0.01")))


def masked_phone(phone: str) -> str:
    """`138****5678`: enough for the shopper to recognise, not enough to misuse."""
    return f"{phone[:3]}****{phone[-4:]}"


def _environment() -> Environment:
    env = Environment(
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False
    )
    env.filters.update(
        day=day_text,
        moment=moment_text,
        months=months_text,
        yuan=yuan,
        money=money,
        masked_phone=masked_phone,
        items=items,
    )
    env.globals.update(  # a fact's own fields take precedence
        name=shopper_label,
        say=say,
        phrase=phrase,  # a line said the same way in several answers (no_reason_postage)
        label_in=label_in,
        cause_label=cause_label,
        causes_text=causes_text,
        stars=stars,
        severity_reason=severity_reason,
    )
    return env


@cache
def environment() -> Environment:
    """The words' one Jinja environment (its filters and globals above), for every words file."""
    return _environment()


@cache
def words_file(path: Path) -> dict[str, Any]:
    """A words file, read once per process."""
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@cache
def _templates(path: Path) -> dict[str, Template]:
    env = _environment()
    return {key: env.from_string(text) for key, text in words_file(path)["templates"].items()}


def template_key(fact_type: type) -> str:
    """`CaseOpened` → `case_opened`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", fact_type.__name__).lower()


def _render(key: str, context: dict[str, Any]) -> str:
    text = _templates(STOREFRONT_FILE)[key].render(context)
    # a template is written over several lines for reading; blank lines are dropped
    return "\n".join(line for line in text.strip().split("\n") if line.strip())


def say(fact: object, **extra: Any) -> str:
    """The shopper-facing text of a fact, from the template named after its type."""
    if not dataclasses.is_dataclass(fact) or isinstance(fact, type):
        raise TypeError(f"say() renders dataclass facts, not {type(fact).__name__}")
    context = {f.name: getattr(fact, f.name) for f in dataclasses.fields(fact)}
    return _render(template_key(type(fact)), {**context, "fact": fact, **extra})


def phrase(key: str, **values: Any) -> str:
    """A shopper-facing line that depends on no fact (e.g. the bot is unavailable)."""
    return _render(key, values)


def alert_text(key: str, **values: Any) -> str:
    """Staff-facing alert text from words/alerts.yaml; lines are kept as written (markdown),
    runs of blank lines become one."""
    text = _templates(ALERTS_FILE)[key].render(values).strip()
    return re.sub(r"\n\s*\n+", "\n\n", text)


@cache
def _refusal_templates() -> dict[str, Template]:
    env = _environment()
    return {k: env.from_string(v) for k, v in words_file(AGENT_FILE)["refusals"].items()}


def refusal_text(key: str, detail: object = None) -> str:
    """Why an agent's step was refused, Chinese then English (words/agent.yaml `refusals`)."""
    return _refusal_templates()[key].render(detail=detail)


def cause_label(value: str) -> str:
    """`product` → 商品问题, `product.defect` → 商品问题（损坏/故障）."""
    cause, _, sub = value.partition(".")
    coarse = label_in("ReviewCause", cause)
    return f"{coarse}（{label_in('ReviewSubCause', value)}）" if sub else coarse


def severity_reason(reason: str) -> str:
    """`safety: 过敏` → 涉及安全（过敏）, as words/alerts.yaml words each kind of reason."""
    kind, _, detail = reason.partition(": ")
    wording: dict[str, str] = words_file(ALERTS_FILE)["severity_reasons"]
    return wording[kind].format(detail=detail) if kind in wording else reason


def stars(rating: int | None) -> str:
    """`★☆☆☆☆` for a 1-star review; nothing when the platform gave no rating."""
    return "" if rating is None else "★" * rating + "☆" * (5 - rating)


def causes_text(alert: Any) -> str:
    """A review alert's causes as staff read them, finer where known (商品问题（质量差）)."""
    shown = []
    for cause in alert.causes or ("product",):
        subs = [s for s in alert.sub_causes if s.startswith(f"{cause}.")]
        shown += [cause_label(s) for s in subs] or [cause_label(cause)]
    return "、".join(shown)


def label(member: StrEnum) -> str:
    """How agents read an enum member, e.g. CaseKind.DELAYED → 物流延误/停滞."""
    return label_in(type(member).__name__, member.value)


def label_in(vocabulary: str, value: str) -> str:
    """How agents read `value` of the enum named `vocabulary` (a value stored as text)."""
    labels: dict[str, dict[str, str]] = words_file(AGENT_FILE)["labels"]
    return labels[vocabulary][value]


def vocabulary_labels(*vocabularies: str) -> dict[str, dict[str, str]]:
    """How staff read these enums (words/agent.yaml), for a page's script; a vocabulary the
    words file lacks is empty (the script shows the value)."""
    known: dict[str, dict[str, str]] = words_file(AGENT_FILE)["labels"]
    return {name: known.get(name, {}) for name in vocabularies}


def intent_label(name: str) -> str:
    """How agents read one of the bot's intents (words/agent.yaml `intents`), else its name."""
    intents: dict[str, str] = words_file(AGENT_FILE)["intents"]
    return intents.get(name, name)


def shopper_label(member: StrEnum) -> str:
    """How shoppers read an enum member, e.g. ChangeField.PHONE → 收货手机号."""
    labels: dict[str, dict[str, str]] = words_file(STOREFRONT_FILE)["labels"]
    return labels[type(member).__name__][member.value]


class Button(StrEnum):
    """The buttons the bot offers; the payload is what Rasa reads when one is clicked."""

    HUMAN = "human"
    CONFIRM_CHANGE = "confirm_change"
    KEEP_ORDER = "keep_order"
    CONFIRM_REQUEST = "confirm_request"
    KEEP_REQUEST = "keep_request"
    INVOICE_PERSONAL = "invoice_personal"  # these send words (`says` in the words file)
    INVOICE_COMPANY = "invoice_company"


BUTTON_PAYLOADS = {
    Button.HUMAN: "/request_human",
    Button.CONFIRM_CHANGE: "/affirm",
    Button.KEEP_ORDER: "/deny",
    Button.CONFIRM_REQUEST: "/affirm",
    Button.KEEP_REQUEST: "/deny",
}


def button(kind: Button) -> dict[str, str]:
    """A button as the storefront widget and Rasa's REST channel carry it."""
    entry: str | dict[str, str] = words_file(STOREFRONT_FILE)["buttons"][kind.value]
    if isinstance(entry, dict):  # it sends words, read like the shopper's own
        return {"title": entry["title"], "payload": entry["says"]}
    return {"title": entry, "payload": BUTTON_PAYLOADS[kind]}


def need_button(need: StrEnum, intent: str) -> dict[str, str]:
    """A button that takes up a need the shopper named (conversations.needs): it sends what a
    shopper would say for it, or the serving intent itself when its flow needs no words."""
    need_words: dict[str, dict[str, str]] = words_file(STOREFRONT_FILE)["needs"]
    entry = need_words[need.value]
    return {"title": entry["title"], "payload": entry.get("says") or f"/{intent}"}


def intent_button(intent: str) -> dict[str, str] | None:
    """A button that sends `intent` itself, for the intents whose flow needs no words."""
    titles: dict[str, str] = words_file(STOREFRONT_FILE)["intent_buttons"]
    return {"title": titles[intent], "payload": f"/{intent}"} if intent in titles else None
