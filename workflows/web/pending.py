"""Files kept across a refused submission of the case page (:class:`PendingUpload`).

When the gate refuses a submission, the files the user chose are checked like any upload
(type by content, the field's size limit) and kept, tied to the user, the case, the action
and the field. The page then shows "已选择:证明.pdf(12.3 KB)" instead of an empty file
input, with a hidden ``f_<field>.pending`` naming the kept file; the next submission sends
that file to the gate unless another one is chosen. A kept file is only ever found through
its own user, case, action and field: another user, case or action never sees it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import RuleError
from core.models import User
from workflows.attachments import check_upload
from workflows.models import Case, PendingUpload
from workflows.models.pending import PENDING_KEEP
from workflows.record import size_text
from workflows.web.forms import Submitted

# a refusal about the file itself: such a file is not kept (it would be refused again)
FILE_REFUSALS = frozenset({"attachment_empty", "attachment_too_large", "attachment_type"})
# the most files one user may have waiting at once (the oldest go first)
MAX_PER_USER = 20


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except (ValueError, AttributeError):
        return None


def kept_for(user: Any, case: Case) -> dict[str, dict[str, dict[str, Any]]]:
    """The files ``user`` has waiting on ``case``: ``{action: {field: {id, name, size}}}``."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    if not getattr(user, "is_authenticated", False):
        return out
    for row in PendingUpload.objects.filter(user=user, case=case).order_by("created_at"):
        out.setdefault(row.action, {})[row.field] = {
            "id": str(row.pk), "name": row.original_name, "size": size_text(row.size)}
    return out


@contextlib.contextmanager
def take(user: User, case: Case, action: str, sent: Submitted) -> Iterator[set[str]]:
    """Put the kept files named by the form into ``sent.files`` for the gate (while the
    block runs); yields the names of the fields so filled. An id that is not one of this
    user's files for this case, action and field is ignored (the field is then empty)."""
    opened: list[Any] = []
    filled: set[str] = set()
    try:
        for name, text in sent.pending.items():
            pk = _uuid(text)
            row = PendingUpload.objects.filter(
                pk=pk, user=user, case=case, action=action, field=name).first() \
                if pk else None
            if row is None or not default_storage.exists(row.file.name):
                continue
            handle = default_storage.open(row.file.name, "rb")
            opened.append(handle)
            sent.files[name] = UploadedFile(file=handle, name=row.original_name,
                                            content_type=row.mime, size=row.size)
            filled.add(name)
        yield filled
    finally:
        for handle in opened:
            handle.close()


def _delete(rows: Any) -> int:
    count = 0
    for row in rows:
        if row.file:
            row.file.delete(save=False)
        row.delete()
        count += 1
    return count


def keep(user: User, case: Case, action: str, fields: list[Mapping[str, Any]],
         sent: Submitted, refusal: RuleError, *, already: set[str]) -> None:
    """After a refusal: keep each newly chosen file that passes the upload checks (the
    field's types and size limit), replacing what was kept for that field before."""
    refused = {e.field for e in getattr(refusal, "errors", None) or [refusal]
               if e.code in FILE_REFUSALS}
    specs = {f["name"]: f for f in fields if f["type"] == "file"}
    for name, upload in sent.files.items():
        spec = specs.get(name)
        if spec is None or name in already:
            continue
        mine = PendingUpload.objects.filter(user=user, case=case, action=action, field=name)
        if name in refused:
            _delete(mine)  # the new choice was refused: the page asks for another file
            continue
        try:
            checked = check_upload(upload, accept=spec.get("accept") or None,
                                   max_bytes=spec.get("max_bytes"), field=name)
        except RuleError:
            _delete(mine)
            continue
        _delete(mine)
        row = PendingUpload(user=user, case=case, action=action, field=name,
                            original_name=checked.original_name, mime=checked.mime,
                            extension=checked.extension, size=checked.size,
                            sha256=checked.sha256)
        upload.seek(0)
        row.file.save(f"pending{checked.extension}", upload, save=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # the same form sent twice at once: the other one is kept
            row.file.delete(save=False)
    waiting = PendingUpload.objects.filter(user=user).order_by("-created_at")
    _delete(list(waiting[MAX_PER_USER:]))


def discard(user: User, case: Case, action: str) -> int:
    """The action went through: what was kept for it is used up."""
    return _delete(PendingUpload.objects.filter(user=user, case=case, action=action))


def purge(now: Any = None) -> int:
    """Delete the files kept longer than ``PENDING_KEEP`` (a day); returns how many."""
    cutoff = (now or timezone.now()) - PENDING_KEEP
    return _delete(PendingUpload.objects.filter(created_at__lt=cutoff))
