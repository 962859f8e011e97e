"""Helpers for the safety effects: dates and times in the data, parameters in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.errors import RuleError
from core.models import Region
from workflows import params as tenant_params
from workflows.registry import registry
from workflows.spec import Param


def param(procedure: str, p: Param, region: Region) -> int:
    spec = registry.get(procedure)
    assert spec is not None
    return int(tenant_params.effective(spec, p, region))


def day(data: dict[str, Any], name: str) -> dt.date | None:
    raw = data.get(name)
    return parse_date(raw) if isinstance(raw, str) and raw else None


def moment(data: dict[str, Any], name: str) -> dt.datetime | None:
    raw = data.get(name)
    return parse_datetime(raw) if isinstance(raw, str) and raw else None


def past_day(data: dict[str, Any], name: str, label: str) -> dt.date:
    """A required date that may not lie in the future."""
    value = day(data, name)
    if value is None:
        raise RuleError("missing_field", f"请填写“{label}”。", field=name)
    if value > timezone.localdate():
        raise RuleError("future_date", f"“{label}”不能晚于今天。", field=name)
    return value


def past_moment(data: dict[str, Any], name: str, label: str) -> dt.datetime:
    """A required date-time that may not lie in the future."""
    value = moment(data, name)
    if value is None:
        raise RuleError("missing_field", f"请填写“{label}”。", field=name)
    if value > timezone.now():
        raise RuleError("future_date", f"“{label}”不能晚于当前时间。", field=name)
    return value


def not_before(value: dt.datetime | dt.date, start: dt.datetime | dt.date, name: str,
               label: str, start_label: str) -> None:
    if value < start:
        raise RuleError("invalid_order", f"“{label}”不能早于{start_label}。", field=name)


def name_of(user: Any) -> str:
    return str(user.get_full_name()) if user is not None else ""


def local(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%Y年%m月%d日%H:%M}"
