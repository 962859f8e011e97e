"""Generic pages of the engine: a case's record, attachments, the public board."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from portal.models import Region
from portal.roles import Level
from workflows.choices import NoticeState
from workflows.models import CaseEvent, PublicityNotice
from workflows.queries import access_attachment, access_case


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("seq")
    return render(request, "workflows/case_detail.html",
                  {"case": case, "spec": case.spec, "events": events, "title": case.title})


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    att = access_attachment(request.user, pk)
    response = FileResponse(att.file.open("rb"), content_type=att.mime, as_attachment=True,
                            filename=att.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_board(request: HttpRequest, region_id: int) -> HttpResponse:
    """A village's notices, no login: running ones and those ended in the last 90 days."""
    village = get_object_or_404(Region, pk=region_id, level=Level.VILLAGE)
    since = timezone.now() - dt.timedelta(days=90)
    notices = (
        PublicityNotice.objects.filter(region=village)
        .exclude(state=NoticeState.CANCELLED)
        .filter(start__gte=since)
        .select_related("case")
        .prefetch_related(Prefetch("objections"))
        .order_by("-start")[:100]
    )
    now = timezone.now()
    running = [n for n in notices if n.state == NoticeState.RUNNING]
    ended = [n for n in notices if n.state != NoticeState.RUNNING]
    return render(request, "workflows/board.html", {
        "village": village, "running": running, "ended": ended, "now": now,
        "title": f"{village.name}公示栏",
    })
