"""Time helpers: the system stores UTC and shows the shop's local time (Asia/Shanghai)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHOP_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_shop_time(moment: datetime) -> datetime:
    """`moment` in the shop's time zone, for text shown to people."""
    return moment.astimezone(SHOP_TZ)
