"""The tenancy tree: district → township/street → village/community."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import Level


class RegionQuerySet(models.QuerySet["Region"]):
    def under(self, region: Region, *, include_self: bool = True) -> RegionQuerySet:
        """Every region in the subtree of ``region``: one indexed prefix query."""
        qs = self.filter(path__startswith=region.path)
        return qs if include_self else qs.exclude(pk=region.pk)

    def villages(self) -> RegionQuerySet:
        return self.filter(level=Level.VILLAGE)


class Region(models.Model):
    """A node of the tree. ``path`` is the ids from the root, e.g. ``"1/4/9/"``."""

    code = models.CharField(
        _("行政区划代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("行政区划代码应为12位数字"))],
    )
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # path needs the primary key: save once to get it, then store the path.
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
            kwargs["update_fields"] = ["path"]
        self.path = f"{self.parent.path if self.parent else ''}{self.pk}/"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        expected = Level(self.level).parent_level() if self.level else None
        if expected is None and self.parent is not None:
            raise ValidationError({"parent": _("区级单位不能有上级")})
        if expected is not None and (self.parent is None or self.parent.level != expected):
            raise ValidationError(
                {"parent": _("上级必须是%(level)s") % {"level": Level(expected).label}}
            )

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to and including this region."""
        return [int(part) for part in self.path.split("/") if part]

    def ancestors(self, *, include_self: bool = False) -> RegionQuerySet:
        ids = self.ancestor_ids if include_self else self.ancestor_ids[:-1]
        return Region.objects.filter(pk__in=ids).order_by("path")

    def is_under(self, other: Region) -> bool:
        return self.path.startswith(other.path)

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors(include_self=True))
