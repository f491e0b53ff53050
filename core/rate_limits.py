"""The one rate limiter (the `limits` library, moving windows) that every limit shares.

Its windows live where RATE_LIMIT_URL says: in memory for one process, in Redis when several
processes (API workers, action servers, job workers) must count together. A limit that guards
against abuse lets everything through while its storage cannot be reached (`hit`, `within`):
an outage of Redis must not close the shop. Pacing that must hold (the alert channels) uses
`limiter()` itself and retries.
"""

import logging
import time
from functools import cache

from limits import RateLimitItem
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from core.settings import get_settings

log = logging.getLogger(__name__)


@cache
def limiter() -> MovingWindowRateLimiter:
    """The process's limiter on the shared storage (opened on first use)."""
    return MovingWindowRateLimiter(storage_from_string(get_settings().rate_limit_url))


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
