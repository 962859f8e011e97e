"""The attachment download (case pages: workflows.web; the public board: portal.pages.board)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest

from workflows.visibility import access_attachment


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    att = access_attachment(request.user, pk)
    response = FileResponse(att.file.open("rb"), content_type=att.mime, as_attachment=True,
                            filename=att.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response

