"""The village rules (村规民约) of each village, one row per filed version."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from core.roles import Level


class VillageRulesQuerySet(models.QuerySet["VillageRules"]):
    def of(self, village: Region) -> VillageRulesQuerySet:
        return self.filter(region=village).order_by("-version")

    def current(self, village: Region) -> VillageRules | None:
        """The newest filed version: the rules in force."""
        return self.of(village).first()


class VillageRules(models.Model):
    """A version of a village's rules, written by the gate when the district files it."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="village_rules",
                               limit_choices_to={"level": Level.VILLAGE})
    version = models.PositiveIntegerField(_("版本号"))
    text = models.TextField(_("村规民约全文"))
    adopted_on = models.DateField(_("表决通过日期"))
    adopted_by = models.CharField(_("表决机构"), max_length=40)
    filed_on = models.DateField(_("备案日期"))
    filing_number = models.CharField(_("备案文号"), max_length=100, blank=True)
    case = models.OneToOneField("workflows.Case", verbose_name=_("修订事项"),
                                on_delete=models.PROTECT, related_name="village_rules")

    objects = VillageRulesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("村规民约版本")
        verbose_name_plural = _("村规民约版本")
        ordering = ["region", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"],
                                    name="village_rules_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name}村规民约(第{self.version}版)"
