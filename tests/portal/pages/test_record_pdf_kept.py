"""The 全程纪实 PDF is rendered once for what the record says and stamped for each download:
the second download comes from the cache, a new event makes a new body, and every page names
who exported it and when."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from urllib.parse import unquote

import time_machine
from django.core.cache import cache
from pypdf import PdfReader

from tests.portal.pages import scenario
from workflows import pdfparts, pdfstamp
from workflows.models import Case


def _pages(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(body)).pages]


def _renders(monkeypatch) -> list[str]:
    """The HTML documents WeasyPrint is asked to render from here on (the record's live
    document, its sealed parts, the page-number sheet, the stamps)."""
    seen: list[str] = []
    real_pdf, real_document = pdfstamp.render_pdf, pdfparts.render_document

    def counting(html: str) -> bytes:
        seen.append(html)
        return real_pdf(html)

    def counting_document(html: str):
        seen.append(html)
        return real_document(html)

    monkeypatch.setattr(pdfstamp, "render_pdf", counting)
    monkeypatch.setattr(pdfparts, "render_document", counting_document)
    return seen


def test_every_page_names_who_exported_it_and_when(web, demo):
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    with time_machine.travel(dt.datetime(2026, 12, 3, 2, 30, tzinfo=dt.UTC), tick=False):
        body = web("dc_th_supervisory_member").get(f"/audit/case/{case_id}.pdf").content
    pages = _pages(body)
    name = Case.objects.get(pk=case_id).region.name
    assert pages and all("导出时间:2026年12月3日 10:30" in p for p in pages), pages[0][-200:]
    assert all("导出人:" in p and "第" in p for p in pages)
    assert "出具居住证明" in pages[0] and name


def test_a_second_download_is_stamped_on_the_kept_body(web, demo, monkeypatch):
    cache.clear()
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    client = web("dc_th_supervisory_member")
    renders = _renders(monkeypatch)
    first = client.get(f"/audit/case/{case_id}.pdf").content
    # the body (its head and events, its summary, its trail), the page numbers, the stamp
    assert len(renders) == 5
    second = client.get(f"/audit/case/{case_id}.pdf").content
    assert len(renders) == 6  # the stamp alone: the body came from the cache
    assert _pages(first)[0] == _pages(second)[0]
    # another reader gets the same body with their own stamp
    third = web("dc_township_party").get(f"/audit/case/{case_id}.pdf").content
    assert len(renders) == 7
    assert _pages(third)[0] != _pages(first)[0]  # the stamp names the other reader


def test_a_new_event_makes_a_new_body(web, demo, monkeypatch):
    cache.clear()
    driver = scenario.seal_case(demo["dc_th"], "dc_th", "出具收入证明", finish=False)
    client = web("dc_th_supervisory_member")
    before = client.get(f"/audit/case/{driver.id}.pdf").content
    renders = _renders(monkeypatch)
    driver.do("dc_th_committee_director", "approve", samples=False, opinion="同意出具")
    after = client.get(f"/audit/case/{driver.id}.pdf").content
    kinds = ["live" if 'id="pp-top"' in h else "summary" if 'class="pp-summary"' in h
             else "stamp" if '@bottom-left' in h else "other" for h in renders]
    # the record changed: its head and events anew (the summary below the head too, when the
    # head grew a line: the state names the new step), then the stamp
    assert kinds[0] == "live" and kinds[-1] == "stamp", kinds
    assert set(kinds) <= {"live", "summary", "stamp"}, kinds
    assert "同意出具" in "".join(_pages(after)) and "同意出具" not in "".join(_pages(before))


def test_the_language_is_part_of_what_is_kept(web, demo, settings):
    cache.clear()
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    client = web("dc_th_supervisory_member")
    chinese = "".join(_pages(client.get(f"/audit/case/{case_id}.pdf").content))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = "".join(_pages(client.get(f"/audit/case/{case_id}.pdf").content))
    assert "事项办理全程纪实" in chinese and "Full record of a case" in english
    assert "Exported" in english and "导出时间" not in english


def test_a_stamp_line_cannot_end_its_css_string():
    text = '张三"; } body { display: none } </style><script>\n'
    escaped = pdfstamp.css_string(text)
    assert '"' not in escaped and "<" not in escaped and "\n" not in escaped
    assert escaped.startswith("张三\\22 ")


def test_the_pdf_is_named_in_chinese_with_an_ascii_fallback(web, demo):
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    with time_machine.travel(dt.datetime(2026, 12, 3, 2, 30, tzinfo=dt.UTC), tick=False):
        answer = web("dc_th_supervisory_member").get(f"/audit/case/{case_id}.pdf")
    header = answer["Content-Disposition"]
    assert header.startswith(f'inline; filename="case-{case_id}-2026-12-03.pdf"; filename*=')
    assert unquote(header.split("UTF-8''")[1]) == "桃花村-出具居住证明-全程纪实-2026-12-03.pdf"
