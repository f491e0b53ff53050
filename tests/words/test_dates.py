"""Dates read as a shopper counts them: the year only when it is not this year."""

from datetime import UTC, date, datetime

from core.clock import SHOP_TZ, to_shop_time, utcnow
from words.render import day_text, moment_text, months_text


def _this_year() -> int:
    return to_shop_time(utcnow()).year


def test_a_day_of_this_year_near_today_is_said_without_its_year():
    today = to_shop_time(utcnow()).date()
    assert day_text(today) == f"{today.month}月{today.day}日"
    moment = datetime(today.year, today.month, today.day, 9, tzinfo=SHOP_TZ)
    assert day_text(moment) == f"{today.month}月{today.day}日"


def test_a_day_of_this_year_half_a_year_away_carries_its_year():
    # in December, 1月30日 of this year would read as the coming January (trial 19 T619)
    today = to_shop_time(utcnow()).date()
    far = date(today.year, 1, 1) if today.month >= 7 else date(today.year, 12, 31)
    assert day_text(far) == f"{far.year}年{far.month}月{far.day}日"


def test_a_day_of_another_year_carries_its_year():
    year = _this_year()
    assert day_text(datetime(year + 1, 1, 5, 10, tzinfo=SHOP_TZ)) == f"{year + 1}年1月5日"
    assert day_text(date(year + 1, 1, 5)) == f"{year + 1}年1月5日"  # a restock date
    assert day_text(date(year - 1, 10, 18)) == f"{year - 1}年10月18日"


def test_a_moment_carries_its_year_too_and_is_in_shop_time():
    year = _this_year()
    assert moment_text(datetime(year + 1, 1, 4, 9, 30, tzinfo=UTC)) == f"{year + 1}年1月4日 17:30"


def test_new_years_eve_in_utc_is_already_the_new_year_in_the_shop():
    year = _this_year()
    assert day_text(datetime(year, 12, 31, 17, 0, tzinfo=UTC)) == f"{year + 1}年1月1日"


def test_a_period_of_whole_years_is_said_in_years():
    assert [months_text(m) for m in (3, 12, 18, 36, 60)] == ["3个月", "1年", "18个月", "3年", "5年"]
