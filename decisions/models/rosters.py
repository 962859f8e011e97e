"""The villagers' rosters of 03 (四议两公开): households, the registered adult population,
the villagers' representatives, and the members of the collective economic organisation.

They are the bases of the lawful meetings (村民委员会组织法 §22, §25, §26): a 村(居)民会议
needs more than half of the village's adults, or two thirds of its households; a 村(居)民
代表会议 two thirds of the representatives; an entry is ended (a date and a reason), never
deleted, and every change is kept (django-simple-history), so the roster can say who was on
it on any day.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.idcard import mask_id
from core.models import Region
from core.roles import Level
from decisions.choices import (
    CollectiveEnd,
    ElectedBy,
    FigureSource,
    Gender,
    HouseholdEnd,
    RepresentativeEnd,
)


def on_between(start: dt.date | None, ended_on: dt.date | None, day: dt.date) -> bool:
    """On the roster on ``day``: begun by then (or no start recorded), not yet ended."""
    return (start is None or start <= day) and (ended_on is None or day < ended_on)


class HouseholdQuerySet(models.QuerySet["Household"]):
    def of(self, village: Region) -> HouseholdQuerySet:
        return self.filter(region=village).order_by("group", "number", "head_name", "pk")

    def on_day(self, village: Region, day: dt.date) -> list[Household]:
        """The households on the village's roster on ``day``."""
        return [e for e in self.of(village) if e.on_roster(day)]


class Household(models.Model):
    """A household of the village (户), by its head (户主)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="households", limit_choices_to={"level": Level.VILLAGE})
    number = models.CharField(_("户号"), max_length=32, blank=True)
    head_name = models.CharField(_("户主姓名"), max_length=32)
    head_id_number = models.CharField(_("户主身份证号"), max_length=18)
    members = models.PositiveSmallIntegerField(_("户内人口(人)"))
    group = models.CharField(_("村民小组"), max_length=32, blank=True)
    address = models.CharField(_("住址"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    ended_on = models.DateField(_("注销日期"), null=True, blank=True)
    end_reason = models.CharField(_("注销原因"), max_length=16, choices=HouseholdEnd.choices,
                                  blank=True)

    objects = HouseholdQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户籍户名册")
        ordering = ["region", "group", "number", "head_name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "head_id_number"],
                                    condition=Q(ended_on__isnull=True),
                                    name="household_head_once_in_village"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}户"

    @property
    def masked_id(self) -> str:
        return mask_id(self.head_id_number)

    def on_roster(self, day: dt.date) -> bool:
        return on_between(self.registered_on, self.ended_on, day)


class RepresentativeQuerySet(models.QuerySet["Representative"]):
    def of(self, village: Region) -> RepresentativeQuerySet:
        return (self.filter(region=village).select_related("household")
                .order_by("group", "name", "pk"))

    def on_day(self, village: Region, day: dt.date) -> list[Representative]:
        """The representatives serving on ``day``: the roll of a 村(居)民代表会议."""
        return [e for e in self.of(village) if e.on_roster(day)]


class Representative(models.Model):
    """A villagers' representative (村(居)民代表) for a term."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="representatives",
                               limit_choices_to={"level": Level.VILLAGE})
    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    id_number = models.CharField(_("身份证号"), max_length=18)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    household = models.ForeignKey(Household, verbose_name=_("所在户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="representatives")
    group = models.CharField(_("村民小组"), max_length=32, blank=True)
    elected_by = models.CharField(_("推选方式"), max_length=16, choices=ElectedBy.choices,
                                  default=ElectedBy.HOUSEHOLDS)
    households_represented = models.PositiveSmallIntegerField(_("联系户数"), null=True,
                                                              blank=True)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期届满"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=16,
                                  choices=RepresentativeEnd.choices, blank=True)

    objects = RepresentativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("村(居)民代表")
        verbose_name_plural = _("村(居)民代表名册")
        ordering = ["region", "group", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "id_number"],
                                    condition=Q(ended_on__isnull=True),
                                    name="representative_once_in_village"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    def on_roster(self, day: dt.date) -> bool:
        """Serving on ``day``: the term has begun, not run out, and not been ended."""
        if self.term_end is not None and day > self.term_end:
            return False
        return on_between(self.term_start, self.ended_on, day)


class PopulationFigureQuerySet(models.QuerySet["PopulationFigure"]):
    def of(self, village: Region) -> PopulationFigureQuerySet:
        return self.filter(region=village).order_by("-as_of", "-pk")

    def on_day(self, village: Region, day: dt.date) -> list[PopulationFigure]:
        """The figure in force on ``day``: the latest counted on or before it."""
        latest = self.of(village).filter(as_of__lte=day).select_related("recorded_by").first()
        return [latest] if latest is not None else []

    def latest_on(self, village: Region, day: dt.date) -> PopulationFigure | None:
        found = self.on_day(village, day)
        return found[0] if found else None


class PopulationFigure(models.Model):
    """The village's registered households and adults (十八周岁以上村民) counted on a day:
    the base of a 村(居)民会议's quorum (村民委员会组织法 §22)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="population_figures",
                               limit_choices_to={"level": Level.VILLAGE})
    as_of = models.DateField(_("统计日期"))
    households = models.PositiveIntegerField(_("户数"))
    adults = models.PositiveIntegerField(_("十八周岁以上村民人数"))
    source = models.CharField(_("数据来源"), max_length=16, choices=FigureSource.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = PopulationFigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人口基数")
        verbose_name_plural = _("户数和十八周岁以上村民人数")
        ordering = ["region", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["region", "as_of"],
                                    name="population_figure_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m-%d}:{self.households}户,十八周岁以上{self.adults}人"

    def on_roster(self, day: dt.date) -> bool:
        return self.as_of <= day


class CollectiveMemberQuerySet(models.QuerySet["CollectiveMember"]):
    def of(self, village: Region) -> CollectiveMemberQuerySet:
        return (self.filter(region=village).select_related("household")
                .order_by("-is_representative", "name", "pk"))

    def on_day(self, village: Region, day: dt.date, *,
               representatives: bool = False) -> list[CollectiveMember]:
        """The members on ``day`` (``representatives``: only the 成员代表)."""
        return [e for e in self.of(village) if e.on_roster(day)
                and (e.is_representative or not representatives)]


class CollectiveMember(models.Model):
    """A member of the village's collective economic organisation (集体经济组织成员), and
    whether they sit in its members' representatives' assembly (成员代表)."""

    region = models.ForeignKey(Region, verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                               related_name="collective_members",
                               limit_choices_to={"level": Level.VILLAGE})
    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    id_number = models.CharField(_("身份证号"), max_length=18)
    household = models.ForeignKey(Household, verbose_name=_("所在户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="collective_members")
    is_representative = models.BooleanField(_("成员代表"), default=False)
    joined_on = models.DateField(_("成员资格确认日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=16, choices=CollectiveEnd.choices,
                                  blank=True)

    objects = CollectiveMemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集体经济组织成员")
        verbose_name_plural = _("集体经济组织成员名册")
        ordering = ["region", "-is_representative", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "id_number"],
                                    condition=Q(ended_on__isnull=True),
                                    name="collective_member_once_in_village"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    def on_roster(self, day: dt.date) -> bool:
        return on_between(self.joined_on, self.ended_on, day)
