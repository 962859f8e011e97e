"""The attachment download (case pages: workflows.web; the public board: portal.pages.board).

``?inline=1`` shows a PDF or a picture (by the type sniffed from its bytes when stored) in
the browser instead — for the approver who must read the document before 用印 — under a
restrictive Content-Security-Policy; every other type is always downloaded.

A file is served only when its bytes still match the SHA-256 its event recorded (and that
event's own hash holds): the bytes are hashed as they are copied to a spooled file, and
exactly those bytes are sent. A file that no longer matches — swapped, altered or gone —
is refused with a page that says so, raises an alert to the supervisors, and is noted in
the village's stored check so that the audit view shows it at once.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop

from workflows.alerts import raise_alert
from workflows.attachments import PREVIEWABLE_TYPES
from workflows.audit import event_hash, same
from workflows.chaincheck import note_file_problem
from workflows.choices import AlertKind
from workflows.messages import Text
from workflows.models import Attachment, CaseEvent
from workflows.visibility import access_attachment

SPOOL_IN_MEMORY = 1 << 20  # larger files are copied to a temporary file while hashed
# a file shown in the browser runs nothing and loads nothing from elsewhere: sandboxed
# (no script, no form, its own opaque origin), no source but itself for the picture or the
# PDF viewer's embedded document, inline styles only (the viewers' own)
PREVIEW_CSP = ("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
               "object-src 'self'; frame-ancestors 'none'")


def _recorded(att: Attachment) -> str | None:
    """The SHA-256 the attachment's event recorded for its field, when the event's own hash
    holds; None when it does not (or says nothing of the file)."""
    event = CaseEvent.objects.filter(pk=att.event_id).first() if att.event_id else None
    if event is None or not same(event_hash(event), event.hash):
        return None
    for entry in event.attachments or []:
        if isinstance(entry, Mapping) and entry.get("field") == att.field:
            return str(entry.get("sha256", ""))
    return None


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    att = access_attachment(request.user, pk)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - FileResponse closes it
    digest = hashlib.sha256()
    try:
        with att.file.storage.open(att.file.name, "rb") as source:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                spool.write(chunk)
        found: str | None = digest.hexdigest()
    except (OSError, ValueError):
        found = None
    recorded = _recorded(att)
    if found is None or recorded is None or not same(found, att.sha256) \
            or not same(found, recorded):
        spool.close()
        return _refuse(request, att, found, recorded)
    spool.seek(0)
    inline = request.GET.get("inline") == "1" and previewable(att)
    response = FileResponse(spool, content_type=att.mime, as_attachment=not inline,
                            filename=att.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        response["Content-Security-Policy"] = PREVIEW_CSP
    return response


def previewable(att: Attachment) -> bool:
    """Whether the file may be shown in the browser (``?inline=1``): by the type its bytes
    were found to be when stored, never by its name."""
    return att.mime in PREVIEWABLE_TYPES


def _refuse(request: HttpRequest, att: Attachment, found: str | None,
            recorded: str | None) -> HttpResponse:
    # stored as templates and parameters: the alert is read by supervisors in their own
    # language; the village's stored check keeps the Chinese, like the nightly check's
    if found is None:
        problem = Text(gettext_noop("附件“{name}”的文件已不存在"), name=att.original_name)
    elif recorded is None:
        problem = Text(gettext_noop("附件“{name}”对应的办理记录已被改动,无法核对文件"),
                       name=att.original_name)
    else:
        problem = Text(gettext_noop("附件“{name}”的文件已被替换或改动"
                                    "(SHA-256 应为 {recorded}…,现为 {found}…)"),
                       name=att.original_name, recorded=recorded[:12], found=found[:12])
    case = att.case
    raise_alert(kind=AlertKind.RECORD_ALTERED, case=case, actor=request.user,
                message=Text(gettext_noop("“{title}”的{problem},系统已拒绝提供下载。"),
                             title=case.title, problem=problem),
                key=f"file:{att.pk}:{(found or 'gone')[:16]}")
    note_file_problem(att, problem.chinese())
    return render(request, "workflows/attachment_refused.html", {
        "title": gettext("附件与记录不符"), "attachment": att, "case": case, "found": found,
        "recorded": recorded or att.sha256, "missing": found is None,
    }, status=409)
