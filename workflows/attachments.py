"""Upload checking: size limit, type decided by content, SHA-256, generated names."""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.errors import RuleError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# the types a browser may show in a tab of its own (the attachment view's ?inline=1): PDF in
# its PDF viewer, pictures as pictures; any other type is only ever downloaded
PREVIEWABLE_TYPES = frozenset({PDF, PNG, JPEG, WEBP})

ALLOWED_TYPES = {PDF: "PDF", JPEG: gettext_lazy("JPEG图片"), PNG: gettext_lazy("PNG图片"),
                 DOCX: gettext_lazy("Word文档(docx)"), XLSX: gettext_lazy("Excel表格(xlsx)")}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}


@dataclass(frozen=True)
class CheckedFile:
    mime: str
    sha256: str
    size: int
    original_name: str
    extension: str


def _zip_kind(fileobj: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff_mime(head: bytes, fileobj: IO[bytes] | None = None) -> str | None:
    """The type of a file from its first bytes (and, for ZIP containers, its contents)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04") and fileobj is not None:
        return _zip_kind(fileobj)
    return None


def check_upload(f: Any, *, accept: Iterable[str] | None = None, max_bytes: int | None = None,
                 field: str | None = None) -> CheckedFile:
    """Refuse what is empty, too large, or not of an accepted type by its content."""
    limit = max_bytes if max_bytes is not None else settings.ATTACHMENT_MAX_BYTES
    size = int(getattr(f, "size", 0) or 0)
    if size == 0:
        raise RuleError("attachment_empty", _("上传的附件是空文件。"), field=field)
    if size > limit:
        raise RuleError("attachment_too_large",
                        _("附件超过大小限制(最大 %(mb)s MB)。")
                        % {"mb": f"{limit / 1024 / 1024:.0f}"}, field=field)
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    mime = sniff_mime(head, f)
    allowed = list(accept) if accept else list(ALLOWED_TYPES)
    if mime is None or mime not in allowed:
        names = pgettext("list separator", "、").join(str(ALLOWED_TYPES.get(m, m))
                                                     for m in allowed)
        raise RuleError("attachment_type", (_("附件类型不允许:只接受%(names)s(按文件内"
                                             "容判断)。")
                                            % {"names": names}),
                        field=field)
    digest = hashlib.sha256()
    for chunk in f.chunks() if hasattr(f, "chunks") else iter(lambda: f.read(65536), b""):
        digest.update(chunk)
    f.seek(0)
    name = PurePath(getattr(f, "name", "") or "file").name[:200]
    return CheckedFile(mime=mime, sha256=digest.hexdigest(), size=size, original_name=name,
                       extension=EXTENSIONS[mime])


def generated_name(sha256: str, extension: str) -> str:
    """A storage name that reveals nothing of the upload: year/month/random."""
    now = timezone.localtime()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}{extension}"
