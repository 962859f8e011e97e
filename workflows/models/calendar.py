"""The admin-editable holiday table, over the ``chinesecalendar`` package."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class HolidayOverride(models.Model):
    """A day that is a holiday, or a make-up working day, whatever the package says."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=64, blank=True, help_text=_("如:国庆节"))

    class Meta:
        app_label = "workflows"
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"
