"""core.dates: one reading of a day and a moment, one refusal code for each wrong date."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from core import dates
from core.errors import RuleError

# 2026-11-02 00:30 in Shanghai is still 1 November in UTC
EARLY = dt.datetime(2026, 11, 1, 16, 30, tzinfo=dt.UTC)


@time_machine.travel(EARLY, tick=False)
def test_today_is_the_day_in_shanghai():
    assert dates.today() == dt.date(2026, 11, 2)


@pytest.mark.parametrize(("value", "day"), [
    ("2026-11-02", dt.date(2026, 11, 2)),
    (" 2026-11-02T09:30:00+08:00 ", dt.date(2026, 11, 2)),
    (dt.date(2026, 2, 28), dt.date(2026, 2, 28)),
    (EARLY, dt.date(2026, 11, 2)),  # an aware moment: its local day
    ("2026-02-30", None), ("十一月", None), ("", None), (None, None),
])
def test_parse_day(value, day):
    assert dates.parse_day(value) == day


def test_parse_moment_is_aware_and_a_bare_date_is_midnight():
    moment = dates.parse_moment("2026-11-02")
    assert timezone.is_aware(moment)
    assert timezone.localtime(moment).time() == dt.time(0, 0)
    assert dates.parse_moment("2026-11-02T09:30:00+08:00") == dt.datetime(
        2026, 11, 2, 1, 30, tzinfo=dt.UTC)
    assert dates.parse_moment("tomorrow") is None


@time_machine.travel(EARLY, tick=False)
def test_not_future_refuses_tomorrow_and_a_moment_ahead_not_today_or_now():
    dates.not_future(dt.date(2026, 11, 2), field="f", label="日期")
    dates.not_future(timezone.now(), field="f", label="时间")
    for later in (dt.date(2026, 11, 3), timezone.now() + dt.timedelta(minutes=1)):
        with pytest.raises(RuleError) as refused:
            dates.not_future(later, field="f", label="日期")
        assert (refused.value.code, refused.value.field) == (dates.FUTURE_DATE, "f")


def test_not_before_compares_days_with_moments_in_local_time():
    start = dates.start_of(dt.date(2026, 11, 2))
    dates.not_before(dt.date(2026, 11, 2), start, field="f", label="日期", start_label="开始")
    with pytest.raises(RuleError) as refused:
        dates.not_before(start - dt.timedelta(minutes=1), dt.date(2026, 11, 2), field="f",
                         label="时间", start_label="开始")
    assert refused.value.code == dates.DATE_ORDER
    assert "不能早于开始" in refused.value.detail


def test_dates_read_in_chinese():
    assert dates.day_text(dt.date(2026, 11, 3)) == "2026年11月3日"
    moment = dt.datetime(2026, 11, 3, 1, 30, tzinfo=dt.UTC)
    assert dates.moment_text(moment) == "2026年11月03日09:30"
    assert dates.day_text(None) == dates.moment_text(None) == ""


def test_shown_dates_follow_the_readers_language():
    moment = dt.datetime(2026, 11, 3, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
    with translation.override("zh-hans"):
        assert dates.local_moment(moment) == "2026年11月3日 09:30"
        assert dates.local_day(dt.date(2026, 11, 3)) == "2026年11月3日"
    with translation.override("en"):
        assert dates.local_moment(moment) == "3 Nov 2026, 09:30"
        assert dates.local_day(moment) == "3 Nov 2026"
    assert dates.local_moment(None) == dates.local_day(None) == ""


def test_a_period_ending_at_local_midnight_reads_as_the_end_of_the_day_before():
    midnight = dt.datetime(2026, 11, 5, 16, 0, tzinfo=dt.UTC)  # 6 Nov 00:00 in Shanghai
    with translation.override("zh-hans"):
        assert dates.local_moment(midnight, end=True) == "2026年11月5日 24:00"
        # the same moment as a start is the day it begins
        assert dates.local_moment(midnight) == "2026年11月6日 00:00"
        assert dates.local_moment(midnight + dt.timedelta(minutes=1), end=True) == (
            "2026年11月6日 00:01")
    with translation.override("en"):
        assert dates.local_moment(midnight, end=True) == "end of 5 Nov 2026"
