"""Calendar months and working days are counted the way a shopper counts them, in shop time."""

from datetime import UTC, date, datetime

from core.clock import SHOP_TZ, add_working_days, days_until, months_after


def test_twelve_months_after_a_day_is_the_same_day_next_year():
    signed = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    assert months_after(signed, 12) == datetime(2027, 10, 5, 11, 0, tzinfo=SHOP_TZ)


def test_a_month_after_the_31st_is_the_last_day_of_a_shorter_month():
    assert months_after(datetime(2027, 1, 31, 12, tzinfo=SHOP_TZ), 1).date().isoformat() == (
        "2027-02-28"
    )


def test_the_day_is_the_shops_not_utcs():
    late_evening_utc = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)  # 1 January in Shanghai
    assert months_after(late_evening_utc, 1).date().isoformat() == "2027-02-01"


def test_working_days_skip_the_weekend():
    friday = datetime(2026, 11, 6, 15, tzinfo=SHOP_TZ)
    assert add_working_days(friday, 1).date() == date(2026, 11, 9)
    assert add_working_days(friday, 3).date() == date(2026, 11, 11)
    assert add_working_days(friday, 0) == friday


def test_days_until_a_deadline_are_counted_by_the_calendar_in_shop_time():
    now = datetime(2026, 12, 5, 10, 15, tzinfo=UTC)  # 12月5日 18:15 in the shop
    assert days_until(datetime(2026, 12, 9, 6, 0, tzinfo=UTC), now) == 4  # 12月9日 14:00
    assert days_until(datetime(2026, 12, 5, 15, 0, tzinfo=UTC), now) == 0  # 23:00 today
    assert days_until(datetime(2026, 12, 5, 17, 0, tzinfo=UTC), now) == 1  # 01:00 tomorrow
    assert days_until(datetime(2026, 12, 4, 0, 0, tzinfo=UTC), now) == 0  # passed
