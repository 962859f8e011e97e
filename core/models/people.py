"""People: the custom user, and the roles they hold in places over time."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import ROLE_LEVEL, Role

from .regions import Region


class User(AbstractUser):
    """A person who signs in. ``full_name`` is the Chinese name (姓名)."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    mobile = models.CharField(
        _("手机号码"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^1\d{10}$", _("请输入11位手机号码"))],
    )

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return f"{self.full_name}({self.username})" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


def today() -> dt.date:
    return timezone.localdate()


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: dt.date | None = None) -> MembershipQuerySet:
        day = on or today()
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class Membership(models.Model):
    """A role held by a person in a region for a period (cadres change at 换届)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    start = models.DateField(_("任职起始日"), default=today)
    end = models.DateField(_("任职终止日"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["region__path", "role"]
        indexes = [models.Index(fields=["user", "role"]), models.Index(fields=["region", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role and self.region_id is not None:
            needed = ROLE_LEVEL[Role(self.role)]
            if self.region.level != needed:
                raise ValidationError(
                    {"role": _("角色“%(role)s”只能在%(level)s任职")
                     % {"role": Role(self.role).label, "level": needed.label}}
                )
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("终止日不能早于起始日")})

    def is_active(self, on: dt.date | None = None) -> bool:
        day = on or today()
        return self.start <= day and (self.end is None or self.end >= day)
