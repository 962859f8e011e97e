"""08 grids, their workers, and the grid incident log.

Grids and grid workers are rosters: an entry is ended (a date and a reason), never deleted,
and every change is kept (django-simple-history), so each can say who served which grid on
any day. A worker may or may not have an account on the portal (``user``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from core.roles import Level
from safety.choices import (
    Gravity,
    GridEnd,
    GridWorkerEnd,
    GridWorkerKind,
    IncidentKind,
    IncidentState,
)


def _on_between(start: dt.date | None, ended_on: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (ended_on is None or day < ended_on)


class GridQuerySet(models.QuerySet["Grid"]):
    def of(self, village: Region) -> GridQuerySet:
        return self.filter(region=village).order_by("name", "pk")

    def on_day(self, village: Region, day: dt.date) -> list[Grid]:
        """The grids of the village on ``day``."""
        return [g for g in self.of(village) if g.on_roster(day)]


class Grid(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="grids", limit_choices_to={"level": Level.VILLAGE})
    name = models.CharField(_("网格名称"), max_length=64)
    households = models.PositiveIntegerField(_("户数"), default=0)
    area = models.CharField(_("网格范围"), max_length=200, blank=True)
    set_up_on = models.DateField(_("划定日期"), null=True, blank=True)
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)
    end_reason = models.CharField(_("撤销原因"), max_length=16, choices=GridEnd.choices,
                                  blank=True)

    objects = GridQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"],
                                               condition=Q(ended_on__isnull=True),
                                               name="grid_name_unique")]

    def __str__(self) -> str:
        return self.name

    def on_roster(self, day: dt.date) -> bool:
        return _on_between(self.set_up_on, self.ended_on, day)


class GridWorkerQuerySet(models.QuerySet["GridWorker"]):
    def of(self, village: Region) -> GridWorkerQuerySet:
        return (self.filter(region=village).select_related("grid", "user")
                .order_by("grid__name", "kind", "name", "pk"))

    def on_day(self, village: Region, day: dt.date) -> list[GridWorker]:
        """The grid workers serving on ``day`` (a grid ended by then ends its workers)."""
        return [w for w in self.of(village) if w.on_roster(day) and w.grid.on_roster(day)]


class GridWorker(models.Model):
    """A grid worker (网格员) serving one grid from a day: full-time or part-time."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="grid_workers",
                               limit_choices_to={"level": Level.VILLAGE})
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT,
                             related_name="workers")
    name = models.CharField(_("姓名"), max_length=32)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=GridWorkerKind.choices,
                            default=GridWorkerKind.FULL_TIME)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("平台账号"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="grid_work")
    started_on = models.DateField(_("上岗日期"), null=True, blank=True)
    ended_on = models.DateField(_("离岗日期"), null=True, blank=True)
    end_reason = models.CharField(_("离岗原因"), max_length=16, choices=GridWorkerEnd.choices,
                                  blank=True)

    objects = GridWorkerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格员")
        verbose_name_plural = _("网格员名册")
        ordering = ["region", "grid", "name"]

    def __str__(self) -> str:
        return self.name

    def on_roster(self, day: dt.date) -> bool:
        return _on_between(self.started_on, self.ended_on, day)


class GridIncident(models.Model):
    """One line of the grid incident log (网格事件登记簿)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("workflows.Case", verbose_name=_("排查轮次"),
                             on_delete=models.PROTECT, related_name="grid_incidents")
    number = models.PositiveIntegerField(_("登记序号"))
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT,
                             related_name="incidents")
    kind = models.CharField(_("类别"), max_length=16, choices=IncidentKind.choices)
    gravity = models.CharField(_("等级"), max_length=16, choices=Gravity.choices)
    found_at = models.DateTimeField(_("发现时间"))
    description = models.TextField(_("情况"))
    state = models.CharField(_("处置状态"), max_length=16, choices=IncidentState.choices)
    handling = models.TextField(_("处置情况"), blank=True)
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    reported_to = models.CharField(_("上报单位"), max_length=100, blank=True)
    recorded_by = models.CharField(_("登记人"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格事件登记簿")
        verbose_name_plural = _("网格事件登记簿")
        ordering = ["region", "number"]
        constraints = [models.UniqueConstraint(fields=["region", "number"],
                                               name="grid_incident_number_unique")]

    def __str__(self) -> str:
        return f"网格事件第{self.number}号"
