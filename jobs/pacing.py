"""How fast a channel may be sent to: at most `per_minute` messages in any 60 s (a moving
window, as the robots count), spaced at least 60/per_minute seconds apart, so a burst waits a
few seconds and leaves as one digest instead of hitting the robot's limit.

The `limits` library keeps the windows (core.rate_limits): in memory for one worker process,
in Redis (RATE_LIMIT_URL) when several workers share the channels.
"""

import math
import time

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond

from core.rate_limits import limiter as _limiter
from reviews.alert_channels import Channel


def _limits(channel: Channel) -> tuple[RateLimitItem, RateLimitItem]:
    spacing = max(1, math.ceil(channel.min_interval_s))
    return (RateLimitItemPerSecond(1, spacing), RateLimitItemPerMinute(channel.per_minute))


def take_turn(channel: Channel) -> float:
    """Take the channel's next sending slot: 0.0 when taken, else the seconds until one frees.

    Each `hit` is atomic (a lock in memory, a script in Redis), so of several workers asking at
    once only one gets the slot."""
    limiter = _limiter()
    spacing, per_minute = _limits(channel)
    for item in (spacing, per_minute):
        if not limiter.hit(item, "alert", channel.name):
            reset = limiter.get_window_stats(item, "alert", channel.name).reset_time
            return max(reset - time.time(), 0.05)
    return 0.0
