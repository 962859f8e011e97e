"""The farmland-subsidy roster of a village (农户清册) and the payout lines paid against it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.idcard import mask_id
from core.models import Region
from core.roles import Level


class SubsidyHousehold(models.Model):
    """One household of a case's roster: area × rate = amount, rounded to cents."""

    case = models.ForeignKey("workflows.Case", verbose_name=_("补贴事项"),
                             on_delete=models.PROTECT, related_name="subsidy_households")
    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+", limit_choices_to={"level": Level.VILLAGE})
    year = models.PositiveIntegerField(_("补贴年度"))
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("户主姓名"), max_length=64)
    id_number = models.CharField(_("身份证号"), max_length=18)
    area = models.DecimalField(_("面积(亩)"), max_digits=12, decimal_places=2)
    rate = models.DecimalField(_("补贴标准(元/亩)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("补贴金额(元)"), max_digits=14, decimal_places=2)
    paid_amount = models.DecimalField(_("实发金额(元)"), max_digits=14, decimal_places=2,
                                      null=True, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("补贴农户")
        verbose_name_plural = _("耕地地力保护补贴农户清册")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "id_number"],
                                    name="subsidy_household_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.masked_id})"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


class PayoutLine(models.Model):
    """A line of the finance bureau's payment list; ``household`` is empty when the payee is
    not on the roster (an integrity alert)."""

    case = models.ForeignKey("workflows.Case", verbose_name=_("补贴事项"),
                             on_delete=models.PROTECT, related_name="subsidy_payouts")
    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("收款人姓名"), max_length=64)
    id_number = models.CharField(_("身份证号"), max_length=18)
    amount = models.DecimalField(_("发放金额(元)"), max_digits=14, decimal_places=2)
    household = models.ForeignKey(SubsidyHousehold, verbose_name=_("清册农户"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="payouts")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["case", "seq"]

    def __str__(self) -> str:
        return f"{self.name}({mask_id(self.id_number)}) {self.amount}元"

    @property
    def on_roster(self) -> bool:
        return self.household_id is not None
