"""Registers (台账): typed domain rows exported as PDF and Excel, scoped like cases.

A domain app declares a :class:`RegisterSpec` for each ledger it keeps; the
engine lists them (``GET /api/registers/``) and renders them with
``workflows.rendering``; who may export which village's ledger is
``workflows.visibility.may_export``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.downloads import file_name, local_date, name_download
from core.models import Region
from core.places import kind_of, place_words, place_words_en
from core.roles import Level, Role
from workflows import texts
from workflows.registry import registry
from workflows.rendering import Progress, render_register_pdf, render_register_xlsx


@dataclass(frozen=True)
class RegisterSpec:
    code: str
    name: str
    procedure: str  # the procedure whose visibility rules govern the register
    columns: Sequence[tuple[str, str]]
    rows: Callable[[Region], Iterable[Sequence[Any]]]
    level: Level = Level.VILLAGE

    def title(self, region: Region | None = None) -> str:
        """The register's name in the reader's language and in ``region``'s words
        (村委会印章用印登记簿 in a village, 居委会… in a community)."""
        return worded(self.name, region)

    def headings(self, region: Region | None = None) -> list[tuple[str, str]]:
        return [(key, worded(label, region)) for key, label in self.columns]


_REGISTERS: dict[str, RegisterSpec] = {}
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def register(spec: RegisterSpec) -> RegisterSpec:
    _REGISTERS[spec.code] = spec
    return spec


def all_registers() -> list[RegisterSpec]:
    registry.load()  # importing procedures.py modules registers their ledgers too
    return sorted(_REGISTERS.values(), key=lambda r: r.code)


def get_register(code: str) -> RegisterSpec | None:
    all_registers()
    return _REGISTERS.get(code)


def worded(text: str, region: Region | None) -> str:
    """A register's text (its name, a heading) in the active language, in the words of the
    region's kind of place: the procedures' catalogue (``workflows.texts``) translates it."""
    kind = kind_of(region)
    translated = texts.translate(text)
    if translated == text:  # Chinese, or not translated: the place's Chinese words
        return str(place_words(text, kind))
    return place_words_en(translated, kind)


class Export(NamedTuple):
    """A rendered register: the file, its MIME type, its name (桃花村-村委会印章用印登记簿-
    2026-12-02.xlsx) and the ASCII name for old clients (seal_register_committee-…-2026-12-02)."""

    body: bytes
    mime: str
    name: str
    fallback: str

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.mime)
        name_download(response, self.name, self.fallback)
        response["X-Content-Type-Options"] = "nosniff"
        return response


def export_names(reg: RegisterSpec, region: Region, fmt: str,
                 when: dt.datetime | None = None) -> tuple[str, str]:
    """The file name of an export (region, register, local date) and its ASCII fallback."""
    day = local_date(when)
    return (file_name(region.name, reg.title(region), day, ext=fmt),
            file_name(reg.code, region.code, day, ext=fmt))


def export(reg: RegisterSpec, region: Region, fmt: str,
           rows: list[Sequence[Any]] | None = None, *,
           when: dt.datetime | None = None, progress: Progress | None = None) -> Export:
    """The ledger of ``region`` as a PDF or an Excel file, in the active language: its title
    (桃花村村委会印章用印登记簿), the scope, the number of rows and the date above the rows.
    A PDF's pages are kept under the register and the village (``progress(done, total)``
    is told as its chunks of pages are ready, see workflows.rendering)."""
    rows = list(reg.rows(region)) if rows is None else rows
    when = when or timezone.now()
    title = _("%(place)s%(register)s") % {"place": region.name, "register": reg.title(region)}
    columns = reg.headings(region)
    scope = _("范围:%(scope)s") % {"scope": region.full_name}
    count = ngettext("共%(n)d条", "共%(n)d条", len(rows)) % {"n": len(rows)}
    day = _("导出日期:%(date)s") % {"date": local_date(when)}
    if fmt == "pdf":
        body = render_register_pdf(title=title, subtitle=" · ".join((scope, count, day)),
                                   columns=columns, rows=rows, generated_at=when,
                                   scope=f"{reg.code}:{region.pk}", progress=progress)
    else:
        body = render_register_xlsx(title=title, columns=columns, rows=rows,
                                    lines=[" · ".join((scope, count, day))])
    name, fallback = export_names(reg, region, fmt, when)
    return Export(body, MIME[fmt], name, fallback)


__all__ = ["Export", "RegisterSpec", "Role", "all_registers", "export", "get_register",
           "register"]
