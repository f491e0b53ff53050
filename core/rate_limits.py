"""The one rate limiter (the `limits` library, moving windows) that every limit shares.

Its windows live where RATE_LIMIT_URL says: in memory for one process, in Redis when several
processes (API workers, action servers, job workers) must count together. A limit that guards
against abuse lets everything through while its storage cannot be reached (`hit`, `within`):
an outage of Redis must not close the shop. Pacing that must hold (the alert channels) uses
`limiter()` itself and retries.
"""

import logging
import threading
import time
from functools import cache

from limits import RateLimitItem
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from core.settings import get_settings

log = logging.getLogger(__name__)


SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """limits' memory storage, sweeping expired windows once a second.

    The library sweeps every key 10 ms after any hit, so under load it walks every window of
    the day (each client's conversations a day, each conversation's messages an hour) about a
    hundred times a second: a quarter of the API's CPU at 30 messages a second. Moving windows
    read their entries' times, not the sweep, so sweeping less often only keeps expired
    entries a second longer.
    """

    def __init__(self, sweep_seconds: float = SWEEP_SECONDS) -> None:
        self.sweep_seconds = sweep_seconds
        super().__init__()

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (the library's own hook)
        if not self.timer.is_alive():
            sweep = getattr(self, "_MemoryStorage__expire_events")  # noqa: B009 (mangled: unseen by mypy)
            self.timer = threading.Timer(self.sweep_seconds, sweep)
            self.timer.daemon = True
            self.timer.start()


@cache
def limiter() -> MovingWindowRateLimiter:
    """The process's limiter on the shared storage (opened on first use)."""
    url = get_settings().rate_limit_url
    if url == "memory://":
        return MovingWindowRateLimiter(SweptMemoryStorage())
    return MovingWindowRateLimiter(storage_from_string(url))


def hit(item: RateLimitItem, *keys: str) -> bool:
    """Count one against the limit: False when it was already spent (nothing counted)."""
    try:
        return limiter().hit(item, *keys)
    except (RedisError, OSError) as exc:
        log.warning("rate limit storage unreachable, let through: %r", exc)
        return True


def within(item: RateLimitItem, *keys: str) -> bool:
    """Whether one more would still be within the limit (nothing counted)."""
    try:
        return limiter().test(item, *keys)
    except (RedisError, OSError) as exc:
        log.warning("rate limit storage unreachable, let through: %r", exc)
        return True


def seconds_to_wait(item: RateLimitItem, *keys: str) -> float:
    """Until the limit's window frees one (0.0 when the storage cannot say)."""
    try:
        return max(limiter().get_window_stats(item, *keys).reset_time - time.time(), 0.0)
    except (RedisError, OSError):
        return 0.0
