"""Registers of the branch's organisational life (02.1–02.5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from party.choices import ActivityForm, AppraisalGrade, MeetingKind, ReportGrade
from party.models.members import PartyMember


class BranchMeeting(models.Model):
    """A held meeting of 三会一课, written when its record is filed (三会一课台账)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("会议事项"),
                                on_delete=models.PROTECT, related_name="branch_meeting")
    kind = models.CharField(_("会议类别"), max_length=16, choices=MeetingKind.choices,
                            db_index=True)
    held_on = models.DateField(_("召开日期"))
    topics = models.TextField(_("议题(授课主题)"))
    chair = models.CharField(_("主持人(授课人)"), max_length=64)
    due = models.PositiveIntegerField(_("应到人数"))
    present = models.PositiveIntegerField(_("实到人数"))
    absentees = models.TextField(_("请假人员及事由"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True)
    followed_up = models.TextField(_("落实情况"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("三会一课记录")
        verbose_name_plural = _("三会一课台账")
        ordering = ["region", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.region} {self.held_on} {self.get_kind_display()}"


class ReportAppraisal(models.Model):
    """The branch secretary's annual report and its appraisal (述职评议台账)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("述职评议事项"),
                                on_delete=models.PROTECT, related_name="report_appraisal")
    year = models.PositiveIntegerField(_("年度"))
    reporter = models.CharField(_("述职人"), max_length=64)
    forms = models.CharField(_("述职评议形式"), max_length=200)
    grade = models.CharField(_("评价等次"), max_length=16, choices=ReportGrade.choices)
    use_of_result = models.TextField(_("结果运用"), blank=True)
    rectification = models.TextField(_("整改落实情况"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议台账")
        ordering = ["region", "year"]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年度述职评议"


class ThemedPartyDay(models.Model):
    """A themed party day (主题党日活动台账)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("主题党日事项"),
                                on_delete=models.PROTECT, related_name="themed_day")
    month = models.CharField(_("月份"), max_length=7)
    theme = models.CharField(_("活动主题"), max_length=200)
    form = models.CharField(_("活动形式"), max_length=16, choices=ActivityForm.choices)
    held_on = models.DateField(_("开展日期"))
    due = models.PositiveIntegerField(_("应参加人数"))
    present = models.PositiveIntegerField(_("实参加人数"))
    absentees = models.TextField(_("请假人员及事由"), blank=True)
    content = models.TextField(_("活动内容"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("主题党日活动")
        verbose_name_plural = _("主题党日活动台账")
        ordering = ["region", "held_on"]

    def __str__(self) -> str:
        return f"{self.region} {self.month} {self.theme}"


class RectificationItem(models.Model):
    """A rectification measure of an organisational-life meeting, followed to completion."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("workflows.Case", verbose_name=_("组织生活会事项"),
                             on_delete=models.PROTECT, related_name="rectifications")
    number = models.PositiveIntegerField(_("序号"))
    problem = models.TextField(_("查摆的问题"))
    measure = models.TextField(_("整改措施"))
    owner = models.CharField(_("责任人"), max_length=64)
    due_on = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.TextField(_("整改结果"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("组织生活会整改台账")
        ordering = ["region", "case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="rectification_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.measure[:20]}"


class MemberAppraisal(models.Model):
    """One member's grade in the yearly democratic appraisal, and what followed (评议台账)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("workflows.Case", verbose_name=_("民主评议事项"),
                             on_delete=models.PROTECT, related_name="member_appraisals")
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="appraisals")
    year = models.PositiveIntegerField(_("年度"))
    grade = models.CharField(_("评定等次"), max_length=8, choices=AppraisalGrade.choices)
    follow_up = models.TextField(_("结果运用(褒奖、帮助或组织处置)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("民主评议结果")
        verbose_name_plural = _("民主评议党员台账")
        ordering = ["region", "year", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_appraisal_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.year} {self.grade}"
