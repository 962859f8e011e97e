"""09 the legal-education activity ledger."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from safety.choices import EducationActivityKind


class LegalEducationActivity(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("办理记录"),
                                on_delete=models.PROTECT, related_name="legal_education")
    kind = models.CharField(_("活动类别"), max_length=24, choices=EducationActivityKind.choices)
    topic = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("活动日期"))
    location = models.CharField(_("地点"), max_length=200)
    participants = models.PositiveIntegerField(_("参加人数"))
    participant_names = models.TextField(_("参加人员"), blank=True)
    content = models.TextField(_("活动内容"))
    photo = models.ForeignKey("workflows.Attachment", verbose_name=_("活动照片"),
                              on_delete=models.PROTECT, related_name="+")
    sign_in = models.ForeignKey("workflows.Attachment", verbose_name=_("签到表"),
                                on_delete=models.PROTECT, related_name="+")
    organiser = models.CharField(_("组织人"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法治宣传教育活动台账")
        verbose_name_plural = _("法治宣传教育活动台账")
        ordering = ["region", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"
