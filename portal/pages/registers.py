"""The registers (台账) a user may export, with PDF and Excel downloads.

Small ledgers are rendered in the request. A ledger of more than
``ASYNC_ROWS`` rows (500) is "large": rendering it (WeasyPrint above all) can take
longer than a couple of seconds, so it becomes an :class:`ExportJob` rendered by
Celery (``portal.tasks.run_export_job``); its page polls a small JSON status
endpoint every second, shows a progress bar, and offers the file when done. The
file is kept for the job's owner only (404 for anyone else).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from core.downloads import name_download
from core.models import Region, User
from core.scope import access_region, visible_regions
from portal.tasks import run_export_job
from workflows.models import ExportFormat, ExportJob, ExportState
from workflows.registers import (
    MIME,
    RegisterSpec,
    all_registers,
    export,
    export_names,
    get_register,
)
from workflows.visibility import access_export_job, may_export

ASYNC_ROWS = 500
JOBS_SHOWN = 10


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit())


def register_entries(user: Any) -> list[dict[str, Any]]:
    """Every (register, region) the user may export, grouped by region; one region query."""
    regions = list(visible_regions(user).select_related("parent").order_by("path"))
    registers = sorted(all_registers(), key=lambda r: (_code_key(r.procedure), r.code))
    groups: list[dict[str, Any]] = []
    for region in regions:
        items = [reg for reg in registers if may_export(user, reg, region)]
        if items:
            groups.append({"region": region, "registers": [
                {"code": reg.code, "name": reg.title(region), "procedure": reg.procedure,
                 "pdf": reverse("register_export", args=[reg.code, region.pk, "pdf"]),
                 "xlsx": reverse("register_export", args=[reg.code, region.pk, "xlsx"])}
                for reg in items
            ]})
    return groups


def access_register(user: Any, code: str, region_id: int | str) -> tuple[RegisterSpec, Region]:
    reg = get_register(code)
    if reg is None:
        raise Http404
    region = access_region(user, region_id)
    if not may_export(user, reg, region):
        raise Http404
    return reg, region


@login_required
def registers(request: HttpRequest) -> HttpResponse:
    groups = register_entries(request.user)
    chosen = request.GET.get("region", "")
    if not chosen and len(groups) > 2:  # a bureau sees many villages: one at a time
        chosen = str(groups[0]["region"].pk)
    shown = [g for g in groups if str(g["region"].pk) == chosen] if chosen else groups
    jobs = list(ExportJob.objects.filter(user=cast(User, request.user)).select_related("region")
                .order_by("-created_at", "-pk")[:JOBS_SHOWN])
    specs = {r.code: r for r in all_registers()}
    for job in jobs:
        spec = specs.get(job.register)
        job.register_name = (  # type: ignore[attr-defined]
            spec.title(job.region) if spec else job.register)
    return render(request, "pages/registers.html", {
        "title": "台账导出",
        "groups": shown,
        "all_groups": groups,
        "chosen": chosen,
        "jobs": jobs,
        "async_rows": ASYNC_ROWS,
    })


@login_required
def register_export(request: HttpRequest, code: str, region_id: int, fmt: str) -> HttpResponse:
    if fmt not in ExportFormat.values:
        raise Http404
    reg, region = access_register(request.user, code, region_id)
    rows = list(reg.rows(region))
    if len(rows) > ASYNC_ROWS:
        job = ExportJob.objects.create(user=cast(User, request.user), register=reg.code,
                                       region=region, format=fmt, rows=len(rows),
                                       language=translation.get_language() or "")
        transaction.on_commit(lambda: run_export_job.delay(job.pk))
        return redirect("register_job", job_id=job.pk)
    return export(reg, region, fmt, rows=rows).response()


@login_required
def register_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_export_job(request.user, job_id)
    reg = get_register(job.register)
    return render(request, "pages/register_job.html", {
        "title": "台账导出进度",
        "job": job,
        "register_name": reg.title(job.region) if reg else job.register,
        "status": job.status(),
    })


@login_required
def register_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = access_export_job(request.user, job_id)
    data = job.status()
    if job.state == ExportState.DONE:
        data["download"] = reverse("register_job_download", args=[job.pk])
    return JsonResponse(data)


@login_required
def register_job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = access_export_job(request.user, job_id)
    reg = get_register(job.register)
    if job.state != ExportState.DONE or not job.file or reg is None:
        raise Http404
    if not may_export(request.user, reg, job.region):
        raise Http404
    response = FileResponse(job.file.open("rb"), content_type=MIME[job.format])
    name, fallback = export_names(reg, job.region, job.format, job.created_at)
    name_download(response, job.filename or name, fallback)
    response["X-Content-Type-Options"] = "nosniff"
    return response
