"""10 the emergency and fire incident log, the hazard ledger, the safety-production ledger."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from safety.choices import (
    Gravity,
    HazardSource,
    HazardState,
    IncidentCategory,
    IncidentStage,
    SafetyRecordKind,
)


class Incident(models.Model):
    """One line of the emergency / fire incident log (突发事件、火灾事故登记簿)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("办理记录"),
                                on_delete=models.PROTECT, related_name="incident")
    category = models.CharField(_("类别"), max_length=16, choices=IncidentCategory.choices)
    kind = models.CharField(_("事件类型"), max_length=40, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    registered_at = models.DateTimeField(_("登记时间"))
    location = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("情况"))
    plan_activated = models.BooleanField(_("已启动应急预案"), default=False)
    call_119_at = models.DateTimeField(_("拨打119时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("上报镇(街道)时间"), null=True, blank=True)
    reported_to = models.CharField(_("上报单位"), max_length=100, blank=True)
    late_report = models.BooleanField(_("迟报"), default=False)
    # the instructions received from the township (or above), each with who gave it and
    # when, as the village relayed them
    instructions = models.TextField(_("上级指示"), blank=True)
    stage = models.CharField(_("处置阶段"), max_length=16, choices=IncidentStage.choices,
                             default=IncidentStage.REGISTERED)
    response = models.TextField(_("应急响应、救援疏散情况"), blank=True)
    aftermath = models.TextField(_("善后处理、调查评估"), blank=True)
    people_counted = models.PositiveIntegerField(_("清点人数"), null=True, blank=True)
    injured = models.PositiveIntegerField(_("受伤人数"), null=True, blank=True)
    deaths = models.PositiveIntegerField(_("死亡人数"), null=True, blank=True)
    losses = models.CharField(_("损失情况"), max_length=200, blank=True)
    accountability = models.TextField(_("责任追究"), blank=True)
    lessons = models.TextField(_("教训总结"), blank=True)
    closed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("突发事件、火灾事故登记簿")
        verbose_name_plural = _("突发事件、火灾事故登记簿")
        ordering = ["region", "occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.location}"


class Hazard(models.Model):
    """One line of the hazard ledger (安全隐患台账)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("workflows.Case", verbose_name=_("排查轮次"),
                             on_delete=models.PROTECT, related_name="hazards")
    number = models.PositiveIntegerField(_("登记序号"))
    source = models.CharField(_("来源"), max_length=16, choices=HazardSource.choices)
    found_on = models.DateField(_("发现日期"))
    location = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("隐患情况"))
    gravity = models.CharField(_("等级"), max_length=16, choices=Gravity.choices)
    responsible = models.CharField(_("整改责任人"), max_length=64)
    rectify_by = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=16, choices=HazardState.choices,
                             default=HazardState.OPEN)
    measures = models.TextField(_("整改措施"), blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    reinspections = models.PositiveIntegerField(_("复查次数"), default=0)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    feedback = models.TextField(_("反馈情况"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全隐患台账")
        verbose_name_plural = _("安全隐患台账")
        ordering = ["region", "number"]
        constraints = [models.UniqueConstraint(fields=["region", "number"],
                                               name="hazard_number_unique")]

    def __str__(self) -> str:
        return f"隐患第{self.number}号"


class SafetyProductionRecord(models.Model):
    """One line of the safety-production ledger: rules adopted, training held, checks made."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("workflows.Case", verbose_name=_("办理记录"),
                             on_delete=models.PROTECT, related_name="safety_records")
    kind = models.CharField(_("类别"), max_length=16, choices=SafetyRecordKind.choices)
    on = models.DateField(_("日期"))
    summary = models.TextField(_("内容"))
    participants = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    recorded_by = models.CharField(_("记录人"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全生产管理台账")
        verbose_name_plural = _("安全生产管理台账")
        ordering = ["region", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
