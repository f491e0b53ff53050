"""The one rate limiter's storage in memory (core/rate_limits.py)."""

from limits import RateLimitItemPerMinute

from core.rate_limits import SWEEP_SECONDS, SweptMemoryStorage, limiter


def test_the_limiter_in_memory_sweeps_once_a_second_not_after_every_hit():
    limiter.cache_clear()
    storage = limiter().storage
    assert isinstance(storage, SweptMemoryStorage)
    storage.timer.join()  # the sweep armed when the storage opened
    storage.acquire_entry("sweep-probe", 5, 60)
    assert storage.timer.interval == SWEEP_SECONDS == 1.0


def test_a_moving_window_holds_between_sweeps():
    storage = SweptMemoryStorage()
    item = RateLimitItemPerMinute(2)
    assert [
        storage.acquire_entry("conversation:7", item.amount, item.get_expiry()) for _ in range(3)
    ] == [
        True,
        True,
        False,
    ]


def test_a_sweep_drops_the_expired_entries_and_keeps_the_live_ones():
    storage = SweptMemoryStorage()
    storage.acquire_entry("expired", 5, 0)
    storage.acquire_entry("live", 5, 60)
    storage._MemoryStorage__expire_events()  # the sweep the timer runs
    assert storage.events["expired"] == []
    assert len(storage.events["live"]) == 1
