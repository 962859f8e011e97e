"""Files a user chose for an action that the gate refused: kept for the next try.

A browser form loses its file inputs when a submission is refused and the page is drawn
again. So that a cadre need not choose the same scan twice, the case page keeps each
checked upload of a refused submission here — tied to the user, the case, the action and
the field, never an :class:`~workflows.models.Attachment` (nothing of it is on the record)
— and sends it to the gate with the next submission unless another file is chosen. A
pending upload is deleted when that submission succeeds, when it is replaced, or after
:data:`PENDING_KEEP` by the purge task (``portal.tasks.purge_old_exports``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.cases import Case

PENDING_KEEP = dt.timedelta(days=1)


def pending_path(instance: PendingUpload, filename: str) -> str:
    """A generated storage name: nothing of the user's file name."""
    return f"pending/{uuid.uuid4().hex}{instance.extension}"


class PendingUpload(models.Model):
    """One checked file of a refused submission, waiting for its user's next try."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"),
                             on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="+")
    action = models.CharField(_("操作"), max_length=64)
    field = models.CharField(_("字段"), max_length=48)
    file = models.FileField(_("文件"), upload_to=pending_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    mime = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("待提交的附件")
        verbose_name_plural = _("待提交的附件")
        constraints = [models.UniqueConstraint(fields=["user", "case", "action", "field"],
                                               name="pending_upload_one_per_field")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.original_name
