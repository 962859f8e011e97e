"""People put forward for village posts (05.1 reserve cadres and mass-organisation posts,
05.2 auxiliary posts) and the joint vetting (联审) that must pass before they are appointed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.idcard import mask_id
from core.models import Region
from core.roles import Level
from personnel.choices import AppointeeState, Track, VettingResult


class JointVetting(models.Model):
    """One joint vetting of a case's nominees, written by the gate."""

    case = models.ForeignKey("workflows.Case", verbose_name=_("任用事项"),
                             on_delete=models.PROTECT, related_name="joint_vettings")
    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    vetted_on = models.DateField(_("联审日期"))
    result = models.CharField(_("联审结论"), max_length=16, choices=VettingResult.choices)
    departments = models.JSONField(_("参加联审的部门"), default=list)
    opinion = models.TextField(_("联审意见"))
    vetted_by = models.CharField(_("经办人"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联审记录")
        verbose_name_plural = _("联审记录")
        ordering = ["-vetted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_result_display()}"


class Appointee(models.Model):
    """A nominee and, once vetted and appointed, the holder of a post (the register line)."""

    case = models.ForeignKey("workflows.Case", verbose_name=_("任用事项"),
                             on_delete=models.PROTECT, related_name="appointees")
    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+", limit_choices_to={"level": Level.VILLAGE})
    procedure = models.CharField(_("事项编号"), max_length=8)
    seq = models.PositiveIntegerField(_("序号"))
    track = models.CharField(_("组织或岗位类别"), max_length=16, choices=Track.choices)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号"), max_length=18)
    post = models.CharField(_("拟任职务或岗位"), max_length=100)
    monthly_pay = models.DecimalField(_("月报酬(元)"), max_digits=10, decimal_places=2,
                                      null=True, blank=True)
    term_months = models.PositiveIntegerField(_("聘用期限(月)"), null=True, blank=True)
    vetting = models.CharField(_("联审结果"), max_length=16, choices=VettingResult.choices,
                               default=VettingResult.PENDING)
    state = models.CharField(_("状态"), max_length=16, choices=AppointeeState.choices,
                             default=AppointeeState.PROPOSED)
    start_on = models.DateField(_("任职(聘用)起始日期"), null=True, blank=True)
    end_on = models.DateField(_("聘用终止日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员任用登记")
        verbose_name_plural = _("人员任用登记")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "id_number"],
                                    name="appointee_once_per_case"),
        ]
        indexes = [models.Index(fields=["id_number", "vetting"])]

    def __str__(self) -> str:
        return f"{self.name}({self.post})"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)
