"""A holiday entered after a notice was posted lengthens the notice (issue 11, point 11).

A working-day window (a conversion's 7 working days) is counted on the calendar of the
day it is read: when the holiday table gains a holiday inside a running window, the
window's earliest end moves later, recorded on its case (``gate.extend_running_notices``);
it never moves earlier. The table's save does it at once; the sweep does it again, for
dates loaded without a save (a bulk import).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from workflows.gate import extend_running_notices
from workflows.models import DayKind, HolidayOverride
from workflows.sweep import register_check


@receiver(post_save, sender=HolidayOverride, dispatch_uid="holiday-extends-notices")
def holiday_saved(sender: Any, instance: HolidayOverride, **kwargs: Any) -> None:
    if instance.kind != DayKind.HOLIDAY:
        return  # a make-up working day never shortens a posted window
    reason = f"录入节假日{instance.date:%Y-%m-%d}{instance.name or ''}"
    transaction.on_commit(lambda: extend_running_notices(reason=reason))


@register_check
def check_holiday_table(now: dt.datetime) -> int:
    """Notices whose window the holiday table now makes longer (no notifications)."""
    extend_running_notices(reason="节假日安排更新", now=now)
    return 0
