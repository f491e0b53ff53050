"""What the chat benchmarks share: the demo shop's orders, percentiles, and each conversation
from a shopper of its own.

Real shoppers write from their own addresses, and the API's abuse limits count per address
(api/limits.py), so each benchmark conversation connects from its own loopback address
(127.0.x.y: Linux answers the whole 127.0.0.0/8 on `lo`).
"""

import itertools
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import yaml

DEMO = Path(__file__).resolve().parent.parent / "shop" / "demo"
FILES = ("catalogue.yaml", "orders.yaml")  # the demo shop's customers, and its orders


def demo_orders() -> list[tuple[str, str]]:
    """(order number, the receiver's phone tail) of every demo order, in the file's order."""
    catalogue, orders = (yaml.safe_load((DEMO / f).read_text("utf-8")) for f in FILES)
    phones = {c["code"]: c["phone"] for c in catalogue["customers"]}
    return [(o["order_no"], phones[o["customer"]][-4:]) for o in orders["orders"]]


def percentile(values: list[float], q: float) -> float:
    """The value below which a share `q` of them lie (NaN for none)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def addresses() -> Iterator[str]:
    """127.0.1.2, 127.0.1.3, … : a fresh loopback address for each conversation."""
    for n in itertools.count():
        yield f"127.0.{n // 250 % 250 + 1}.{n % 250 + 2}"


def shopper_session(address: str, timeout_s: float = 30) -> aiohttp.ClientSession:
    """An HTTP client that connects from `address`, without a cookie jar (API clients send the
    conversation's secret as the X-Chat-Secret header)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=(address, 0)),
        timeout=aiohttp.ClientTimeout(total=timeout_s),
        cookie_jar=aiohttp.DummyCookieJar(),
    )
