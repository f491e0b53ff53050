"""The Rasa domain agrees with the taxonomy contract and with the custom actions."""

import re
from pathlib import Path

import pytest
from rasa_sdk.executor import ActionExecutor

from core.settings import PROJECT_ROOT
from tests.bot.conftest import DOMAIN

TAXONOMY = PROJECT_ROOT.parent / "shared" / "spec" / "taxonomy.md"


def _taxonomy_intents(text: str) -> set[str]:
    section = text.split("## 1.")[1].split("## 2.")[0]
    names = set(re.findall(r"^\| ([a-z_]+) \|", section, flags=re.MULTILINE))
    return names - {"intent"}  # the table's header row


def test_domain_declares_exactly_the_taxonomy_intents():
    if not TAXONOMY.exists():
        pytest.skip(f"taxonomy contract not found at {TAXONOMY}")
    assert set(DOMAIN["intents"]) == _taxonomy_intents(TAXONOMY.read_text(encoding="utf-8"))


def test_every_custom_action_in_the_domain_is_served_by_the_action_server():
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    custom = [a for a in DOMAIN["actions"] if not a.startswith("utter_")]
    assert set(custom) <= set(executor.actions)


def test_every_response_the_actions_utter_is_in_the_domain():
    source = "\n".join(p.read_text() for p in Path(PROJECT_ROOT, "bot", "actions").glob("*.py"))
    used = set(re.findall(r'response="(utter_\w+)"', source))
    assert used, "no responses found: the pattern no longer matches the actions' code"
    assert used <= set(DOMAIN["responses"])
