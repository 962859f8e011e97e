"""The township's yearly analysis of its activist pool (入党积极分子队伍状况分析)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from core.roles import Level


class PoolAnalysis(models.Model):
    """镇(街道)党(工)委每年对入党积极分子队伍状况作一次分析: one a township and year, with the
    figures of the pool the day it was recorded and what the committee found and will do."""

    township = models.ForeignKey(Region, verbose_name=_("镇(街道)"), on_delete=models.PROTECT,
                                 related_name="+", limit_choices_to={"level": Level.TOWNSHIP})
    year = models.PositiveIntegerField(_("年度"))
    analysed_on = models.DateField(_("分析日期"))
    activists = models.PositiveIntegerField(_("现有入党积极分子"))
    overdue = models.PositiveIntegerField(_("汇报或考察逾期"))
    findings = models.TextField(_("队伍状况分析"))
    measures = models.TextField(_("针对存在问题的改进措施"))
    recorded_by = models.CharField(_("登记人"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("入党积极分子队伍状况年度分析")
        verbose_name_plural = _("入党积极分子队伍状况年度分析")
        ordering = ["township", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="one_pool_analysis_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.year}年度入党积极分子队伍状况分析"
