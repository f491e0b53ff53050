"""The one rate limiter's storage in memory (core/rate_limits.py)."""

import time

import pytest
from limits import RateLimitItemPerMinute

from core import rate_limits
from core.rate_limits import SWEEP_SECONDS, SweptMemoryStorage
from core.settings import get_settings


@pytest.fixture
def limiter_in_memory(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(get_settings(), "rate_limit_url", "memory://")
    rate_limits.limiter.cache_clear()
    yield rate_limits.limiter()
    rate_limits.limiter.cache_clear()


def test_the_limiter_in_memory_sweeps_once_a_second_not_after_every_hit(limiter_in_memory):
    storage = limiter_in_memory.storage
    assert isinstance(storage, SweptMemoryStorage)
    storage.timer.join()  # the sweep armed when the storage opened
    storage.acquire_entry("sweep-probe", 5, 60)
    assert storage.timer.interval == SWEEP_SECONDS == 1.0


def test_expired_entries_are_swept_after_the_next_hit():
    storage = SweptMemoryStorage(sweep_seconds=0.05)
    storage.timer.join()  # the library's first sweep, armed when the storage opened
    storage.acquire_entry("expired", 5, 0)  # arms the sweep
    storage.acquire_entry("live", 5, 60)
    deadline = time.monotonic() + 2
    while storage.events["expired"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert storage.events["expired"] == []
    assert len(storage.events["live"]) == 1


def test_a_moving_window_holds_between_sweeps():
    storage = SweptMemoryStorage()
    item = RateLimitItemPerMinute(2)
    hits = [
        storage.acquire_entry("conversation:7", item.amount, item.get_expiry()) for _ in range(3)
    ]
    assert hits == [True, True, False]
    assert storage.get_moving_window("conversation:7", item.amount, item.get_expiry())[1] == 2
