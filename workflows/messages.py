"""Messages stored as a template and its parameters, rendered in the reader's language.

A notification or an alert is written once but read by people who chose different languages
(and by the API, which answers in the request's). So it is not stored as finished Chinese
text alone: it keeps its template (a msgid, marked with ``gettext_noop`` where it is written,
so that ``makemessages`` finds it) and its parameters, and is rendered when it is read.

Parameters are stored as JSON:
- a plain string or number is shown as it is (a case title, a person's or a place's name);
- a nested ``Text`` is rendered in turn (a step's name, a register's label);
- a date or a date-time is shown in the reader's date format, a date-time in local time;
- a ``Month`` and a ``Quantity`` (a number of days, months, hours…) likewise;
- a list, its items rendered and joined.

The Chinese rendering is also stored (``message``) for e-mail, the admin and rows written
before templates existed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from workflows import texts

Param = Any

def translate(text: str) -> str:
    """``text`` in the active language: Django's catalogue first, then the procedures' own
    (workflows.texts: step names, labels, outcomes)."""
    done = gettext(text)
    if done == text:
        done = texts.translate(text)
    return done


@dataclass(frozen=True)
class Text:
    """A template (a Chinese msgid with ``{name}`` placeholders) and its parameters."""

    template: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __init__(self, template: str, /, **params: Param) -> None:
        object.__setattr__(self, "template", str(template))
        object.__setattr__(self, "params", params)

    def render(self) -> str:
        """In the active language."""
        values = {name: _render(value) for name, value in self.params.items()}
        try:
            return translate(self.template).format(**values)
        except (KeyError, IndexError, ValueError):
            # a translation that lost or broke a placeholder: the original is still right
            return self.template.format(**values)

    def chinese(self) -> str:
        with translation.override("zh-hans"):
            return self.render()

    def __str__(self) -> str:
        return self.render()

    def to_json(self) -> dict[str, Any]:
        return {"t": self.template, "p": {k: _dump(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Text:
        return cls(str(data["t"]), **{k: _load(v) for k, v in dict(data.get("p") or {}).items()})


@dataclass(frozen=True)
class Month:
    """A calendar month, shown as "2026年11月" / "November 2026"."""

    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def render(self) -> str:
        return formats.date_format(dt.date(self.year, self.month, 1), "YEAR_MONTH_FORMAT")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit ("3个月" / "3 months"), in the reader's language and plural."""

    n: int
    unit: str  # days, working_days, months, hours, minutes, times

    def render(self) -> str:
        n = self.n
        if self.unit == "days":
            return ngettext("%(n)s天", "%(n)s天", n) % {"n": n}
        if self.unit == "working_days":
            return ngettext("%(n)s个工作日", "%(n)s个工作日", n) % {"n": n}
        if self.unit == "months":
            return ngettext("%(n)s个月", "%(n)s个月", n) % {"n": n}
        if self.unit == "hours":
            return ngettext("%(n)s小时", "%(n)s小时", n) % {"n": n}
        if self.unit == "minutes":
            return ngettext("%(n)s分钟", "%(n)s分钟", n) % {"n": n}
        if self.unit == "times":
            return ngettext("%(n)s次", "%(n)s次", n) % {"n": n}
        return str(n)


def spec_text(text: str) -> Text:
    """A text of a procedure (a step's name, a label), translated when it is read."""
    return Text(text)


def _render(value: Param) -> str:
    if isinstance(value, Text | Month | Quantity):
        return value.render()
    if isinstance(value, list | tuple):
        # Translators: what separates the items of a list inside a message
        return gettext(";").join(_render(item) for item in value)
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _dump(value: Param) -> Any:
    if isinstance(value, Text):
        return value.to_json()
    if isinstance(value, Month):
        return {"m": f"{value.year:04d}-{value.month:02d}"}
    if isinstance(value, list | tuple):
        return {"l": [_dump(item) for item in value]}
    if isinstance(value, Quantity):
        return {"q": value.n, "u": value.unit}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)


def _load(value: Any) -> Param:
    if isinstance(value, dict):
        if "t" in value:
            return Text.from_json(value)
        if "m" in value:
            year, month = str(value["m"]).split("-")
            return Month(int(year), int(month))
        if "l" in value:
            return [_load(item) for item in value["l"]]
        if "q" in value:
            return Quantity(int(value["q"]), str(value["u"]))
        if "dt" in value:
            return dt.datetime.fromisoformat(value["dt"])
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
    return value


def store(message: str | Text) -> tuple[str, dict[str, Any] | None]:
    """What a row keeps of ``message``: its Chinese text (cut to the column) and, for a
    ``Text``, its template and parameters."""
    if isinstance(message, Text):
        return message.chinese()[:400], message.to_json()
    return str(message)[:400], None


def shown(message: str, text: Mapping[str, Any] | None) -> str:
    """A stored message in the reader's language (the stored Chinese when it has no
    template)."""
    if not text:
        return message
    return Text.from_json(text).render()
