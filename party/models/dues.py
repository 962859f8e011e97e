"""The dues ledger (党费收缴台账) and the remittances with their receipts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from party.choices import DuesCategory
from party.models.members import PartyMember


class DuesRemittance(models.Model):
    """One month's collection of a branch: remitted to the township, then to the district."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.OneToOneField("workflows.Case", verbose_name=_("党费收缴事项"),
                                on_delete=models.PROTECT, related_name="dues_remittance")
    period = models.CharField(_("所属月份"), max_length=7)
    total = models.DecimalField(_("收缴合计(元)"), max_digits=10, decimal_places=2)
    remitted_on = models.DateField(_("交至镇(街道)党委日期"), null=True, blank=True)
    receipt_no = models.CharField(_("镇(街道)党委收据号"), max_length=40, blank=True)
    receipt_amount = models.DecimalField(_("收据金额(元)"), max_digits=10, decimal_places=2,
                                         null=True, blank=True)
    district_remitted_on = models.DateField(_("上缴区委组织部日期"), null=True, blank=True)
    district_voucher = models.CharField(_("上缴凭证号"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党费上缴记录")
        verbose_name_plural = _("党费上缴记录")
        ordering = ["region", "period"]

    def __str__(self) -> str:
        return f"{self.region} {self.period} 党费{self.total}元"


class DuesPayment(models.Model):
    """One member's payment for one month (the line of the dues ledger)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    remittance = models.ForeignKey(DuesRemittance, verbose_name=_("上缴记录"),
                                   on_delete=models.PROTECT, related_name="payments")
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="dues_payments")
    period = models.CharField(_("所属月份"), max_length=7)
    category = models.CharField(_("交纳类别"), max_length=8, choices=DuesCategory.choices)
    income = models.DecimalField(_("月收入基数(元)"), max_digits=10, decimal_places=2,
                                 null=True, blank=True)
    standard = models.DecimalField(_("应交标准(元)"), max_digits=8, decimal_places=2)
    amount = models.DecimalField(_("实交金额(元)"), max_digits=8, decimal_places=2)
    certificate_filled = models.BooleanField(_("已填写党费证"), default=True)
    recorded_by = models.CharField(_("登记人"), max_length=64)
    recorded_on = models.DateField(_("登记日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党费交纳记录")
        verbose_name_plural = _("党费收缴台账")
        ordering = ["region", "period", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="dues_once_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.period} {self.amount}元"
