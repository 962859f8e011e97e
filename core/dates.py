"""Dates as the portal checks and prints them: one set of rules and one set of codes.

Codes of a refused date (contract 5, ``{"code", "detail", "field"}``):

- ``invalid_date`` — not a date that exists (``2026-02-30``) or not a date at all;
- ``future_date``  — later than today (or now) where it records what has happened;
- ``date_order``   — earlier than the date it must follow (a step's opening, another field).

The time is read only through ``django.utils.timezone`` (contract 3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext

from core.errors import RuleError

INVALID_DATE = "invalid_date"
FUTURE_DATE = "future_date"
DATE_ORDER = "date_order"


def today() -> dt.date:
    """Today in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate()


def parse_day(value: Any) -> dt.date | None:
    """A date from a ``date`` or an ISO string (``YYYY-MM-DD``); None when it is neither
    or names a day that does not exist."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def parse_moment(value: Any) -> dt.datetime | None:
    """An aware date-time from a ``datetime`` or an ISO string (a bare date is midnight)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            day = parse_day(text) if len(text) == 10 else None
            if day is None:
                return None
            moment = dt.datetime.combine(day, dt.time())
    else:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def start_of(day: dt.date) -> dt.datetime:
    """The first moment of a local day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def not_future(value: dt.date | dt.datetime, *, field: str, label: str) -> None:
    """Refuse (``future_date``) a date after today, or a date-time after now."""
    if isinstance(value, dt.datetime):
        if value > timezone.now():
            raise RuleError(FUTURE_DATE, gettext("“%(label)s”不能晚于当前时间。")
                            % {"label": label}, field=field)
    elif value > today():
        raise RuleError(FUTURE_DATE, gettext("“%(label)s”不能晚于今天。") % {"label": label},
                        field=field)


def not_before(value: dt.date | dt.datetime, start: dt.date | dt.datetime, *, field: str,
               label: str, start_label: str) -> None:
    """Refuse (``date_order``) a date earlier than the one it must follow."""
    if isinstance(value, dt.datetime) and not isinstance(start, dt.datetime):
        start = start_of(start)
    elif isinstance(start, dt.datetime) and not isinstance(value, dt.datetime):
        start = timezone.localtime(start).date()
    if value < start:  # type: ignore[operator]
        raise RuleError(DATE_ORDER, gettext("“%(label)s”不能早于%(start)s。")
                        % {"label": label, "start": start_label}, field=field)


def day_text(day: dt.date | None) -> str:
    """``2026年11月3日`` (empty for no date)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def moment_text(moment: dt.datetime | None) -> str:
    """``2026年11月03日09:30`` in local time (empty for none)."""
    return f"{timezone.localtime(moment):%Y年%m月%d日%H:%M}" if moment else ""


# --- shown to a reader, in the active language ---------------------------------------------


def local_day(day: dt.date | dt.datetime | None) -> str:
    """A day as the reader's language writes it: "2026年11月5日" / "5 Nov 2026"."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return formats.date_format(day, "DATE_FORMAT")


def local_moment(moment: dt.datetime | None, *, end: bool = False) -> str:
    """A moment in local time to the minute: "2026年11月5日 14:00" / "5 Nov 2026, 14:00".

    ``end`` marks the end of a period (a window, a time limit): one that falls on a local
    midnight is the end of the day before, so it reads "2026年11月5日 24:00" / "end of
    5 Nov 2026" rather than a 00:00 of a day the period does not reach."""
    if moment is None:
        return ""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    local = timezone.localtime(moment)
    if end and local.time() == dt.time():
        last = local.date() - dt.timedelta(days=1)
        # Translators: the end of a period that runs to the end of that day
        return gettext("%(day)s 24:00") % {"day": formats.date_format(last, "DATE_FORMAT")}
    return formats.date_format(local, "DATETIME_FORMAT")
