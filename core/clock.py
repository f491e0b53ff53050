"""Time helpers: the system stores UTC and shows the shop's local time (Asia/Shanghai)."""

import calendar
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

SHOP_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_shop_time(moment: datetime) -> datetime:
    """`moment` in the shop's time zone, for text shown to people."""
    return moment.astimezone(SHOP_TZ)


def days_until(deadline: datetime, now: datetime) -> int:
    """Calendar days from today to the deadline's day, in shop time, as people count them: on
    12月5日 a deadline on 12月9日 is 4 days away whatever the hour; 0 on its own day."""
    return max((to_shop_time(deadline).date() - to_shop_time(now).date()).days, 0)


def months_after(moment: datetime, months: int) -> datetime:
    """The same day of the month `months` calendar months later, in shop time (the 31st
    becomes the month's last day): 1月31日 + 1 month → 2月28日."""
    local = to_shop_time(moment)
    year, month = divmod(local.month - 1 + months, 12)
    year, month = local.year + year, month + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def add_working_days(moment: datetime, days: int) -> datetime:
    """`moment` plus `days` working days (Monday to Friday, in shop time; public holidays are
    not known here): Friday + 1 → Monday."""
    local = to_shop_time(moment)
    while days > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local
