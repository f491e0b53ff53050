"""How agents read the domain's enums (words/agent.yaml) and how shoppers read the fields."""

import ast
import importlib
from enum import StrEnum
from functools import cache
from pathlib import Path

import pytest
import yaml

from conversations.models import EscalationReason, EscalationStatus
from shop.logistics import FollowUpReason
from shop.models import (
    AfterSaleKind,
    AfterSaleStatus,
    CaseKind,
    CaseStatus,
    OrderStatus,
    Remedy,
    ShipmentStatus,
)
from shop.modifications import ChangeField
from words.render import AGENT_FILE, intent_label, label, shopper_label

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_PACKAGES = ("core", "shop", "conversations", "reviews", "recurring", "faq", "accounts")
# The enums that cross a module boundary: the desk, reports and exports show them to people.
SHARED_ENUMS: tuple[type[StrEnum], ...] = (
    OrderStatus,
    ShipmentStatus,
    AfterSaleKind,
    AfterSaleStatus,
    CaseKind,
    CaseStatus,
    Remedy,
    FollowUpReason,
    ChangeField,
    EscalationReason,
    EscalationStatus,
)


def _listed() -> dict[str, dict[str, str]]:
    return yaml.safe_load(AGENT_FILE.read_text(encoding="utf-8"))["labels"]


@cache
def _domain_enums() -> dict[str, list[type[StrEnum]]]:
    """Every StrEnum the domain packages define, by class name (read from their source)."""
    found: dict[str, list[type[StrEnum]]] = {}
    for package in DOMAIN_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = [
                node.name
                for node in tree.body
                if isinstance(node, ast.ClassDef)
                and any(ast.unparse(base).endswith("StrEnum") for base in node.bases)
            ]
            if names:
                module = importlib.import_module(
                    ".".join(path.relative_to(ROOT).with_suffix("").parts)
                )
                for name in names:
                    found.setdefault(name, []).append(getattr(module, name))
    return found


def test_every_enum_that_crosses_a_module_boundary_is_listed():
    assert {e.__name__ for e in SHARED_ENUMS} - set(_listed()) == set()


def test_every_listed_enum_is_exactly_one_of_the_domains_enums():
    domain = _domain_enums()
    for name in _listed():
        assert len(domain.get(name, [])) == 1, f"{name}: {domain.get(name)} (label() goes by name)"


@pytest.mark.parametrize("name", sorted(_listed()))
def test_every_member_has_a_label_and_no_label_outlives_its_member(name):
    [enum] = _domain_enums()[name]
    listed = _listed()[name]
    assert set(listed) == {member.value for member in enum}
    labels = [label(member) for member in enum]
    assert all(isinstance(text, str) and text.strip() for text in labels)
    assert len(set(labels)) == len(labels), f"{name}: two members read the same"


def test_shoppers_read_every_field_they_can_change():
    labels = [shopper_label(field) for field in ChangeField]
    assert all(text.strip() for text in labels)
    assert len(set(labels)) == len(labels)
    assert shopper_label(ChangeField.PHONE) == "收货手机号"


def test_every_vocabulary_that_events_and_escalations_store_as_text_has_labels():
    from conversations.models import REASON_DETAIL_VOCABULARY
    from core.events import EVENT_SPECS

    stored = {spec.cause for spec in EVENT_SPECS.values() if spec.cause}
    stored |= set(REASON_DETAIL_VOCABULARY.values())
    assert stored <= set(_listed())


def test_agents_read_every_intent_of_the_bot_in_chinese():
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    listed = yaml.safe_load(AGENT_FILE.read_text(encoding="utf-8"))["intents"]
    assert set(listed) == set(domain["intents"])
    assert all(intent_label(name) != name for name in domain["intents"])
