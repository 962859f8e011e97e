"""08 grids, their workers, and the grid incident log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from core.roles import Level
from safety.choices import Gravity, IncidentKind, IncidentState


class Grid(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="grids", limit_choices_to={"level": Level.VILLAGE})
    name = models.CharField(_("网格名称"), max_length=64)
    households = models.PositiveIntegerField(_("户数"), default=0)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("网格员"),
                                     related_name="grids", blank=True)

    history = HistoricalRecords(m2m_fields=[workers])

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"],
                                               name="grid_name_unique")]

    def __str__(self) -> str:
        return self.name


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
