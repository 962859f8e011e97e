"""Registers (台账): typed domain rows exported as PDF and Excel, scoped like cases.

A domain app declares a :class:`RegisterSpec` for each ledger it keeps; the
engine lists them (``GET /api/registers/``), checks who may export which
village's ledger, and renders them with ``workflows.rendering``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from core.models import Region
from core.roles import Level, Role
from core.scope import get_scope


@dataclass(frozen=True)
class RegisterSpec:
    code: str
    name: str
    procedure: str  # the procedure whose visibility rules govern the register
    columns: Sequence[tuple[str, str]]
    rows: Callable[[Region], Iterable[Sequence[Any]]]
    level: Level = Level.VILLAGE


_REGISTERS: dict[str, RegisterSpec] = {}


def register(spec: RegisterSpec) -> RegisterSpec:
    _REGISTERS[spec.code] = spec
    return spec


def all_registers() -> list[RegisterSpec]:
    from workflows.registry import registry

    registry.all()  # importing procedures.py modules registers their ledgers too
    return sorted(_REGISTERS.values(), key=lambda r: r.code)


def get_register(code: str) -> RegisterSpec | None:
    all_registers()
    return _REGISTERS.get(code)


def exportable_regions(user: Any, reg: RegisterSpec) -> list[Region]:
    """The villages whose ledger ``user`` may export: where they see the procedure's cases."""
    from core.scope import can_see_case

    scope = get_scope(user)
    if scope.is_empty:
        return []
    paths = set(scope.subtree_paths) | set(scope.district_procedures)
    from django.db.models import Q

    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    villages = Region.objects.filter(q, level=reg.level).order_by("path")
    return [v for v in villages if can_see_case(user, region=v, procedure=reg.procedure)]


def register_rows_for(user: Any) -> list[dict[str, Any]]:
    out = []
    for reg in all_registers():
        for region in exportable_regions(user, reg):
            out.append({
                "code": reg.code,
                "name": reg.name,
                "procedure": reg.procedure,
                "region": region.pk,
                "region_name": region.name,
                "pdf_url": reverse("api-register-export", args=[reg.code, region.pk, "pdf"]),
                "xlsx_url": reverse("api-register-export", args=[reg.code, region.pk, "xlsx"]),
            })
    return out


def export(reg: RegisterSpec, region: Region, fmt: str) -> tuple[bytes, str, str]:
    from django.utils import timezone

    from workflows.rendering import render_register_pdf, render_register_xlsx

    rows = list(reg.rows(region))
    title = f"{region.name}{reg.name}"
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "pdf":
        subtitle = f"{region.full_name} · 共{len(rows)}条"
        body = render_register_pdf(title=title, subtitle=subtitle, columns=reg.columns, rows=rows)
        return body, "application/pdf", f"{reg.code}-{region.code}-{stamp}.pdf"
    body = render_register_xlsx(title=title, columns=reg.columns, rows=rows)
    return (body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{reg.code}-{region.code}-{stamp}.xlsx")


__all__ = ["RegisterSpec", "Role", "all_registers", "export", "get_register", "register"]
