"""What the chat benchmarks share: each conversation comes from a shopper of its own.

Real shoppers write from their own addresses, and the API's abuse limits count per address
(api/limits.py), so each benchmark conversation connects from its own loopback address
(127.0.x.y: Linux answers the whole 127.0.0.0/8 on `lo`).
"""

import itertools
from collections.abc import Iterator

import aiohttp


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
