"""The daily digests of the chain heads (存证摘要): anchors of the event log outside it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region


class ChainDigest(models.Model):
    """One township's digest of one day: an HMAC over the last event hash of every case of
    its villages that changed that day, and over the digest of the day before.

    It is published on every board of the township and sent to the township the next
    morning: a history rewritten after that no longer folds into the digest people keep
    (``workflows.anchors``)."""

    township = models.ForeignKey(Region, verbose_name=_("乡镇(街道)"), on_delete=models.PROTECT,
                                 related_name="chain_digests")
    day = models.DateField(_("存证日期"))
    # [[case id, hash of its last event that day], ...] by case id
    heads = models.JSONField(_("当日记录链头"), default=list, blank=True)
    prev = models.CharField(_("前一日摘要"), max_length=64, blank=True)
    digest = models.CharField(_("摘要"), max_length=64)
    key_id = models.CharField(_("签名密钥"), max_length=32)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("存证摘要")
        verbose_name_plural = _("存证摘要")
        ordering = ["township", "-day"]
        constraints = [models.UniqueConstraint(fields=["township", "day"],
                                               name="chain_digest_township_day")]

    def __str__(self) -> str:
        return f"{self.township_id} {self.day:%Y-%m-%d} {self.digest[:12]}"

    @property
    def cases(self) -> int:
        return len(self.heads) if isinstance(self.heads, list) else 0
