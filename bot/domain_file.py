"""Rasa's domain: `bot/domain.yml` (intents, slots, forms, actions) joined with the responses
in `words/storefront.yaml`, so every word the storefront chat says is in that one file.

Rasa reads the joined file (`python -m bot.domain_file` writes it and prints its path); the
model's fingerprint covers its content, so a changed response retrains the bot.
"""

from pathlib import Path
from typing import Any

import yaml

from core.settings import PROJECT_ROOT
from words.render import STOREFRONT_FILE, words_file

DOMAIN_FILE = PROJECT_ROOT / "bot" / "domain.yml"
JOINED_FILE = PROJECT_ROOT / "var" / "bot-domain.yml"


def domain() -> dict[str, Any]:
    """The whole domain as Rasa reads it."""
    joined: dict[str, Any] = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    joined["responses"] = words_file(STOREFRONT_FILE)["responses"]
    return joined


def domain_text() -> str:
    header = "# Written by bot/domain_file.py from bot/domain.yml and words/storefront.yaml.\n"
    return header + yaml.safe_dump(domain(), allow_unicode=True, sort_keys=False, width=120)


def write_domain() -> Path:
    """Write the joined domain (only when it changed) and return its path."""
    text = domain_text()
    JOINED_FILE.parent.mkdir(parents=True, exist_ok=True)
    if not JOINED_FILE.exists() or JOINED_FILE.read_text(encoding="utf-8") != text:
        JOINED_FILE.write_text(text, encoding="utf-8")
    return JOINED_FILE


if __name__ == "__main__":
    print(write_domain())
