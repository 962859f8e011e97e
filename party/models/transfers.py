"""Transfers of party membership out of and into the branch, and the floating members."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from party.choices import FloatingState, TransferDirection, TransferScope, TransferState
from party.models.members import PartyMember


class TransferRecord(models.Model):
    """One transfer, out or in (党组织关系转接台账)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("转接事项"),
                                on_delete=models.PROTECT, related_name="party_transfer")
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="transfers")
    direction = models.CharField(_("方向"), max_length=8, choices=TransferDirection.choices)
    scope = models.CharField(_("范围"), max_length=16, choices=TransferScope.choices)
    name = models.CharField(_("姓名"), max_length=32)
    other_org = models.CharField(_("转往(转出)党组织"), max_length=100)
    letter_no = models.CharField(_("介绍信编号"), max_length=40, blank=True)
    issued_on = models.DateField(_("开具日期"), null=True, blank=True)
    system_confirmed = models.BooleanField(_("系统接转路径全部为绿色"), default=False)
    receipt_due = models.DateField(_("回执应交回日期"), null=True, blank=True)
    receipt_on = models.DateField(_("回执交回日期"), null=True, blank=True)
    reported_on = models.DateField(_("到支部报到日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=TransferState.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织关系转接记录")
        verbose_name_plural = _("党组织关系转接台账")
        ordering = ["region", "direction", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.get_direction_display()} {self.other_org}"


class FloatingMember(models.Model):
    """A line of the floating members' ledger (流动党员台账)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("流动党员管理事项"),
                                on_delete=models.PROTECT, related_name="floating_member")
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="floating_spells")
    destination = models.CharField(_("流入地"), max_length=100)
    work = models.CharField(_("从事工作"), max_length=100)
    left_on = models.DateField(_("外出日期"))
    phone = models.CharField(_("联系方式"), max_length=20)
    branch_contact = models.CharField(_("党支部联系人"), max_length=32)
    certificate_no = models.CharField(_("流动党员活动证编号"), max_length=40, blank=True)
    certificate_on = models.DateField(_("活动证发放日期"), null=True, blank=True)
    host_branch = models.CharField(_("流入地党组织"), max_length=100, blank=True)
    host_reported_on = models.DateField(_("到流入地党组织报到日期"), null=True, blank=True)
    last_contact_on = models.DateField(_("最近联系日期"), null=True, blank=True)
    reserve_nominated = models.BooleanField(_("已纳入村后备力量培养"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=FloatingState.choices,
                             default=FloatingState.OUT)
    returned_on = models.DateField(_("返乡日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("流动党员")
        verbose_name_plural = _("流动党员台账")
        ordering = ["region", "member__name"]

    def __str__(self) -> str:
        return f"{self.member.name} → {self.destination}"


class FloatingContact(models.Model):
    """A contact with a floating member, or a home-coming meeting or training he attended."""

    floating = models.ForeignKey(FloatingMember, verbose_name=_("流动党员"),
                                 on_delete=models.PROTECT, related_name="contacts")
    on = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=32)
    content = models.TextField(_("内容"))
    recorded_by = models.CharField(_("登记人"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("流动党员联系记录")
        verbose_name_plural = _("流动党员联系记录")
        ordering = ["floating", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.floating.member.name} {self.on} {self.kind}"
