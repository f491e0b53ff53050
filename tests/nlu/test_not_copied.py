"""The real JD chats are for measuring only: no text we wrote repeats a real shopper's message.

Reads the chats at test time (`Settings.real_chats_file`) and skips where they are absent. A text
is a copy when, with spaces, punctuation and masked values removed, it equals a real message of
at least `WHOLE` characters or shares a run of `RUN` characters with one. The platform's pasted
order cards (订单编号：… 下单时间：…) are the platform's words, not a shopper's, and are left out.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from core.settings import PROJECT_ROOT, get_settings

RUN = 10
WHOLE = 8
AUTHORED = [
    *sorted((PROJECT_ROOT / "bot" / "data").glob("*.yml")),
    *sorted((PROJECT_ROOT / "bot" / "tests").glob("*.yml")),
    PROJECT_ROOT / "tests" / "nlu" / "heldout.yml",
    PROJECT_ROOT / "faq" / "entries.yaml",
]
ENTITY = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
PASTED_CARD = re.compile(r"订单编号|咨询订单号|订单金额|下单时间")


def _bare(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", re.sub(r"\[[^\]]*x\]", "", text))


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        for line in node.splitlines():
            yield ENTITY.sub(lambda m: m.group(1) or m.group(2), line.strip().removeprefix("- "))
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _real_messages(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [_bare(row["text"]) for row in rows if row["role"] == "shopper"]


def copies(authored: list[str], real: list[str]) -> list[str]:
    """The authored texts that repeat a real message (see the module's docstring)."""
    runs = {text[i : i + RUN] for text in real for i in range(len(text) - RUN + 1)}
    whole = {text for text in real if len(text) >= WHOLE}
    found = []
    for text in authored:
        bare = _bare(text)
        if PASTED_CARD.search(text):
            continue
        if bare in whole or any(bare[i : i + RUN] in runs for i in range(len(bare) - RUN + 1)):
            found.append(text)
    return found


def test_a_text_sharing_a_long_run_with_a_real_message_counts_as_a_copy():
    real = [_bare("请问一下我买的电饭煲怎么还没有发货啊")]
    copied, own = "我买的电饭煲怎么还没有发货", "电饭煲还没发货"
    assert copies([copied, own], real) == [copied]


def test_no_authored_example_repeats_a_real_shopper_message():
    chats = get_settings().real_chats_file
    if not chats.exists():
        pytest.skip(f"the real chats are not on this machine ({chats})")
    authored = [
        text for path in AUTHORED for text in _strings(yaml.safe_load(path.read_text("utf-8")))
    ]
    assert len(authored) > 3000
    assert copies(authored, _real_messages(chats)) == []
