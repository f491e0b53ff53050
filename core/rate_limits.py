"""The one rate limiter (the `limits` library, moving windows) that every limit shares.

Its windows live where RATE_LIMIT_URL says: in memory for one process, in Redis when several
processes (API workers, job workers) must count together.
"""

from functools import cache

from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from core.settings import get_settings


@cache
def limiter() -> MovingWindowRateLimiter:
    """The process's limiter on the shared storage (opened on first use)."""
    return MovingWindowRateLimiter(storage_from_string(get_settings().rate_limit_url))
