"""Celery tasks of the portal: rendering large register exports (see portal.pages.registers).

A job row (:class:`workflows.models.ExportJob`) carries the state and the progress
that the registers page polls. Without Redis the settings run tasks eagerly, so
a job finishes inside the request that queued it; with Redis a worker runs it.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from workflows.models import ExportJob, ExportState
from workflows.models.exports import FAILED_RENDER, MISSING_REGISTER
from workflows.registers import export, get_register
from workflows.web import pending

logger = logging.getLogger(__name__)


# The share of the progress bar the rendering fills (a PDF's chunks of pages, see
# workflows.rendering.render_register_pdf).
RENDER_FROM, RENDER_TO = 30, 90


def _set(job: ExportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


@shared_task(name="portal.tasks.run_export_job", ignore_result=True)
def run_export_job(job_id: int) -> str:
    """Render one register export and store it on the job; idempotent once finished."""
    job = ExportJob.objects.select_related("region").filter(pk=job_id).first()
    if job is None or job.finished:
        return "skipped"
    reg = get_register(job.register)
    if reg is None:
        _set(job, state=ExportState.FAILED, error=MISSING_REGISTER, finished_at=timezone.now())
        return "failed"
    try:
        _set(job, state=ExportState.RUNNING, progress=5)
        rows = list(reg.rows(job.region))
        _set(job, rows=len(rows), progress=30)

        def rendered(count: int, total: int) -> None:
            # 30 when the rows are read, 90 when the last chunk of pages is ready: the bar
            # moves as chunks are rendered (or found kept), not only at the fixed steps
            step = RENDER_FROM + (RENDER_TO - RENDER_FROM) * count // max(1, total)
            if step > job.progress:
                _set(job, progress=step)

        with translation.override(job.language or settings.LANGUAGE_CODE):
            done = export(reg, job.region, job.format, rows=rows, when=job.created_at,
                          progress=rendered)
        job.filename = done.name
        _set(job, progress=90)
        job.file.save(done.fallback, ContentFile(done.body), save=False)
        _set(job, file=job.file, filename=job.filename, state=ExportState.DONE, progress=100,
             finished_at=timezone.now())
    except Exception as exc:  # a failed render is shown to the user, never lost silently
        logger.exception("export job %s failed", job_id)
        _set(job, state=ExportState.FAILED, error=f"{FAILED_RENDER}{exc}"[:400],
             finished_at=timezone.now())
        return "failed"
    return "done"


EXPORT_KEEP_DAYS = 7  # default when settings.EXPORT_KEEP_DAYS is not set


def purge_old_exports(days: int | None = None) -> int:
    """Delete export jobs older than ``days`` (settings.EXPORT_KEEP_DAYS, 7) and their files.

    Meant to run with the deadline sweep (or as its own beat entry, see
    :func:`purge_old_exports_task`). Returns how many jobs were removed.
    """
    keep = days if days is not None else int(getattr(settings, "EXPORT_KEEP_DAYS",
                                                     EXPORT_KEEP_DAYS))
    cutoff = timezone.now() - dt.timedelta(days=keep)
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


@shared_task(name="portal.tasks.purge_old_exports_task", ignore_result=True)
def purge_old_exports_task() -> int:
    """Old exports, and the files kept from refused submissions for more than a day
    (``workflows.web.pending``): both are only ever a user's temporary copies."""
    return purge_old_exports() + pending.purge()
