"""The village's three seals, each with a named keeper, and the seal register (用印登记)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Membership, Region
from core.roles import Level, Role
from seals.choices import SealEnd, SealKind


class SealQuerySet(models.QuerySet["Seal"]):
    def of(self, village: Region) -> SealQuerySet:
        return self.filter(region=village).select_related("keeper").order_by("kind", "pk")

    def on_day(self, village: Region, day: dt.date) -> list[Seal]:
        """The seals in use in the village on ``day`` (who kept each then: ``history``)."""
        return [s for s in self.of(village) if s.on_roster(day)]


class Seal(models.Model):
    """A seal of the village with its keeper; a change of keeper is a line of its history,
    a seal taken out of use is ended (缴销), never deleted."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="seals", limit_choices_to={"level": Level.VILLAGE})
    kind = models.CharField(_("印章类别"), max_length=16, choices=SealKind.choices)
    name = models.CharField(_("印章名称"), max_length=100)
    keeper = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("保管人"),
                               on_delete=models.PROTECT, related_name="kept_seals")
    started_on = models.DateField(_("启用日期"), null=True, blank=True)
    ended_on = models.DateField(_("停用日期"), null=True, blank=True)
    end_reason = models.CharField(_("停用原因"), max_length=16, choices=SealEnd.choices,
                                  blank=True)

    objects = SealQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("印章")
        verbose_name_plural = _("印章")
        constraints = [models.UniqueConstraint(fields=["region", "kind"],
                                               condition=Q(ended_on__isnull=True),
                                               name="one_seal_per_kind")]

    def __str__(self) -> str:
        return self.name

    def on_roster(self, day: dt.date) -> bool:
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or day < self.ended_on)

    def clean(self) -> None:
        if self.region_id and self.keeper_id and not (
            Membership.objects.active()
            .filter(user_id=self.keeper_id, region_id=self.region_id, role=Role.SEAL_KEEPER)
            .exists()
        ):
            raise ValidationError({"keeper": _("保管人须是本村(社区)在任的印章保管人。")})


class SealUse(models.Model):
    """One numbered line of the seal register, written by the gate when the seal is applied."""

    seal = models.ForeignKey(Seal, verbose_name=_("印章"), on_delete=models.PROTECT,
                             related_name="uses")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("登记序号"))
    case = models.OneToOneField("workflows.Case", verbose_name=_("用印申请"),
                                on_delete=models.PROTECT, related_name="seal_use")
    used_at = models.DateTimeField(_("用印日期"))
    purpose = models.CharField(_("事由"), max_length=200)
    document = models.CharField(_("文件"), max_length=200)
    document_sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    copies = models.PositiveIntegerField(_("份数"))
    matter = models.CharField(_("事项类别"), max_length=16)
    applicant = models.CharField(_("申请人"), max_length=64)
    approver = models.CharField(_("批准人"), max_length=64)
    keeper = models.CharField(_("经办人(保管人)"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用印登记")
        verbose_name_plural = _("用印登记")
        ordering = ["seal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["seal", "number"], name="seal_use_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.seal} 第{self.number}号"
