"""Documents previewable before approval (issue 12, point 2): the approver opens the submitted
document in the browser (``?inline=1``) — PDF, PNG, JPEG, WebP only, by the type sniffed from
the bytes when stored — under a restrictive CSP; every other type stays a download; the
same access checks as every download."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.driver import GATE, drive, open_case
from tests.samples import upload_pdf, upload_png
from tests.workflows.test_uploads import docx_bytes
from workflows.attachments import PDF, PNG, WEBP, sniff_mime
from workflows.models import Attachment, Case
from workflows.views import PREVIEW_CSP


def _applied(demo, document) -> Case:
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明用印",
                     via=GATE).row
    drive(case.pk, via=GATE).do("dc_th_committee_member", "apply", samples=False,
                                purpose="证明", matter="routine", copies=1, document=document)
    return case


def _file(case: Case) -> Attachment:
    return Attachment.objects.get(case=case, field="document")


@pytest.mark.parametrize(("upload", "mime"), [(upload_pdf, PDF), (upload_png, PNG)])
def test_a_pdf_or_a_picture_is_shown_inline_under_a_strict_policy(web, demo, upload, mime):
    case = _applied(demo, upload())
    att = _file(case)
    assert att.mime == mime
    response = web("dc_th_committee_director").get(f"/attachments/{att.pk}/?inline=1")
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert csp == PREVIEW_CSP
    for directive in ("sandbox", "default-src 'none'", "img-src 'self'", "object-src 'self'"):
        assert directive in csp
    assert "script-src" not in csp
    # without ?inline=1 it is the download it always was, with no policy of its own
    plain = web("dc_th_committee_director").get(f"/attachments/{att.pk}/")
    assert plain["Content-Disposition"].startswith("attachment;")
    assert "Content-Security-Policy" not in plain


def test_any_other_type_is_only_ever_downloaded(web, demo):
    # a Word file named like a PDF: its type is read from its bytes, not its name
    case = _applied(demo, SimpleUploadedFile("证明.pdf", docx_bytes(),
                                             content_type="application/pdf"))
    att = _file(case)
    assert not att.mime.startswith("application/pdf")
    response = web("dc_th_committee_director").get(f"/attachments/{att.pk}/?inline=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Content-Security-Policy" not in response
    page = web("dc_th_committee_director").get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/attachments/{att.pk}/"' in page
    assert f'href="/attachments/{att.pk}/?inline=1"' not in page


def test_out_of_scope_is_404_inline_too(web, demo):
    att = _file(_applied(demo, upload_pdf()))
    for username in ("dc_yl_committee_director", "xh_township_party"):
        assert web(username).get(f"/attachments/{att.pk}/?inline=1").status_code == 404
    assert web(None).get(f"/attachments/{att.pk}/?inline=1").status_code == 302  # to login


def test_the_approver_sees_the_submitted_documents_with_preview_and_download(web, demo):
    case = _applied(demo, upload_pdf("居住证明.pdf"))
    att = _file(case)
    page = web("dc_th_committee_director").get(f"/cases/{case.pk}/").content.decode()
    found = re.search(r'data-testid="submitted">(.*?)</ul>', page, re.S)
    assert found, "no 已提交的材料 on the approver's page"
    section = found.group(1)
    # in the current step's card, above the approver's forms: read first, then sign
    assert page.index('data-testid="submitted"') < page.index('id="action-approve"')
    assert "已提交的材料" in section and "居住证明.pdf" in section
    # the field it was given for, the step and who
    assert "<strong>待盖章文件</strong>" in section and "申请盖章 · " in section
    assert (f'<a class="button secondary" href="/attachments/{att.pk}/?inline=1" '
            f'target="_blank" rel="noopener" data-testid="preview">预览</a>') in section
    assert f'href="/attachments/{att.pk}/" data-testid="download">下载</a>' in section


def test_one_who_does_not_act_finds_the_list_below_the_current_step(web, demo):
    case = _applied(demo, upload_pdf("居住证明.pdf"))
    page = web("dc_th_supervisory_member").get(f"/cases/{case.pk}/").content.decode()
    assert '<section class="card" aria-labelledby="files-h" data-testid="submitted">' in page
    assert "居住证明.pdf" in page


def test_a_case_without_files_has_no_list(web, demo):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", via=GATE).row
    page = web("dc_th_committee_member").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="submitted"' not in page


def test_webp_is_known_by_its_bytes():
    head = b"RIFF\x24\x00\x00\x00WEBPVP8 "
    assert sniff_mime(head) == WEBP
    assert sniff_mime(b"RIFF\x24\x00\x00\x00WAVEfmt ") is None
