"""The delegates of the village's mass organisations: the roll of their congresses.

05.1 puts candidates to the women's congress (妇女代表大会, 妇代会) and the league's
congress (团员代表大会) for election; their rolls are these delegates on the day the
congress met (``personnel.rolls``). A delegate's term is ended (a date), never deleted,
and every change is kept (django-simple-history).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region
from core.roles import Level
from personnel.choices import Congress


class DelegateQuerySet(models.QuerySet["Delegate"]):
    def on_day(self, village: Region, congress: str, day: dt.date) -> list[Delegate]:
        """The delegates of ``congress`` serving in ``village`` on ``day``."""
        rows = self.filter(region=village, congress=congress, term_start__lte=day)
        return [d for d in rows.order_by("name", "pk") if d.serving(day)]


class Delegate(models.Model):
    """A delegate to the village's women's congress or league congress, for a term."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="+", limit_choices_to={"level": Level.VILLAGE})
    congress = models.CharField(_("代表大会"), max_length=16, choices=Congress.choices)
    name = models.CharField(_("姓名"), max_length=32)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期届满"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    objects = DelegateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("群团组织代表")
        verbose_name_plural = _("群团组织代表名册")
        ordering = ["region", "congress", "name"]

    def __str__(self) -> str:
        return f"{self.name}({self.get_congress_display()})"

    def serving(self, day: dt.date) -> bool:
        """Serving on ``day``: the term has begun, not run out, and not been ended."""
        return (self.term_start <= day and (self.term_end is None or day <= self.term_end)
                and (self.ended_on is None or day < self.ended_on))
