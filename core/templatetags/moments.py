"""Dates and times in templates, one way everywhere: ``{{ x|moment }}``, ``{{ x|moment_end }}``
for the end of a period (a local midnight reads as 24:00 of the day before), ``{{ x|day }}``.
Local time (Asia/Shanghai), in the reader's language."""

from __future__ import annotations

import datetime as dt

from django import template

from core.dates import local_day, local_moment

register = template.Library()


@register.filter
def moment(value: dt.datetime | None) -> str:
    return local_moment(value) if isinstance(value, dt.datetime) else ""


@register.filter
def moment_end(value: dt.datetime | None) -> str:
    return local_moment(value, end=True) if isinstance(value, dt.datetime) else ""


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    return local_day(value) if isinstance(value, dt.date) else ""
