"""Calendar and working days in Asia/Shanghai.

Working days come from the admin's holiday table first, then from the
``chinesecalendar`` package (public holidays and make-up working days, e.g.
2026-10-10, a Saturday, is a working day); for a year that neither knows, Monday
to Friday (and the admin, the district and the townships are warned, see
``missing_holiday_years``).

Counting periods (民法典 第二百零一条): the day a notice is posted does not count;
counting starts the next day. A window of ``n`` calendar days covers the ``n``
days after the start date; a window of ``n`` working days covers the next ``n``
working days. Its earliest end is local midnight at the start of the day after
the last counted day: posted 2026-11-02 15:00, 7 days → 11-03..11-09 counted →
may end at 2026-11-10 00:00+08:00.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt

import chinese_calendar
from django.utils import timezone

from workflows.models import DayKind, HolidayOverride, HolidayYear


def _overrides(year: int) -> dict[dt.date, bool]:
    """The table's rows for ``year``: date -> is a working day."""
    rows = HolidayOverride.objects.filter(date__year=year).values_list("date", "kind")
    return {day: kind == DayKind.WORKDAY for day, kind in rows}


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkingDays:
    """Answers "is this a working day?" with one query per year touched."""

    def __init__(self) -> None:
        self._years: dict[int, tuple[dict[dt.date, bool], bool]] = {}

    def _year(self, year: int) -> tuple[dict[dt.date, bool], bool]:
        if year not in self._years:
            self._years[year] = (_overrides(year), _package_knows(year))
        return self._years[year]

    def __call__(self, day: dt.date) -> bool:
        table, known = self._year(day.year)
        if day in table:
            return table[day]
        if known:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    return WorkingDays()(day)


def calendar_known(year: int) -> bool:
    """Whether the working days of ``year`` are known: the package has the year, or the
    table's year was confirmed complete (``HolidayYear``); single dates entered are not a
    year known."""
    return _package_knows(year) or HolidayYear.objects.filter(year=year).exists()


# from this month on, next year's holidays are due (the State Council publishes them in
# October or November)
WARN_FROM_MONTH = 10


def missing_holiday_years(today: dt.date | None = None) -> list[int]:
    """Years whose working days nobody has entered: this year, and from October next year."""
    day = today or timezone.localdate()
    years = [day.year, day.year + 1] if day.month >= WARN_FROM_MONTH else [day.year]
    return [y for y in years if not calendar_known(y)]


def _midnight_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def window_end(start: dt.datetime, days: int, *, working_days: bool,
               check: WorkingDays | None = None) -> dt.datetime:
    """Earliest end of a window of at least ``days`` (working) days posted at ``start``
    (``check``: a calendar already read, to share between many windows)."""
    if days < 1:
        raise ValueError("a window lasts at least one day")
    day = timezone.localtime(start).date()
    if not working_days:
        return _midnight_after(day + dt.timedelta(days=days))
    check = check or WorkingDays()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if check(day):
            counted += 1
    return _midnight_after(day)


def add_days(start: dt.datetime, days: int) -> dt.datetime:
    return start + dt.timedelta(days=days)


def add_months(start: dt.datetime, months: int) -> dt.datetime:
    """Same local time and day of month ``months`` later, clamped to the month's end."""
    local = timezone.localtime(start)
    year, month0 = divmod(local.month - 1 + months, 12)
    year += local.year
    day = min(local.day, std_calendar.monthrange(year, month0 + 1)[1])
    naive = local.replace(tzinfo=None, year=year, month=month0 + 1, day=day)
    return timezone.make_aware(naive)
