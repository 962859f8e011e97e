"""The party-member register (党员名册) and the activists' training record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.idcard import mask_id
from core.models import Region
from core.roles import Level
from party.choices import (
    Gender,
    MemberEnd,
    MemberSource,
    MemberStatus,
    Residence,
    TrainingKind,
)

# the stages of a person's way into the party, latest first, with the date that starts each
STAGES: tuple[tuple[MemberStatus, str], ...] = (
    (MemberStatus.FULL, "conversion_date"),
    (MemberStatus.PROBATIONARY, "admission_date"),
    (MemberStatus.TARGET, "target_date"),
    (MemberStatus.ACTIVIST, "activist_date"),
    (MemberStatus.APPLICANT, "application_date"),
)
MEMBERS = (MemberStatus.FULL, MemberStatus.PROBATIONARY)


class PartyMemberQuerySet(models.QuerySet["PartyMember"]):
    def of(self, village: Region) -> PartyMemberQuerySet:
        return self.filter(region=village).order_by("party_group", "name", "pk")

    def on_day(self, village: Region, day: dt.date,
               statuses: Iterable[str] | None = None) -> list[PartyMember]:
        """The people on the village's register on ``day`` (with ``statuses`` on that day:
        e.g. ``MEMBERS``), each with ``status_on(day)``; read from the register's dates."""
        wanted = None if statuses is None else {str(s) for s in statuses}
        return [m for m in self.of(village)
                if (st := m.status_on(day)) is not None and (wanted is None or st in wanted)]

    def voters_on(self, village: Region, day: dt.date) -> list[PartyMember]:
        """The full members with voting rights on ``day``: the roll of a 党员大会
        (probationary members attend without a vote; 留党察看 suspends the vote)."""
        return [m for m in self.on_day(village, day, (MemberStatus.FULL,))
                if not m.suspended_on(day)]


class PartyMember(models.Model):
    """One person on the branch's register, from application to transfer out."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="party_members",
                               limit_choices_to={"level": Level.VILLAGE})
    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    residence = models.CharField(_("居住情况"), max_length=16, choices=Residence.choices,
                                 default=Residence.RESIDENT)
    status = models.CharField(_("状态"), max_length=16, choices=MemberStatus.choices,
                              db_index=True)
    source = models.CharField(_("来源"), max_length=16, choices=MemberSource.choices,
                              default=MemberSource.REGISTER)
    party_group = models.CharField(_("所在党小组"), max_length=32, blank=True)
    application_date = models.DateField(_("递交入党申请日期"), null=True, blank=True)
    activist_date = models.DateField(_("确定为入党积极分子日期"), null=True, blank=True)
    target_date = models.DateField(_("确定为发展对象日期"), null=True, blank=True)
    admission_date = models.DateField(_("接收为预备党员日期"), null=True, blank=True)
    conversion_date = models.DateField(_("转为正式党员日期"), null=True, blank=True)
    standing_from = models.DateField(_("党龄起算日期"), null=True, blank=True)
    probation_extension_months = models.PositiveSmallIntegerField(_("延长预备期(月)"), default=0)
    contact_1 = models.ForeignKey("self", verbose_name=_("培养联系人一"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    contact_2 = models.ForeignKey("self", verbose_name=_("培养联系人二"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    introducer_1 = models.ForeignKey("self", verbose_name=_("入党介绍人一"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    introducer_2 = models.ForeignKey("self", verbose_name=_("入党介绍人二"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    floating = models.BooleanField(_("流动党员"), default=False)
    transferred_in_date = models.DateField(_("组织关系转入日期"), null=True, blank=True)
    transferred_out_date = models.DateField(_("组织关系转出日期"), null=True, blank=True)
    transferred_to = models.CharField(_("转往党组织"), max_length=100, blank=True)
    recruitment_case = models.OneToOneField(
        "workflows.Case", verbose_name=_("发展党员事项"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="recruited_member")
    archive_kept_by = models.CharField(_("档案保管"), max_length=64, blank=True)
    suspended_from = models.DateField(_("留党察看起始日期"), null=True, blank=True)
    suspended_until = models.DateField(_("留党察看截止日期"), null=True, blank=True)
    ended_on = models.DateField(_("减少日期"), null=True, blank=True)
    end_reason = models.CharField(_("减少原因"), max_length=16, choices=MemberEnd.choices,
                                  blank=True)

    objects = PartyMemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员(入党申请人)")
        verbose_name_plural = _("党员名册")
        ordering = ["region", "status", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "id_number"], condition=~Q(id_number=""),
                                    name="party_member_id_unique_in_village"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.get_status_display()})"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    def status_on(self, day: dt.date) -> MemberStatus | None:
        """What the register says this person was on ``day``; None when not on it (not yet
        applied, transferred in later, transferred out, left, or not admitted).

        The dates of the stages decide; the current status stands in for its own date when
        that was never recorded (a member transferred in, or registered without it)."""
        if self.status == MemberStatus.NOT_ADMITTED:
            return None
        if self.ended_on is not None and self.ended_on <= day:
            return None
        if self.transferred_out_date is not None and self.transferred_out_date <= day:
            return None
        if self.transferred_in_date is not None and self.transferred_in_date > day:
            return None
        for status, attr in STAGES:
            since: dt.date | None = getattr(self, attr)
            if since is None and status == self.status:
                since = self.transferred_in_date or dt.date.min
            if since is not None and since <= day:
                return status
        return None

    def on_roster(self, day: dt.date) -> bool:
        return self.status_on(day) is not None

    def suspended_on(self, day: dt.date) -> bool:
        """留党察看 on ``day``: no vote, no right to elect or be elected."""
        return self.suspended_from is not None and self.suspended_from <= day and (
            self.suspended_until is None or day <= self.suspended_until)


class TrainingRecord(models.Model):
    """A quarterly report, a contact's report or a branch assessment (培养教育考察记录)."""

    member = models.ForeignKey(PartyMember, verbose_name=_("入党积极分子"),
                               on_delete=models.PROTECT, related_name="training_records")
    case = models.ForeignKey("workflows.Case", verbose_name=_("发展党员事项"),
                             on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=24, choices=TrainingKind.choices)
    on = models.DateField(_("日期"))
    reporter = models.CharField(_("汇报(报告)人"), max_length=32)
    summary = models.TextField(_("内容摘要"))
    recorded_by = models.CharField(_("登记人"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培养教育考察记录")
        verbose_name_plural = _("培养教育考察记录")
        ordering = ["member", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_kind_display()} {self.on}"
