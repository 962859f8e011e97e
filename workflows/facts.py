"""Facts derived when an event happened, kept inside the event so that its hash covers them.

People read more about an event than its own row: the publicity window it opened (start,
days, working days or not, earliest end), the meeting's computed result, the line a
domain wrote in its register (the seal register's number, copies and document). The
gate writes these into ``CaseEvent.facts`` in the same transaction as the rows that show
them, and ``workflows.verify`` compares every such row with its chain, so that a row
changed behind the portal's back is named by ``verify_audit`` and the audit page.

The engine's own facts (``ENGINE_FACTS``) are built here; a domain declares a fact of
its own with a ``FactCheck`` (registered from its ``procedures`` module, like its other
extension points): its effect's ``check`` puts the values into ``ctx.facts[name]``, its
``apply`` writes the row from the same values, and ``rows`` reads the stored rows back
for a batch of cases, in the same shape. The engine never imports a domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from workflows.audit import moment

# what the engine itself records: the case as opened, as closed, a notice opened, a meeting
CASE, CLOSED, NOTICE, MEETING = "case", "closed", "notice", "meeting"
# a running notice's earliest end moved later (a holiday entered after it was posted)
EXTENDED = "notice_extended"
ENGINE_FACTS = frozenset({CASE, CLOSED, NOTICE, MEETING, EXTENDED})


def jsonable(value: Any) -> Any:
    """A value as the chain keeps it: JSON, times in UTC to the microsecond."""
    if isinstance(value, dt.datetime):
        return moment(value if timezone.is_aware(value) else timezone.make_aware(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


# --- the engine's facts --------------------------------------------------------------------


def case_opened(*, procedure: str, version: int, region: int, title: str) -> dict[str, Any]:
    """The opening event's: what the case row says of itself for ever after."""
    return {"procedure": procedure, "version": version, "region": region, "title": title}


def case_closed(*, state: str, outcome: str) -> dict[str, Any]:
    """The event that closed or withdrew the case: its state and the outcome shown."""
    return {"state": str(state), "outcome": outcome}


NOTICE_FIELDS = ("step", "title", "content", "start", "earliest_end", "days", "working_days")


def notice_fact(notice: Any) -> dict[str, Any]:
    """The window an event opened, from the notice row (or anything with its attributes)."""
    return {name: jsonable(getattr(notice, name)) for name in NOTICE_FIELDS}


def notice_extended(*, opened_seq: int, earliest_end: Any, was: Any,
                    reason: str) -> dict[str, Any]:
    """A later earliest end of the notice opened by event ``opened_seq`` (never earlier)."""
    return {"opened_seq": opened_seq, "earliest_end": jsonable(earliest_end),
            "was": jsonable(was), "reason": reason}


def window_in_force(fact: Mapping[str, Any], opened_seq: int,
                    events: Iterable[Any]) -> dict[str, Any]:
    """The window an event opened (``fact``) as later events moved its end: each
    ``notice_extended`` fact naming the opening event in turn."""
    out = dict(fact)
    for event in events:
        ext = (event.facts or {}).get(EXTENDED)
        if isinstance(ext, Mapping) and ext.get("opened_seq") == opened_seq:
            out["earliest_end"] = ext.get("earliest_end")
    return out


def meeting_fact(*, field: str, body: str, quorum_met: bool, passed: bool) -> dict[str, Any]:
    """What the portal computed of a meeting; its figures are in the event's data (``field``)."""
    return {"field": field, "body": body, "quorum_met": bool(quorum_met), "passed": bool(passed)}


# --- the facts of domains --------------------------------------------------------------------

# rows(case ids) -> {case id: [the stored rows as their facts, in the order they were written]}
Rows = Callable[[Sequence[int]], Mapping[int, list[dict[str, Any]]]]


@dataclass(frozen=True)
class FactCheck:
    """A domain's fact: its name in ``CaseEvent.facts``, what it is (Chinese), how to read
    the stored rows back, and the labels of its keys for the message that names a change."""

    name: str
    label: str
    rows: Rows
    labels: tuple[tuple[str, str], ...] = ()

    def key_label(self, key: str) -> str:
        return dict(self.labels).get(key, key)


_CHECKS: dict[str, FactCheck] = {}


def register_fact_check(check: FactCheck) -> FactCheck:
    if check.name in ENGINE_FACTS:
        raise ValueError(f"fact {check.name}: the engine's own")
    known = _CHECKS.get(check.name)
    if known is not None and known != check:
        raise ValueError(f"fact check {check.name} registered twice")
    _CHECKS[check.name] = check
    return check


def fact_check(name: str) -> FactCheck | None:
    return _CHECKS.get(name)


def fact_checks() -> list[FactCheck]:
    return [_CHECKS[name] for name in sorted(_CHECKS)]


# --- comparing a stored row with its chain -------------------------------------------------------


def _instant(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, str) and len(value) > 10:
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return None
        if parsed is not None:
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return None


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value[:10])
        except ValueError:
            return None
    return None


def same_value(chained: Any, stored: Any) -> bool:
    """Equal as a person reads them: instants compared as instants (a date against a
    date-time: the local day), numbers as numbers, the rest as JSON."""
    a, b = _instant(chained), _instant(stored)
    if a is not None and b is not None:
        return a == b
    if isinstance(stored, dt.datetime | dt.date) or isinstance(chained, dt.datetime | dt.date):
        return _day(chained) == _day(stored)
    if isinstance(chained, bool) or isinstance(stored, bool):
        return chained is stored or (chained == stored and type(chained) is type(stored))
    if isinstance(chained, int | float | Decimal) and isinstance(stored, int | float | Decimal):
        return Decimal(str(chained)) == Decimal(str(stored))
    return bool(jsonable(chained) == jsonable(stored))


def shown(value: Any) -> str:
    """A value in a message, as the pages show it."""
    instant = _instant(value)
    if instant is not None:
        return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M")
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None or value == "":
        return "空"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def difference(chained: Mapping[str, Any], stored: Mapping[str, Any],
               labels: Mapping[str, str], *, keys: Sequence[str] | None = None) -> str | None:
    """The first key (of ``keys``, else of the chained fact) whose stored value differs:
    "最早结束:记录为2026-11-09 10:00,现为2026-11-05 10:00"."""
    for key in keys if keys is not None else list(chained):
        if key not in chained:
            continue
        if key not in stored:
            return f"{labels.get(key, key)}:记录为{shown(chained[key])},现已缺失"
        if not same_value(chained[key], stored[key]):
            return (f"{labels.get(key, key)}:记录为{shown(chained[key])},"
                    f"现为{shown(stored[key])}")
    return None


__all__ = ["CASE", "CLOSED", "ENGINE_FACTS", "EXTENDED", "MEETING", "NOTICE", "NOTICE_FIELDS",
           "FactCheck", "case_closed", "case_opened", "difference", "fact_check", "fact_checks",
           "jsonable", "meeting_fact", "notice_extended", "notice_fact", "register_fact_check",
           "same_value", "shown", "window_in_force"]
