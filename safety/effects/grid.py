"""08 effects: incidents found in a screening round, what is reported up and when, and the
coverage of every grid of the village's grid roster (``ref="grid"``) before the round is
finished."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.listing import listed
from core.models import Region
from safety.choices import Gravity, IncidentState
from safety.effects.common import InForce, name_of
from safety.models import Grid, GridIncident
from safety.rules import GRID_CODE, GRID_REPORT_HOURS
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.fields import FieldErrors
from workflows.messages import Quantity, Text


def _grid(region: Region, value: Any, field: str) -> Grid:
    """The grid of the village's roster a ``ref="grid"`` value names (still on the roster:
    it may have been ended since the form was drawn)."""
    raw = value.get("id") if isinstance(value, Mapping) else value
    text = str(raw if raw is not None else "").strip()
    grid = (Grid.objects.filter(region=region, pk=int(text)).first()
            if text.isdigit() else None)
    if grid is None or not grid.on_roster(dates.today()):
        raise RuleError("unknown_grid", _("该网格不在本村(社区)的网格名册中(或已撤销)。"),
                        field=field)
    return grid


def _check_incident(ctx: EffectContext) -> None:
    # the time found may not lie in the future: the field's bound (max=TODAY)
    ctx.scratch["grid"] = _grid(ctx.case.region, ctx.data["grid"], "grid")


def _write_incident(ctx: EffectContext) -> None:
    region = ctx.case.region
    last = GridIncident.objects.filter(region=region).aggregate(m=Max("number"))["m"]
    handled = bool(ctx.data.get("handled"))
    GridIncident.objects.create(
        region=region, case=ctx.case, number=(last or 0) + 1, grid=ctx.scratch["grid"],
        kind=ctx.data["kind"], gravity=ctx.data["gravity"], found_at=ctx.data["found_at"],
        description=ctx.data["description"], handling=ctx.data.get("handling", ""),
        state=IncidentState.HANDLED if handled else IncidentState.PENDING,
        recorded_by=name_of(ctx.actor),
    )


RECORD_INCIDENT = effect("safety.record_grid_incident", check=_check_incident,
                         apply=_write_incident)


def _check_report(ctx: EffectContext) -> None:
    number: int = ctx.data["number"]
    incident = (GridIncident.objects.select_for_update()
                .filter(region=ctx.case.region, case=ctx.case, number=number).first())
    if incident is None:
        raise RuleError("unknown_incident", _("本轮排查没有第%(number)s号事件。")
                                            % {"number": number}, field="number")
    if incident.reported_at is not None:
        raise RuleError("already_reported",
                        _("第%(number)s号事件已于%(moment)s上报。")
                        % {"number": number, "moment": dates.local_moment(incident.reported_at)},
                        field="number")
    dates.not_before(ctx.data["reported_at"], incident.found_at, field="reported_at",
                     label=_("上报时间"), start_label=_("发现时间"))
    ctx.scratch["incident"] = incident


def _report(ctx: EffectContext) -> None:
    incident: GridIncident = ctx.scratch["incident"]
    reported: dt.datetime = ctx.data["reported_at"]
    incident.reported_at = reported
    incident.reported_to = ctx.data["reported_to"]
    incident.state = IncidentState.REPORTED
    incident.save(update_fields=["reported_at", "reported_to", "state"])
    limit = int(ctx.param(GRID_REPORT_HOURS))
    if reported - incident.found_at > dt.timedelta(hours=limit):
        raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("{place}网格事件第{number}号{found}发现,{reported}"
                                              "才上报,超过{limit}的上报时限"),
                                 place=ctx.case.region.name, number=incident.number,
                                 found=incident.found_at, reported=reported,
                                 limit=Quantity(limit, "hours")),
                    key=f"grid-late:{incident.pk}")


REPORT_INCIDENT = effect("safety.report_grid_incident", check=_check_report, apply=_report)


def _check_round_finished(ctx: EffectContext) -> None:
    """Every grid on the village's roster covered (one row each, with the households
    visited, no more than the grid has), and every incident that could not be handled on
    the spot, and every major one, reported."""
    region = ctx.case.region
    covered: set[int] = set()
    errors: list[RuleError] = []
    for i, row in enumerate(ctx.data["coverage"]):
        try:
            grid = _grid(region, row["grid"], f"coverage[{i}].grid")
        except RuleError as err:
            errors.append(err)
            continue
        if grid.pk in covered:
            errors.append(RuleError("invalid_field", _("“%(grid)s”已登记过一行。")
                                                     % {"grid": grid.name},
                                    field=f"coverage[{i}].grid"))
        elif int(row["households"]) > grid.households:
            errors.append(RuleError("out_of_range",
                                    _("“%(grid)s”登记%(households)s户,入户户数不能多于此数。")
                                    % {"grid": grid.name, "households": grid.households},
                                    field=f"coverage[{i}].households"))
        covered.add(grid.pk)
    if errors:
        raise FieldErrors(errors) if len(errors) > 1 else errors[0]
    today = dates.today()
    missing = sorted(g.name for g in Grid.objects.filter(region=region)
                     if g.on_roster(today) and g.pk not in covered)
    if missing:
        raise RuleError("grid_not_covered", _("以下网格本轮未排查:%(items)s。")
                                            % {"items": listed(missing)},
                        field="coverage")
    open_ones = GridIncident.objects.filter(case=ctx.case, reported_at__isnull=True)
    major = list(open_ones.filter(gravity=Gravity.MAJOR).values_list("number", flat=True))
    if major:
        raise RuleError("major_not_reported",
                        _("重大事件须上报镇(街道):第%(items)s号尚未上报。")
                        % {"items": listed(map(str, major))})
    pending = list(open_ones.filter(state=IncidentState.PENDING)
                   .values_list("number", flat=True))
    if pending:
        raise RuleError("incident_unresolved",
                        _("无法就地处置的事件须上报:第%(items)s号尚未处置或上报。")
                        % {"items": listed(map(str, pending))})


FINISH_SCREENING = effect("safety.finish_grid_screening", check=_check_round_finished)


def grid_rows(region: Region) -> Iterable[Sequence[Any]]:
    """The grids of a village today with their households, workers and incidents found."""
    today = dates.today()
    qs = (Grid.objects.filter(region=region).prefetch_related("workers")
          .annotate(found=Count("incidents", distinct=True)).order_by("name"))
    for grid in qs:
        if not grid.on_roster(today):
            continue
        workers = "、".join(sorted(w.name for w in grid.workers.all() if w.on_roster(today)))
        yield (grid.name, grid.households, workers, grid.found)  # type: ignore[attr-defined]


def grid_incident_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = GridIncident.objects.filter(region=region).select_related("grid").order_by("number")
    for i in qs.iterator(2000):
        yield (i.number, i.grid.name, i.get_kind_display(), i.get_gravity_display(),
               timezone.localtime(i.found_at).strftime("%Y-%m-%d %H:%M"), i.description,
               i.get_state_display(),
               timezone.localtime(i.reported_at).strftime("%Y-%m-%d %H:%M")
               if i.reported_at else "", i.reported_to, i.recorded_by)


def check_unreported_grid_incidents(now: dt.datetime) -> int:
    """A major incident not reported within the limit raises an alert (漏报、迟报)."""
    limit_in_force = InForce(GRID_CODE, GRID_REPORT_HOURS)
    sent = 0
    qs = GridIncident.objects.filter(gravity=Gravity.MAJOR, reported_at__isnull=True)
    for incident in qs.select_related("region", "case"):
        limit = limit_in_force(incident.region)
        if now - incident.found_at <= dt.timedelta(hours=limit):
            continue
        alert = raise_alert(kind=AlertKind.LATE_REPORT, case=incident.case,
                            message=Text(gettext_noop("{place}网格重大事件第{number}号{found}"
                                                      "发现,超过{limit}仍未上报"),
                                         place=incident.region.name, number=incident.number,
                                         found=incident.found_at,
                                         limit=Quantity(limit, "hours")),
                            key=f"grid-unreported:{incident.pk}")
        sent += int(alert is not None)
    return sent
