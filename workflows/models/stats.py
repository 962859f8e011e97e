"""Stored counts and checks that pages read instead of scanning a million cases.

``CaseTally`` and ``CaseMonthTally`` are kept by the gate as cases open, close and
are withdrawn (``workflows.tallies``) and recounted from the cases every night by
Celery beat. ``ChainCheck`` holds the last full verification of a village's event
chains (``workflows.chaincheck``), refreshed every night; the audit view adds
what changed since.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region


class CaseTally(models.Model):
    """How many cases of one procedure a village has opened, closed and withdrawn."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.CASCADE,
                               related_name="+")
    procedure = models.CharField(_("事项"), max_length=16)
    opened = models.PositiveIntegerField(_("发起"), default=0)
    closed = models.PositiveIntegerField(_("办结"), default=0)
    withdrawn = models.PositiveIntegerField(_("撤回"), default=0)
    # the steps done that had a time limit, those done within it, and the cases with at
    # least one step done late (each case counted once, at its first late step)
    steps_due = models.PositiveIntegerField(_("有时限的环节"), default=0)
    steps_on_time = models.PositiveIntegerField(_("按时完成的环节"), default=0)
    late_cases = models.PositiveIntegerField(_("有超时环节的事项"), default=0)

    class Meta:
        verbose_name = _("事项计数")
        verbose_name_plural = _("事项计数")
        constraints = [models.UniqueConstraint(fields=["region", "procedure"],
                                               name="tally_region_procedure")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.procedure}"


class CaseMonthTally(models.Model):
    """Cases of one procedure opened and closed in a village in one month (local time)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.CASCADE,
                               related_name="+")
    procedure = models.CharField(_("事项"), max_length=16)
    month = models.DateField(_("月份"))  # the first day of the month
    opened = models.PositiveIntegerField(_("发起"), default=0)
    closed = models.PositiveIntegerField(_("办结"), default=0)
    withdrawn = models.PositiveIntegerField(_("撤回"), default=0)

    class Meta:
        verbose_name = _("事项月度计数")
        verbose_name_plural = _("事项月度计数")
        constraints = [models.UniqueConstraint(fields=["region", "procedure", "month"],
                                               name="month_tally_region_procedure_month")]
        indexes = [models.Index(fields=["month", "region", "procedure"],
                                include=["opened", "closed"], name="month_tally_month_cov")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.procedure} {self.month:%Y-%m}"


class ChainCheck(models.Model):
    """The last full verification of every event chain of one village."""

    region = models.OneToOneField(Region, verbose_name=_("村(社区)"), on_delete=models.CASCADE,
                                  related_name="chain_check")
    # when the check began: a case changed at or after this is checked again when shown
    checked_at = models.DateTimeField(_("校验时间"), default=timezone.now)
    cases = models.PositiveIntegerField(_("事项数"), default=0)
    events = models.PositiveIntegerField(_("记录数"), default=0)
    # {case id (str): problem} for the chains that did not verify
    problems = models.JSONField(_("问题"), default=dict, blank=True)
    # {case id (str): problem} for stored files whose bytes no longer match their SHA-256
    # (the nightly check re-hashes them; a refused download adds its case at once)
    files = models.JSONField(_("附件问题"), default=dict, blank=True)
    files_checked_at = models.DateTimeField(_("附件校验时间"), null=True, blank=True)
    # {case id (str): problem} for chains that no longer fold into a published digest,
    # and the problems of the township's digests not of one case (workflows.anchors)
    digests = models.JSONField(_("存证摘要不符"), default=dict, blank=True)
    notes = models.JSONField(_("存证摘要问题"), default=list, blank=True)
    seconds = models.FloatField(_("用时(秒)"), default=0)

    class Meta:
        verbose_name = _("哈希链校验")
        verbose_name_plural = _("哈希链校验")

    def __str__(self) -> str:
        return f"{self.region_id} {self.checked_at:%Y-%m-%d %H:%M}"
