"""What the reply checker's violations say to the agent (words/checks.yaml).

`violation_text(v)` explains one `reviews.reply_check.Violation` in Chinese, naming the offending
text and what to write instead, e.g. `“最好”属于广告法禁止的绝对化用语，请改为具体、可证实的说法。`
"""

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, Template

from reviews.reply_check import Violation, ViolationKind, personal_data_type
from words.render import words_file

CHECKS_FILE = Path(__file__).resolve().with_name("checks.yaml")


@cache
def _templates(path: Path) -> dict[str, Template]:
    env = Environment(
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False
    )
    return {key: env.from_string(text) for key, text in words_file(path)["templates"].items()}


def _context(v: Violation) -> dict[str, Any]:
    context: dict[str, Any] = {
        "kind": v.kind.value,
        "found": v.found,
        "start": v.start,
        "end": v.end,
        "limit": v.limit,
    }
    if v.kind == ViolationKind.TOO_LONG:
        # found is the part past the limit
        context.update(length=(v.limit or 0) + len(v.found), over=len(v.found))
    elif v.kind == ViolationKind.PERSONAL_DATA:
        data: dict[str, str] = words_file(CHECKS_FILE)["personal_data"]
        context["data"] = data[personal_data_type(v.found).value]
    return context


def violation_text(v: Violation) -> str:
    """The explanation of `v` for the agent who wrote the text."""
    return _templates(CHECKS_FILE)[v.kind.value].render(_context(v)).strip()
