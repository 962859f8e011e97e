"""07(1) the dispute ledger and its mediation records; 07(2) the petition register."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.idcard import mask_id
from core.models import Region
from safety.choices import (
    Acceptance,
    DisputeKind,
    DisputeSource,
    DisputeState,
    Gravity,
    MediationMeans,
    PetitionChannel,
    PetitionState,
)


class Dispute(models.Model):
    """One line of the dispute ledger (矛盾纠纷台账), written by the gate."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("办理记录"),
                                on_delete=models.PROTECT, related_name="dispute")
    number = models.PositiveIntegerField(_("登记序号"))
    registered_at = models.DateTimeField(_("登记时间"))
    received_on = models.DateField(_("受理日期"))
    parties = models.TextField(_("当事人"))
    kind = models.CharField(_("纠纷类别"), max_length=16, choices=DisputeKind.choices)
    source = models.CharField(_("纠纷来源"), max_length=16, choices=DisputeSource.choices)
    gravity = models.CharField(_("纠纷性质"), max_length=16, choices=Gravity.choices)
    summary = models.TextField(_("纠纷概要"))
    state = models.CharField(_("状态"), max_length=16, choices=DisputeState.choices,
                             default=DisputeState.REGISTERED)
    reported_at = models.DateTimeField(_("上报镇(街道)时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("镇(街道)确认时间"), null=True, blank=True)
    result = models.CharField(_("调解结果"), max_length=200, blank=True)
    concluded_at = models.DateTimeField(_("调解结束时间"), null=True, blank=True)
    visited_on = models.DateField(_("回访日期"), null=True, blank=True)
    visited_by = models.CharField(_("回访人"), max_length=64, blank=True)
    satisfied = models.BooleanField(_("当事人满意"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("矛盾纠纷台账")
        verbose_name_plural = _("矛盾纠纷台账")
        ordering = ["region", "number"]
        constraints = [models.UniqueConstraint(fields=["region", "number"],
                                               name="dispute_number_unique")]

    def __str__(self) -> str:
        return f"纠纷第{self.number}号"


class MediationRecord(models.Model):
    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.PROTECT,
                                related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    means = models.CharField(_("调解方式"), max_length=16, choices=MediationMeans.choices)
    content = models.TextField(_("调解情况"))
    mediator = models.CharField(_("调解人"), max_length=64)
    recorded_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["dispute", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute} {self.held_on}"


class Petition(models.Model):
    """One line of the petition register (信访登记簿), numbered 信访-YYYY-NNNN per village."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("办理记录"),
                                on_delete=models.PROTECT, related_name="petition")
    year = models.PositiveIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("年度序号"))
    number = models.CharField(_("信访编号"), max_length=20)
    received_on = models.DateField(_("收到日期"))
    registered_at = models.DateTimeField(_("登记时间"))
    channel = models.CharField(_("信访形式"), max_length=16, choices=PetitionChannel.choices)
    petitioner = models.CharField(_("信访人"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    content = models.TextField(_("信访事项"))
    state = models.CharField(_("状态"), max_length=16, choices=PetitionState.choices,
                             default=PetitionState.REGISTERED)
    acceptance = models.CharField(_("受理情况"), max_length=16, choices=Acceptance.choices,
                                  blank=True)
    told_on = models.DateField(_("告知日期"), null=True, blank=True)
    competent_body = models.CharField(_("告知向其提出的有权处理机关"), max_length=100, blank=True)
    handling_started_on = models.DateField(_("开始办理日期"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    extension_days = models.PositiveIntegerField(_("延长天数"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    opinion = models.TextField(_("处理意见"), blank=True)
    review_requested_on = models.DateField(_("请求复查日期"), null=True, blank=True)
    review_opinion = models.TextField(_("复查意见"), blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信访登记簿")
        verbose_name_plural = _("信访登记簿")
        ordering = ["region", "year", "seq"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "seq"],
                                               name="petition_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)
