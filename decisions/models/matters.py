"""The ledger of 03.1: one line per major matter (村级重大事项“四议两公开”台账)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.roles import Level


class MajorMatter(models.Model):
    """A major matter through the four deliberations and two publications, written by the
    gate's effects at each step (``decisions.effects``): the day and result of each stage,
    the resolution's publicity window, the implementation result."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="major_matters",
                               limit_choices_to={"level": Level.VILLAGE})
    case = models.OneToOneField("workflows.Case", verbose_name=_("事项"),
                                on_delete=models.PROTECT, related_name="major_matter")
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("事项名称"), max_length=200)
    matter = models.CharField(_("事项类别"), max_length=40, blank=True)
    proposed_on = models.DateField(_("党组织提议日期"), null=True, blank=True)
    proposal_result = models.CharField(_("党组织提议结果"), max_length=200, blank=True)
    deliberated_on = models.DateField(_("两委会议商议日期"), null=True, blank=True)
    deliberation_result = models.CharField(_("两委会议商议结果"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("党员大会审议日期"), null=True, blank=True)
    review_result = models.CharField(_("党员大会审议结果"), max_length=200, blank=True)
    decided_on = models.DateField(_("村(居)民(代表)会议决议日期"), null=True, blank=True)
    decision_result = models.CharField(_("村(居)民(代表)会议决议结果"), max_length=200,
                                       blank=True)
    publicity_start = models.DateTimeField(_("决议公开开始"), null=True, blank=True)
    publicity_end = models.DateTimeField(_("决议公开期满"), null=True, blank=True)
    publicity_days = models.PositiveIntegerField(_("公开天数"), null=True, blank=True)
    publicity_ended_at = models.DateTimeField(_("决议公开结束"), null=True, blank=True)
    result_published_on = models.DateField(_("实施结果公开日期"), null=True, blank=True)
    implementation_result = models.TextField(_("实施结果"), blank=True)

    class Meta:
        verbose_name = _("村级重大事项“四议两公开”台账")
        verbose_name_plural = _("村级重大事项“四议两公开”台账")
        ordering = ["region", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"],
                                    name="major_matter_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name}重大事项第{self.number}号:{self.title}"
