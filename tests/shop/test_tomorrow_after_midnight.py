"""The word 明天 is read from the shop's clock in one function: the shop's date + 1, except between
midnight and the early morning, when a shopper still up may mean the day just begun and is
asked; a day someone else reported (快递说今天送) is never the wish; once a day is chosen, the
same words keep meaning it."""

from datetime import UTC, date, datetime

import pytest

from shop.appointments import (
    AppointmentProblem,
    DeliveryAppointment,
    read_appointment,
    refined,
    tomorrow,
    tomorrow_choices,
)
from shop.modifications import ChangeField, check_value
from words.render import say

from .conftest import demo_order

# Shop time is UTC+8: each moment below is 5 December 2026 (a Saturday) or just after midnight.
AT_00_30 = datetime(2026, 12, 5, 16, 30, tzinfo=UTC)  # 12月6日 00:30
AT_03_00 = datetime(2026, 12, 5, 19, 0, tzinfo=UTC)  # 12月6日 03:00
AT_09_00 = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)  # 12月5日 09:00
AT_23_30 = datetime(2026, 12, 5, 15, 30, tzinfo=UTC)  # 12月5日 23:30
SAT, SUN, MON = date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)


@pytest.mark.parametrize(
    ("now", "days"),
    [(AT_00_30, (SUN, MON)), (AT_03_00, (SUN, MON)), (AT_09_00, (SUN,)), (AT_23_30, (SUN,))],
)
def test_tomorrow_is_the_shops_next_date_or_both_days_in_the_small_hours(now, days):
    assert tomorrow(now) == days


@pytest.mark.parametrize("now", [AT_00_30, AT_03_00])
def test_tomorrow_said_after_midnight_is_asked_between_the_two_days(now):
    assert tomorrow_choices("明天晚上送吧", now) == (SUN, MON)
    assert tomorrow_choices("后天晚上送吧", now) == ()  # only 明天 is in doubt
    assert tomorrow_choices("12月7号晚上", now) == ()


@pytest.mark.parametrize(("now", "day"), [(AT_09_00, SUN), (AT_23_30, SUN)])
def test_tomorrow_said_in_the_day_or_evening_is_the_shops_next_date(now, day):
    assert tomorrow_choices("明天晚上送吧", now) == ()
    assert read_appointment("明天晚上送吧", now).day == day


def test_a_day_someone_else_reported_is_not_the_day_wished():
    wish = read_appointment("快递说今天送 我今天不在家 能明天晚上送吗", AT_09_00)
    assert wish.day == SUN
    assert read_appointment("物流显示今天到 改后天吧", AT_09_00).day == date(2026, 12, 7)


def test_an_ambiguous_tomorrow_is_asked_with_each_day_and_its_weekday(db):
    order = demo_order(db, "in_transit")
    checked = check_value(ChangeField.DELIVERY_TIME, "明天晚上送", order, AT_03_00)
    assert checked.value is None
    assert checked.rejected is not None
    which = checked.rejected.appointment
    assert which is not None
    assert which.problem == AppointmentProblem.WHICH_DAY
    assert [c.day for c in which.choices] == [SUN, MON]
    assert [say(c) for c in which.choices] == ["12月6日（周日）晚上", "12月7日（周一）晚上"]
    # the button's words, sent back, are one day: no question again
    again = check_value(ChangeField.DELIVERY_TIME, say(which.choices[1]), order, AT_03_00)
    assert DeliveryAppointment.from_code(again.value or "").day == MON


def test_the_same_tomorrow_keeps_the_day_chosen_in_the_conversation():
    chosen = read_appointment("12月6日（周日）晚上", AT_03_00)
    assert refined(chosen, "明天六点以后", AT_03_00).day == SUN
    chosen = read_appointment("12月7日（周一）晚上", AT_03_00)
    assert refined(chosen, "明天六点以后", AT_03_00).day == MON
