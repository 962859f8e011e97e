"""Registers (台账): typed domain rows exported as PDF and Excel, scoped like cases.

A domain app declares a :class:`RegisterSpec` for each ledger it keeps; the
engine lists them (``GET /api/registers/``) and renders them with
``workflows.rendering``; who may export which village's ledger is
``workflows.visibility.may_export``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from core.models import Region
from core.roles import Level, Role
from workflows.registry import registry
from workflows.rendering import render_register_pdf, render_register_xlsx


@dataclass(frozen=True)
class RegisterSpec:
    code: str
    name: str
    procedure: str  # the procedure whose visibility rules govern the register
    columns: Sequence[tuple[str, str]]
    rows: Callable[[Region], Iterable[Sequence[Any]]]
    level: Level = Level.VILLAGE


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


def export(reg: RegisterSpec, region: Region, fmt: str,
           rows: list[Sequence[Any]] | None = None) -> tuple[bytes, str, str]:
    """The ledger of ``region`` as (file, MIME type, file name), PDF or Excel."""
    rows = list(reg.rows(region)) if rows is None else rows
    title = f"{region.name}{reg.name}"
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "pdf":
        subtitle = f"{region.full_name} · 共{len(rows)}条"
        body = render_register_pdf(title=title, subtitle=subtitle, columns=reg.columns, rows=rows)
    else:
        body = render_register_xlsx(title=title, columns=reg.columns, rows=rows)
    return body, MIME[fmt], f"{reg.code}-{region.code}-{stamp}.{fmt}"


__all__ = ["RegisterSpec", "Role", "all_registers", "export", "get_register", "register"]
