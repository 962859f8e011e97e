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


class HolidayYear(models.Model):
    """A year whose holidays and make-up working days have all been entered in the table
    (from the State Council's notice), so that working days of that year are known even
    where the ``chinesecalendar`` package has no data; a few single dates entered are not
    a year known."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    notice = models.CharField(_("依据文件"), max_length=200,
                              help_text=_("如:国务院办公厅关于2027年部分节假日安排的通知"))
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        app_label = "workflows"
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"
