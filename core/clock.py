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


def day_text(moment: datetime) -> str:
    """`11月21日` in shop time, with the year when it is not this year (`2025年10月18日`)."""
    local = to_shop_time(moment)
    year = "" if local.year == to_shop_time(utcnow()).year else f"{local.year}年"
    return f"{year}{local.month}月{local.day}日"


def moment_text(moment: datetime) -> str:
    """`11月21日 14:20` in shop time (year as in `day_text`)."""
    return f"{day_text(moment)} {to_shop_time(moment):%H:%M}"
