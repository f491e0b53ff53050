"""Shop facts an FAQ answer quotes by name, so that it never says other numbers than the bot.

An answer writes `{refund_times}`; each time the answer is shown the name is replaced by the
words for the shop's own fact (e.g. `shop/refund_policy.yaml`), rendered by `words`. Where the
shopper can have an order checked, it writes `{order_check}`: "send me the order number" to
anyone, "just tell me" in a conversation that has verified the order already.
"""

import re
from collections.abc import Callable

from shop.aftersales import refund_arrivals, refund_times
from words.render import phrase, say

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


# Each fact's words, given whether the reader's order is known (verified in the conversation).
QUOTED: dict[str, Callable[[bool], str]] = {
    "refund_times": lambda _: say(refund_times()),
    "refund_arrivals": lambda _: say(refund_arrivals()),
    "order_check": lambda known: phrase("order_check", known=known),
}


def unknown_names(text: str) -> list[str]:
    """The placeholders in `text` that name no shop fact."""
    return [name for name in PLACEHOLDER.findall(text) if name not in QUOTED]


def fill(text: str, order_known: bool = False) -> str:
    """`text` with each placeholder replaced by the words of the shop fact it names, for a
    reader whose order is known (`order_known`) or not."""
    if "{" not in text:
        return text
    return PLACEHOLDER.sub(
        lambda m: QUOTED[m.group(1)](order_known) if m.group(1) in QUOTED else m[0], text
    )
