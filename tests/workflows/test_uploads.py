"""Uploads: type by content, size limit, SHA-256."""

import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import RuleError
from tests.samples import pdf_bytes, png_bytes
from workflows.attachments import DOCX, JPEG, PDF, PNG, XLSX, check_upload


def up(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def xlsx_bytes():
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(("content", "mime"), [
    (pdf_bytes(), PDF), (png_bytes(), PNG), (b"\xff\xd8\xff\xe0" + b"\x00" * 64, JPEG),
    (docx_bytes(), DOCX), (xlsx_bytes(), XLSX),
])
def test_type_is_decided_by_content(content, mime):
    checked = check_upload(up("whatever.bin", content))
    assert checked.mime == mime
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


def test_text_renamed_to_pdf_is_refused():
    with pytest.raises(RuleError) as err:
        check_upload(up("公文.pdf", b"plain text pretending"), field="document")
    assert err.value.code == "attachment_type"
    assert err.value.field == "document"


def test_zip_that_is_not_office_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.txt", "x")
    with pytest.raises(RuleError) as err:
        check_upload(up("a.docx", out.getvalue()))
    assert err.value.code == "attachment_type"


def test_accept_narrows_the_types():
    with pytest.raises(RuleError):
        check_upload(up("a.pdf", pdf_bytes()), accept=[PNG, JPEG])


def test_empty_and_too_large_are_refused(settings):
    with pytest.raises(RuleError) as err:
        check_upload(up("a.pdf", b""))
    assert err.value.code == "attachment_empty"
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(RuleError) as err:
        check_upload(up("a.pdf", pdf_bytes()))
    assert err.value.code == "attachment_too_large"
