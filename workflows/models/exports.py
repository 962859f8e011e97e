"""Stored register exports: a large ledger is rendered by Celery and kept for its owner."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.models import Region


class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


# Why a job failed, stored as written here (Chinese: the msgid), shown in the reader's
# language by ``ExportJob.error_text``; a render's own exception text follows FAILED_RENDER
MISSING_REGISTER = gettext_noop("台账不存在。")
FAILED_RENDER = gettext_noop("生成失败:")


def export_path(instance: ExportJob, filename: str) -> str:
    """A generated storage name: never the user's or the register's text."""
    return f"exports/{uuid.uuid4().hex}.{instance.format}"


class ExportJob(models.Model):
    """One export of one register (台账) of one region, asked for by one user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"),
                             on_delete=models.CASCADE, related_name="export_jobs")
    register = models.CharField(_("台账"), max_length=48)
    region = models.ForeignKey(Region, verbose_name=_("区域"), on_delete=models.PROTECT,
                               related_name="+")
    format = models.CharField(_("格式"), max_length=8, choices=ExportFormat.choices)
    state = models.CharField(_("状态"), max_length=16, choices=ExportState.choices,
                             default=ExportState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    rows = models.PositiveIntegerField(_("条数"), default=0)
    file = models.FileField(_("文件"), upload_to=export_path, max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.CharField(_("错误"), max_length=400, blank=True)
    # the asker's language (settings.LANGUAGES): the file is rendered in it, by the worker too
    language = models.CharField(_("语言"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导出")
        verbose_name_plural = _("台账导出")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.register}@{self.region_id}.{self.format}"

    @property
    def finished(self) -> bool:
        return self.state in (ExportState.DONE, ExportState.FAILED)

    @property
    def error_text(self) -> str:
        """Why the job failed, in the active language (stored in Chinese, see MISSING_REGISTER)."""
        if self.error.startswith(FAILED_RENDER):
            return gettext("生成失败:%(error)s") % {"error": self.error[len(FAILED_RENDER):]}
        return gettext(self.error) if self.error else ""

    def status(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "state": self.state,
            "state_label": str(self.get_state_display()),
            "progress": self.progress,
            "rows": self.rows,
            "error": self.error_text,
            "finished": self.finished,
        }
