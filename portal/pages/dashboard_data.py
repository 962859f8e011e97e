"""The counts of the oversight dashboard (``portal.pages.dashboard``) and its cells.

A bureau sees, district-wide, the procedures it guides; the organisation
department and the district leadership see all; a township sees its own
villages. Everything is counted with a handful of grouped queries over the
places and procedures the user oversees: the number of queries does not grow
with the number of cases, villages or procedures, and the counts of all cases
come from the tallies the gate keeps (``workflows.tallies``), not from the cases.

Every number links to the case list (``workflows.filters.CaseFilter``) filtered to
exactly the cases it counts; the rates (overdue, on time) sit next to the counts they
are made of.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.roles import Level
from core.scope import access_region, visible_regions
from workflows.choices import CaseState, NoticeState, TaskState
from workflows.filters import procedure_options
from workflows.models import CaseMonthTally, CaseTally, PublicityNotice, Task
from workflows.spec import ProcedureSpec
from workflows.visibility import case_q

CASE_LIST_URL = "/cases/"
TREND_MONTHS = 12
# how long the months before this one are kept (``kept``)
KEPT_SECONDS = 60


@dataclass(slots=True)  # slots: a district's board makes some 10,000 of these
class Counts:
    open: int = 0
    closed: int = 0
    withdrawn: int = 0
    overdue: int = 0
    publicity: int = 0
    # steps done that had a due time; of them, done by it; cases with a step done late
    steps_due: int = 0
    steps_on_time: int = 0
    late_cases: int = 0

    @property
    def total(self) -> int:
        return self.open + self.closed + self.withdrawn

    @property
    def overdue_rate(self) -> float | None:
        """Open cases past the due time of their step, of the open cases."""
        return self.overdue / self.open if self.open else None

    @property
    def on_time_rate(self) -> float | None:
        """Steps done by their due time, of the steps done that had one."""
        return self.steps_on_time / self.steps_due if self.steps_due else None

    def add(self, other: Counts) -> None:
        # spelt out: a district adds some 16,000 of these per view
        self.open += other.open
        self.closed += other.closed
        self.withdrawn += other.withdrawn
        self.overdue += other.overdue
        self.publicity += other.publicity
        self.steps_due += other.steps_due
        self.steps_on_time += other.steps_on_time
        self.late_cases += other.late_cases


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


@dataclass(slots=True)
class Cell:
    value: int
    url: str
    css: str = ""

    def td(self) -> str:
        """The cell as HTML (built here, not in the template: a district has 300 rows)."""
        words = set(self.css.split())
        css = " ".join(["n", *(["opt"] if "opt" in words else []),
                        *(["late"] if "late" in words and self.value else [])])
        # f-strings, not format_html: some 14,000 cells a view; the class is ours, the
        # value an int, and only the link is escaped
        if not self.value:
            return f'<td class="{css}"><span class="zero">0</span></td>'
        if self.url:
            return f'<td class="{css}"><a href="{escape(self.url)}">{int(self.value)}</a></td>'
        return f'<td class="{css}">{int(self.value)}</td>'


NO_RATE = mark_safe('<td class="n rate"><span class="zero">—</span></td>')


@dataclass
class RateCell:
    """A rate next to the counts it is made of (no link: the counts beside it have one)."""

    rate: float | None
    part: int
    whole: int
    bad: bool  # whether a high rate is bad (overdue) or good (on time)
    hint: str

    def td(self) -> str:
        if self.rate is None:
            return NO_RATE
        worse = self.rate > 0 if self.bad else self.rate < 1
        return format_html('<td class="n rate{}" title="{}"><span class="meter" style="--r:{}">'
                           "</span>{}</td>", " late" if worse else "",
                           self.hint.format(part=self.part, whole=self.whole),
                           f"{self.rate:.3f}", percent(self.rate))


def case_list_url(params: dict[str, Any], **extra: Any) -> str:
    if params.keys() & extra.keys():
        query = {k: v for k, v in {**params, **extra}.items() if v not in (None, "")}
        return f"{CASE_LIST_URL}?{urlencode(query)}" if query else CASE_LIST_URL
    # a row's own parameters and a cell's few are each encoded once (a district's board
    # has some 12,000 links): joined, they are the query urlencode would give of both
    parts = [p for p in (_encoded(tuple(params.items())), _encoded(tuple(extra.items()))) if p]
    return f"{CASE_LIST_URL}?{'&'.join(parts)}" if parts else CASE_LIST_URL


@lru_cache(maxsize=2048)
def _encoded(items: tuple[tuple[str, Any], ...]) -> str:
    return urlencode([(k, v) for k, v in items if v not in (None, "")])


def _tds(cells: list[Any]) -> SafeString:
    return mark_safe("".join(cell.td() for cell in cells))  # noqa: S308 (format_html above)


@dataclass
class Row:
    label: str
    level: str  # "township", "village", "procedure" or "total"
    counts: Counts
    params: dict[str, Any] = field(default_factory=dict)
    sub: str = ""  # the procedure's code, the village's township

    def tds(self) -> SafeString:
        return _tds(self.cells())

    def cells(self) -> list[Cell]:
        c = self.counts
        return [
            Cell(c.open, self.url(state=CaseState.OPEN)),
            Cell(c.overdue, self.url(state=CaseState.OPEN, overdue=1), "late"),
            Cell(c.publicity, self.url(publicity=1)),
            Cell(c.closed, self.url(state=CaseState.CLOSED)),
            Cell(c.withdrawn, self.url(state=CaseState.WITHDRAWN), "opt"),
            Cell(c.total, self.url()),
        ]

    def rank_tds(self) -> SafeString:
        """The ranking's cells: cases, open, overdue and its rate, on-time rate, late."""
        c = self.counts
        return _tds([
            Cell(c.total, self.url()),
            Cell(c.open, self.url(state=CaseState.OPEN)),
            Cell(c.overdue, self.url(state=CaseState.OPEN, overdue=1), "late"),
            RateCell(c.overdue_rate, c.overdue, c.open, True,
                     str(_("办理中 {whole} 件,逾期 {part} 件"))),
            RateCell(c.on_time_rate, c.steps_on_time, c.steps_due, False,
                     str(_("有时限的环节 {whole} 个,按时办完 {part} 个"))),
            Cell(c.late_cases, self.url(late=1), "late opt"),
            Cell(c.closed, self.url(state=CaseState.CLOSED), "opt"),
        ])

    def url(self, **extra: Any) -> str:
        return case_list_url(self.params, **extra)


def columns() -> list[tuple[str, str]]:
    """The heads of the tables by place and by procedure (in the reader's language)."""
    return [(str(_("办理中")), ""), (str(_("逾期")), ""), (str(_("公示中")), ""),
            (str(_("已办结")), ""), (str(_("已撤回")), "opt"), (str(_("合计")), "")]


def rank_columns() -> list[tuple[str, str, str]]:
    """The heads of the ranking of villages: (head, what it counts, css)."""
    return [
        (str(_("事项数")), str(_("统计范围内发起的全部事项")), ""),
        (str(_("办理中")), "", ""),
        (str(_("逾期")), str(_("办理中、当前环节已超过办理时限的事项")), ""),
        (str(_("逾期率")), str(_("逾期件数 ÷ 办理中件数")), ""),
        (str(_("按时办理率")), str(_("按时办完的环节 ÷ 有办理时限且已办完的环节")), ""),
        (str(_("超时办理")), str(_("有环节超过时限才办完的事项")), "opt"),
        (str(_("已办结")), "", "opt"),
    ]


def month_label(year: int, month: int) -> str:
    """A month in the reader's language (Django's own formats: 2026年11月, November 2026)."""
    return date_format(dt.date(year, month, 1), "YEAR_MONTH_FORMAT")


def _months(now: dt.datetime) -> list[tuple[int, int]]:
    local = timezone.localtime(now)
    year, month = local.year, local.month
    out = []
    for _n in range(TREND_MONTHS):
        out.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


@dataclass
class TrendRow:
    """One procedure's cases opened and closed per month, each number a link."""

    code: str
    name: str
    opened: list[Cell]
    closed: list[Cell]

    def opened_tds(self) -> SafeString:
        return _tds(self.opened)

    def closed_tds(self) -> SafeString:
        return _tds(self.closed)


@dataclass
class Dashboard:
    procedures: list[ProcedureSpec]
    regions: list[Region]
    by_key: dict[tuple[int, str], Counts]
    # (procedure, (year, month)) -> (opened, closed)
    by_month: dict[tuple[str, tuple[int, int]], tuple[int, int]]
    months: list[tuple[int, int]]
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
        for counts in by_procedure.values():
            total.add(counts)
        return by_village, by_procedure, total

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.procedures]

    @property
    def base_params(self) -> dict[str, Any]:
        """The drill-down's parameters of the board's own choice (procedure, place)."""
        return {"procedure": self.chosen_procedure or None,
                "region": self.chosen_region.pk if self.chosen_region else None}

    def villages(self) -> list[Region]:
        return [r for r in self.regions if r.level == Level.VILLAGE]

    def townships(self) -> dict[int, Region]:
        return {r.pk: r for r in self.regions if r.level == Level.TOWNSHIP}

    def procedure_rows(self) -> list[Row]:
        by_procedure = self._sums[1]
        region = self.chosen_region.pk if self.chosen_region else None
        return [
            Row(spec.name, "procedure", by_procedure.get(spec.code, Counts()),
                {"procedure": spec.code, "region": region}, sub=spec.code)
            for spec in self.procedures
        ]

    def region_rows(self) -> list[Row]:
        """Each township, then its villages, in the order of the tree."""
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

    def township_rows(self) -> list[Row]:
        return [r for r in self.region_rows() if r.level == "township"]

    def ranking(self) -> list[Row]:
        """Every village in scope (none left out for having no case), the worst first:
        the highest overdue rate, then the lowest on-time rate, then the most open."""
        by_village = self._sums[0]
        townships = self.townships()
        proc = self.chosen_procedure or None
        rows = [Row(v.name, "village", by_village.get(v.pk, Counts()),
                    {"procedure": proc, "region": v.pk},
                    sub=townships[v.parent_id].name if v.parent_id in townships else "")
                for v in self.villages()]

        def worst_first(row: Row) -> tuple[float, float, int]:
            c = row.counts
            on_time = c.on_time_rate
            return (-(c.overdue_rate or 0.0), 1.0 if on_time is None else on_time, -c.open)

        return sorted(rows, key=worst_first)  # stable: the tree's order among equals

    def total(self) -> Counts:
        return self._sums[2]

    def month_labels(self) -> list[str]:
        return [month_label(y, m) for y, m in self.months]

    def _series(self, codes: list[str]) -> tuple[list[int], list[int]]:
        opened = [sum(self.by_month.get((c, ym), (0, 0))[0] for c in codes) for ym in self.months]
        closed = [sum(self.by_month.get((c, ym), (0, 0))[1] for c in codes) for ym in self.months]
        return opened, closed

    @property
    def trend(self) -> dict[str, Any]:
        """The chart's data: the months, all procedures summed, and each procedure."""
        opened, closed = self._series(self.codes)
        return {
            "labels": self.month_labels(),
            "short": [f"{y}-{m:02d}" for y, m in self.months],  # the axis of a small chart
            "opened": opened,
            "closed": closed,
            "procedures": [
                {"code": spec.code, "name": spec.name,
                 **dict(zip(("opened", "closed"), self._series([spec.code]), strict=True))}
                for spec in self.procedures],
        }

    def table_months(self) -> list[str]:
        """The trend table's heads: the newest month first, where a reader starts."""
        return list(reversed(self.month_labels()))

    def trend_rows(self) -> list[TrendRow]:
        """Each procedure's months (newest first), every number linked to the cases opened
        or closed then."""
        region = self.chosen_region.pk if self.chosen_region else None
        rows = []
        for spec in self.procedures:
            params = {"procedure": spec.code, "region": region}
            opened, closed = (list(reversed(s)) for s in self._series([spec.code]))
            keys = [f"{y:04d}-{m:02d}" for y, m in reversed(self.months)]
            rows.append(TrendRow(
                spec.code, spec.name,
                [Cell(n, case_list_url(params, opened_month=k)) for n, k in zip(opened, keys,
                                                                                 strict=True)],
                [Cell(n, case_list_url(params, closed_month=k)) for n, k in zip(closed, keys,
                                                                                 strict=True)]))
        return rows


def kept(rows: QuerySet[Any], what: str) -> list[tuple[Any, ...]]:
    """The rows of a grouped count over history, kept for KEPT_SECONDS under the query
    itself: the same places, procedures and months give the same key, another scope is
    another query and never this one's answer. What changed within that time shows when
    it expires; the live counts (open tasks past their time, publicity running) are never
    kept."""
    sql, params = rows.query.sql_with_params()
    key = f"dashboard-{what}:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
    now = timezone.now()
    # the age is judged by the portal's clock, not by the cache's own expiry (Redis counts
    # its TTL on the server): the entry carries the moment it was counted
    found = cache.get(key)
    if found is not None:
        counted, kept_rows = found
        if dt.timedelta(0) <= now - counted <= dt.timedelta(seconds=KEPT_SECONDS):
            return list(kept_rows)
    kept_rows = [tuple(r) for r in rows]
    cache.set(key, (now, kept_rows), KEPT_SECONDS)
    return list(kept_rows)


def month_totals(months_qs: QuerySet[CaseMonthTally], first: dt.date,
                 current: dt.date) -> list[tuple[Any, ...]]:
    """(procedure, month, opened, closed) since ``first``, summed over the places: the
    months before ``current`` are a district's 100,000 monthly rows that no longer change
    but by a late correction, so they are ``kept``; the current month is counted live (a
    case closed now shows in its month at once)."""
    def grouped(qs: QuerySet[CaseMonthTally]) -> QuerySet[Any]:
        return (qs.order_by().values("procedure", "month").annotate(o=Sum("opened"),
                                                                    c=Sum("closed"))
                .values_list("procedure", "month", "o", "c"))

    past = kept(grouped(months_qs.filter(month__gte=first, month__lt=current)), "months")
    return past + [tuple(r) for r in grouped(months_qs.filter(month__gte=current))]


def build_dashboard(user: Any, *, procedure: str = "", region_id: str = "") -> Dashboard:
    """Counts by village, procedure and state, overdue, publicity running, steps on time,
    and the monthly trend of each procedure.

    Opened, closed and withdrawn come from the tallies that the gate keeps
    (``workflows.tallies``), and so do the steps done in time; overdue and publicity
    running are counted live; the months before this one are kept a minute (``kept``). All are
    counted over the places and procedures the user oversees (a case granted to the user
    singly is not part of the statistics).
    """
    procedures = procedure_options(user)
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
    months_qs = CaseMonthTally.objects.filter(scope, procedure__in=codes)
    # Overdue and publicity are counted live over a small slice: the open tasks past
    # their time and the running notices (partial indexes that carry the village and the
    # procedure copied from the case), scoped by the same rule as the tallies.
    now = timezone.now()
    by_village = case_q(user, grants=False, region="village_id")
    late = (Task.objects.filter(state=TaskState.OPEN, due_at__lt=now, procedure__in=codes)
            .filter(by_village))
    running = (PublicityNotice.objects.filter(state=NoticeState.RUNNING, procedure__in=codes)
               .filter(case_q(user, grants=False)))
    if chosen is not None:
        under = Region.objects.filter(path__startswith=chosen.path).values("pk")
        tallies = tallies.filter(region_id__in=under)
        months_qs = months_qs.filter(region_id__in=under)
        late = late.filter(village_id__in=under)
        running = running.filter(region_id__in=under)
        regions_qs = regions_qs.filter(
            Q(path__startswith=chosen.path) | Q(pk__in=chosen.ancestor_ids))
    regions = list(regions_qs.order_by("path"))
    by_key: dict[tuple[int, str], Counts] = defaultdict(Counts)
    for (region_pk, code, n_opened, n_closed, n_withdrawn, n_due, n_on_time,
         n_late) in tallies.values_list("region_id", "procedure", "opened", "closed",
                                        "withdrawn", "steps_due", "steps_on_time",
                                        "late_cases"):
        counts = by_key[(region_pk, code)]
        counts.closed, counts.withdrawn = n_closed, n_withdrawn
        counts.open = max(n_opened - n_closed - n_withdrawn, 0)
        counts.steps_due, counts.steps_on_time, counts.late_cases = n_due, n_on_time, n_late
    for village_pk, code, n in (late.order_by().values("village_id", "procedure")
                                .annotate(n=Count("case_id", distinct=True))
                                .values_list("village_id", "procedure", "n")):
        by_key[(village_pk, code)].overdue = n
    for village_pk, code, n in (running.order_by().values("region_id", "procedure")
                                .annotate(n=Count("case_id", distinct=True))
                                .values_list("region_id", "procedure", "n")):
        by_key[(village_pk, code)].publicity = n
    months = _months(now)
    first = dt.date(months[0][0], months[0][1], 1)
    by_month = {(code, (m.year, m.month)): (o or 0, c or 0)
                for code, m, o, c in month_totals(months_qs, first,
                                                  dt.date(months[-1][0], months[-1][1], 1))}
    return Dashboard(procedures=procedures, regions=regions, by_key=dict(by_key),
                     by_month=by_month, months=months, chosen_procedure=procedure,
                     chosen_region=chosen)
