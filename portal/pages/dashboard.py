"""The oversight dashboard of district bureaus and townships.

A bureau sees, district-wide, the procedures it guides; the organisation
department and the district leadership see all; a township sees its own
villages. Everything is counted with a handful of grouped queries over the
places and procedures the user oversees: the number of queries does not grow
with the number of cases, villages or procedures, and the counts of all cases
come from the tallies the gate keeps (``workflows.tallies``), not from the cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.models import Region
from core.roles import Level
from core.scope import access_region, visible_regions
from workflows.choices import CaseState, NoticeState, TaskState
from workflows.models import CaseMonthTally, CaseTally, PublicityNotice, Task
from workflows.rendering import render_register_xlsx
from workflows.spec import ProcedureSpec
from workflows.visibility import (
    case_q,
    oversight_roles,
    require_oversight,
    visible_procedures,
)

CASE_LIST_URL = "/cases/"
TREND_MONTHS = 12


@dataclass
class Counts:
    open: int = 0
    closed: int = 0
    withdrawn: int = 0
    overdue: int = 0
    publicity: int = 0

    @property
    def total(self) -> int:
        return self.open + self.closed + self.withdrawn

    def add(self, other: Counts) -> None:
        self.open += other.open
        self.closed += other.closed
        self.withdrawn += other.withdrawn
        self.overdue += other.overdue
        self.publicity += other.publicity


@dataclass
class Cell:
    value: int
    url: str
    css: str = ""

    def td(self) -> str:
        """The cell as HTML (built here, not in the template: a district has 300 rows)."""
        css = "n opt" if self.css == "opt" else ("n late" if self.css == "late" and self.value
                                                 else "n")
        if not self.value:
            return format_html('<td class="{}"><span class="zero">0</span></td>', css)
        if self.url:
            return format_html('<td class="{}"><a href="{}">{}</a></td>', css, self.url,
                               self.value)
        return format_html('<td class="{}">{}</td>', css, self.value)


@dataclass
class Row:
    label: str
    level: str  # "township", "village", "procedure" or "total"
    counts: Counts
    params: dict[str, Any] = field(default_factory=dict)
    sub: str = ""

    def tds(self) -> str:
        return mark_safe("".join(cell.td() for cell in self.cells()))  # noqa: S308 (format_html above)

    def cells(self) -> list[Cell]:
        c = self.counts
        return [
            Cell(c.open, case_list_url(self.params, state=CaseState.OPEN)),
            Cell(c.overdue, case_list_url(self.params, state=CaseState.OPEN, overdue=1), "late"),
            Cell(c.publicity, ""),
            Cell(c.closed, case_list_url(self.params, state=CaseState.CLOSED)),
            Cell(c.withdrawn, case_list_url(self.params, state=CaseState.WITHDRAWN), "opt"),
            Cell(c.total, case_list_url(self.params)),
        ]


COLUMNS = (("办理中", ""), ("逾期", ""), ("公示中", ""), ("已办结", ""), ("已撤回", "opt"),
           ("合计", ""))


def case_list_url(params: dict[str, Any], **extra: Any) -> str:
    query = {k: v for k, v in {**params, **extra}.items() if v not in (None, "")}
    return f"{CASE_LIST_URL}?{urlencode(query)}" if query else CASE_LIST_URL


@dataclass
class Dashboard:
    procedures: list[ProcedureSpec]
    regions: list[Region]
    by_key: dict[tuple[int, str], Counts]
    trend: dict[str, list[Any]]
    chosen_procedure: str
    chosen_region: Region | None

    @cached_property
    def _sums(self) -> tuple[dict[int, Counts], dict[str, Counts], Counts]:
        """By village, by procedure and in all, in one pass over the counts."""
        villages = {v.pk for v in self.villages()}
        codes = set(self.codes)
        by_village: dict[int, Counts] = defaultdict(Counts)
        by_procedure: dict[str, Counts] = defaultdict(Counts)
        total = Counts()
        for (region_pk, code), counts in self.by_key.items():
            if region_pk in villages and code in codes:
                by_village[region_pk].add(counts)
                by_procedure[code].add(counts)
                total.add(counts)
        return by_village, by_procedure, total

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.procedures]

    def villages(self) -> list[Region]:
        return [r for r in self.regions if r.level == Level.VILLAGE]

    def procedure_rows(self) -> list[Row]:
        by_procedure = self._sums[1]
        region = self.chosen_region.pk if self.chosen_region else None
        return [
            Row(spec.name, "procedure", by_procedure.get(spec.code, Counts()),
                {"procedure": spec.code, "region": region}, sub=spec.code)
            for spec in self.procedures
        ]

    def region_rows(self) -> list[Row]:
        by_village = self._sums[0]
        rows: list[Row] = []
        proc = self.chosen_procedure or None
        villages = self.villages()
        for region in self.regions:
            if region.level != Level.TOWNSHIP:
                continue
            under = [v for v in villages if v.path.startswith(region.path)]
            if not under:
                continue
            counts = Counts()
            for village in under:
                counts.add(by_village.get(village.pk, Counts()))
            rows.append(Row(region.name, "township", counts,
                            {"procedure": proc, "region": region.pk}))
            rows.extend(Row(village.name, "village", by_village.get(village.pk, Counts()),
                            {"procedure": proc, "region": village.pk}) for village in under)
        return rows

    def total(self) -> Counts:
        return self._sums[2]

    def export_rows(self) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        townships = {r.pk: r.name for r in self.regions if r.level == Level.TOWNSHIP}
        for village in self.villages():
            township = townships.get(village.parent_id or 0, "")
            for spec in self.procedures:
                c = self.by_key.get((village.pk, spec.code))
                if c is None:
                    continue
                out.append((township, village.name, spec.code, spec.name, c.open, c.overdue,
                            c.publicity, c.closed, c.withdrawn, c.total))
        return out


def _months(now: dt.datetime) -> list[tuple[int, int]]:
    local = timezone.localtime(now)
    year, month = local.year, local.month
    out = []
    for _ in range(TREND_MONTHS):
        out.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def _trend(months_qs: Any, now: dt.datetime) -> dict[str, list[Any]]:
    months = _months(now)
    first = dt.date(months[0][0], months[0][1], 1)
    found = {(m.year, m.month): (o or 0, c or 0) for m, o, c in (
        months_qs.filter(month__gte=first).order_by().values("month")
        .annotate(o=Sum("opened"), c=Sum("closed")).values_list("month", "o", "c"))}
    return {
        "labels": [f"{y}年{m}月" for y, m in months],
        "opened": [found.get(k, (0, 0))[0] for k in months],
        "closed": [found.get(k, (0, 0))[1] for k in months],
    }


def build_dashboard(user: Any, *, procedure: str = "", region_id: str = "") -> Dashboard:
    """Counts by village, procedure and state, overdue, publicity running, monthly trend.

    Opened, closed and withdrawn come from the tallies that the gate keeps
    (``workflows.tallies``); overdue and publicity running are counted live over
    open cases only. All are counted over the places and procedures the user
    oversees (a case granted to the user singly is not part of the statistics).
    """
    procedures = visible_procedures(user)
    codes = [p.code for p in procedures]
    if procedure in codes:
        procedures = [p for p in procedures if p.code == procedure]
        codes = [procedure]
    else:
        procedure = ""
    chosen = access_region(user, region_id) if region_id else None
    regions_qs = visible_regions(user).filter(level__in=[Level.TOWNSHIP, Level.VILLAGE])
    scope = case_q(user, grants=False)
    tallies = CaseTally.objects.filter(scope, procedure__in=codes)
    months = CaseMonthTally.objects.filter(scope, procedure__in=codes)
    # Overdue and publicity are counted live over a small slice: the open tasks past
    # their time and the running notices (partial indexes that carry the village and the
    # procedure copied from the case), scoped by the same rule as the tallies.
    now = timezone.now()
    late = (Task.objects.filter(state=TaskState.OPEN, due_at__lt=now, procedure__in=codes)
            .filter(case_q(user, grants=False, region="village_id")))
    running = (PublicityNotice.objects.filter(state=NoticeState.RUNNING, procedure__in=codes)
               .filter(case_q(user, grants=False)))
    if chosen is not None:
        under = Region.objects.filter(path__startswith=chosen.path).values("pk")
        tallies = tallies.filter(region_id__in=under)
        months = months.filter(region_id__in=under)
        late = late.filter(village_id__in=under)
        running = running.filter(region_id__in=under)
        regions_qs = regions_qs.filter(
            Q(path__startswith=chosen.path) | Q(pk__in=chosen.ancestor_ids))
    regions = list(regions_qs.order_by("path"))
    by_key: dict[tuple[int, str], Counts] = defaultdict(Counts)
    for region_pk, code, n_opened, n_closed, n_withdrawn in tallies.values_list(
            "region_id", "procedure", "opened", "closed", "withdrawn"):
        counts = by_key[(region_pk, code)]
        counts.closed, counts.withdrawn = n_closed, n_withdrawn
        counts.open = max(n_opened - n_closed - n_withdrawn, 0)
    for village_pk, code, n in (late.order_by().values("village_id", "procedure")
                                .annotate(n=Count("case_id", distinct=True))
                                .values_list("village_id", "procedure", "n")):
        by_key[(village_pk, code)].overdue = n
    for village_pk, code, n in (running.order_by().values("region_id", "procedure")
                                .annotate(n=Count("case_id", distinct=True))
                                .values_list("region_id", "procedure", "n")):
        by_key[(village_pk, code)].publicity = n
    return Dashboard(procedures=procedures, regions=regions, by_key=dict(by_key),
                     trend=_trend(months, now), chosen_procedure=procedure,
                     chosen_region=chosen)


def _heading(user: Any) -> str:
    return "、".join(sorted(str(role.label) for role in oversight_roles(user)))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_oversight(request.user)
    board = build_dashboard(request.user, procedure=request.GET.get("procedure", ""),
                            region_id=request.GET.get("region", ""))
    if request.GET.get("format") == "xlsx":
        columns = [("township", "镇(街道)"), ("village", "村(社区)"), ("code", "事项编号"),
                   ("name", "事项名称"), *[(c, c) for c, _ in COLUMNS]]
        body = render_register_xlsx(title="事项办理统计", columns=columns,
                                    rows=board.export_rows())
        stamp = timezone.localtime().strftime("%Y%m%d")
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="dashboard-{stamp}.xlsx"'
        return response
    all_procedures = visible_procedures(request.user)
    all_regions = list(visible_regions(request.user)
                       .filter(level__in=[Level.TOWNSHIP, Level.VILLAGE]).order_by("path"))
    export_query = urlencode({k: v for k, v in {
        "procedure": board.chosen_procedure,
        "region": board.chosen_region.pk if board.chosen_region else "",
        "format": "xlsx"}.items() if v})
    return render(request, "pages/dashboard.html", {
        "title": "事项办理看板",
        "board": board,
        "total": board.total(),
        "procedure_rows": board.procedure_rows(),
        "region_rows": board.region_rows(),
        "columns": COLUMNS,
        "all_procedures": all_procedures,
        "all_regions": all_regions,
        "heading": _heading(request.user),
        "export_query": export_query,
        "case_list_url": CASE_LIST_URL,
    })
