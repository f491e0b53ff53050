"""Shop facts an FAQ answer quotes by name, so that it never says other numbers than the bot.

An answer writes `{refund_times}`; each time the answer is shown the name is replaced by the
words for the shop's own fact (e.g. `shop/refund_policy.yaml`), rendered by `words`.
"""

import re
from collections.abc import Callable

from shop.aftersales import refund_arrivals, refund_times
from words.render import say

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


QUOTED: dict[str, Callable[[], str]] = {
    "refund_times": lambda: say(refund_times()),
    "refund_arrivals": lambda: say(refund_arrivals()),
}


def unknown_names(text: str) -> list[str]:
    """The placeholders in `text` that name no shop fact."""
    return [name for name in PLACEHOLDER.findall(text) if name not in QUOTED]


def fill(text: str) -> str:
    """`text` with each placeholder replaced by the words of the shop fact it names."""
    if "{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: QUOTED[m.group(1)]() if m.group(1) in QUOTED else m[0], text)
