"""Windows in calendar and working days, across the 2026 National Day holiday."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from workflows.calendar import (
    add_months,
    calendar_known,
    is_working_day,
    missing_holiday_years,
    window_end,
)
from workflows.models import DayKind, HolidayOverride, HolidayYear


def sh(text):
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.mark.django_db
def test_calendar_window_does_not_count_the_posting_day():
    assert window_end(sh("2026-11-02T15:00"), 7, working_days=False) == sh("2026-11-10T00:00")


@pytest.mark.django_db
def test_calendar_window_across_a_month_end():
    assert window_end(sh("2026-01-28T09:00"), 7, working_days=False) == sh("2026-02-05T00:00")


@pytest.mark.django_db
def test_the_2026_national_day_schedule_is_known():
    assert not is_working_day(dt.date(2026, 10, 1))
    assert not is_working_day(dt.date(2026, 10, 7))
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday, make-up working day
    assert is_working_day(dt.date(2026, 9, 20))   # Sunday, make-up working day
    assert not is_working_day(dt.date(2026, 10, 11))


@pytest.mark.django_db
def test_seven_working_days_across_national_day():
    # posted Tue 2026-09-29: counted 09-30, 10-08, 10-09, 10-10 (Sat, make-up), 10-12, 10-13,
    # 10-14 -> may end 2026-10-15 00:00
    assert window_end(sh("2026-09-29T10:00"), 7, working_days=True) == sh("2026-10-15T00:00")


@pytest.mark.django_db
def test_seven_calendar_days_across_national_day_ignore_holidays():
    assert window_end(sh("2026-09-29T10:00"), 7, working_days=False) == sh("2026-10-07T00:00")


@pytest.mark.django_db
def test_an_override_holiday_moves_the_end():
    base = window_end(sh("2026-11-02T10:00"), 7, working_days=True)
    assert base == sh("2026-11-12T00:00")  # 11-03..11-06, 11-09..11-11
    HolidayOverride.objects.create(date=dt.date(2026, 11, 4), kind=DayKind.HOLIDAY, name="测试")
    assert window_end(sh("2026-11-02T10:00"), 7, working_days=True) == sh("2026-11-13T00:00")


@pytest.mark.django_db
def test_unknown_year_falls_back_to_weekdays_and_the_table():
    assert not calendar_known(2031)
    assert is_working_day(dt.date(2031, 1, 1))  # a Wednesday: no data, so a working day
    HolidayOverride.objects.create(date=dt.date(2031, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    assert not is_working_day(dt.date(2031, 1, 1))
    HolidayOverride.objects.create(date=dt.date(2031, 1, 4), kind=DayKind.WORKDAY, name="调休")
    assert is_working_day(dt.date(2031, 1, 4))  # a Saturday made a working day
    assert not calendar_known(2031)  # single dates are not the year's arrangement
    HolidayYear.objects.create(year=2031, notice="国务院办公厅关于2031年部分节假日安排的通知")
    assert calendar_known(2031)


@pytest.mark.django_db
def test_missing_holiday_years_warns_for_next_year():
    with time_machine.travel(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC), tick=False):
        assert missing_holiday_years() == [2027]
        HolidayYear.objects.create(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知")
        assert missing_holiday_years() == []


def test_add_months_clamps_to_month_end():
    assert add_months(sh("2026-01-31T09:00"), 1) == sh("2026-02-28T09:00")
    assert add_months(sh("2026-11-30T09:00"), 3) == sh("2027-02-28T09:00")
    assert add_months(sh("2026-03-02T09:00"), 12) == sh("2027-03-02T09:00")


@pytest.mark.django_db
def test_admin_warns_when_holidays_are_missing(admin_client):
    with time_machine.travel(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC), tick=False):
        page = admin_client.get("/admin/workflows/holidayoverride/", follow=True)
    assert "尚未录入2027年" in page.content.decode()
