"""07(3) the community-correction roster and what is done with each person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.idcard import mask_id
from core.models import Region
from safety.choices import CorrectionActivityKind, CorrectionState, TerminationReason


class CorrectionPerson(models.Model):
    """One line of the correction roster (社区矫正对象花名册)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("办理记录"),
                                on_delete=models.PROTECT, related_name="correction")
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    residence = models.TextField(_("居所情况"))
    village_opinion = models.TextField(_("村(社区)意见"))
    state = models.CharField(_("状态"), max_length=16, choices=CorrectionState.choices,
                             default=CorrectionState.INVESTIGATED)
    term = models.CharField(_("矫正期限"), max_length=40, blank=True)
    start = models.DateField(_("矫正起始日"), null=True, blank=True)
    end = models.DateField(_("矫正终止日"), null=True, blank=True)
    group = models.TextField(_("矫正小组成员"), blank=True)
    released_on = models.DateField(_("解除矫正日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止矫正日期"), null=True, blank=True)
    termination_reason = models.CharField(_("终止矫正原因"), max_length=16, blank=True,
                                          choices=TerminationReason.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("社区矫正对象花名册")
        verbose_name_plural = _("社区矫正对象花名册")
        ordering = ["region", "start", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


class CorrectionActivity(models.Model):
    """A check-in, visit, welfare activity, education or assessment of one person."""

    person = models.ForeignKey(CorrectionPerson, verbose_name=_("矫正对象"),
                               on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("类别"), max_length=16, choices=CorrectionActivityKind.choices)
    on = models.DateField(_("日期"))
    detail = models.CharField(_("方式或结果"), max_length=100, blank=True)
    note = models.TextField(_("情况"), blank=True)
    recorded_by = models.CharField(_("记录人"), max_length=64)
    recorded_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("矫正对象管理记录")
        verbose_name_plural = _("矫正对象管理记录")
        ordering = ["person", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.on}"
