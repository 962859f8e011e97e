"""The 全程纪实 PDF in parts (workflows.pdfparts): pages of events that filled once are kept
and never rendered again; after a new event only the live document (the head, the newest
events' page, the trail) is rendered, and the joined pages read as one record, numbered."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from core.dates import local_moment
from core.models import User
from tests.portal.pages import scenario
from workflows import gate, pdfparts, pdfstamp
from workflows.models import Case, CaseEvent


def _pages(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(body)).pages]


class _Keys:
    """The cache as ``workflows.pdfparts`` sees it, noting every key it sets (whatever the
    backend: locmem here, Redis on CI)."""

    def __init__(self) -> None:
        self.set_keys: list[str] = []

    def set(self, key, *args, **kwargs):
        self.set_keys.append(key)
        return cache.set(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(cache, name)


def _kept_keys(monkeypatch) -> list[str]:
    keys = _Keys()
    monkeypatch.setattr(pdfparts, "cache", keys)
    return keys.set_keys


def _renders(monkeypatch) -> list[str]:
    """What is rendered from here on, by kind: "live" (the head and the newest events),
    "summary", "trail", "part" (sealed events), "sheet" (page numbers), "stamp"."""
    seen: list[str] = []
    real_pdf, real_document = pdfstamp.render_pdf, pdfparts.render_document

    def counting(html: str) -> bytes:
        seen.append("summary" if 'class="pp-summary"' in html else
                    "trail" if 'class="pp-trail"' in html else
                    "part" if 'class="pp-items"' in html else
                    "sheet" if "counter(pages)" in html else
                    "stamp" if "@bottom-left" in html else "other")
        return real_pdf(html)

    def counting_document(html: str):
        seen.append("live")
        return real_document(html)

    monkeypatch.setattr(pdfstamp, "render_pdf", counting)
    monkeypatch.setattr(pdfparts, "render_document", counting_document)
    return seen


def _nudge(case_id: int, day: int, text: str) -> None:
    """One 催办 of the case's open task, ``day`` days from now (one a person a day)."""
    actor = User.objects.get(username="dc_township_party")
    with time_machine.travel(timezone.now() + dt.timedelta(days=day), tick=False):
        gate.nudge(actor=actor, case_id=case_id, comment=text)


@pytest.fixture
def long_case(demo) -> int:
    """An open seal case of 32 events: opened, applied for, then 30 催办 on 30 days."""
    cache.clear()
    case_id = scenario.seal(demo["dc_th"], "dc_th", "出具收入证明", finish=False)
    for day in range(1, 31):
        _nudge(case_id, day, f"催办第{day:02d}次")
    assert Case.objects.get(pk=case_id).event_count == 32
    return case_id


def _events_in_order(text: str, case_id: int) -> list[int]:
    """The case's events by where the record shows each one's hash (each exactly once)."""
    flat = text.replace("\n", "").replace(" ", "")
    where = {}
    for event in CaseEvent.objects.filter(case_id=case_id):
        assert flat.count(event.hash[:24]) == 1, (event.seq, flat.count(event.hash[:24]))
        where[event.seq] = flat.index(event.hash[:24])
    return sorted(where, key=where.__getitem__)


def _content(page: str) -> str:
    """A page's text without the download stamp (who, when)."""
    return "\n".join(line for line in page.splitlines() if "导出时间" not in line)


def test_a_new_event_renders_only_the_live_document(web, long_case, monkeypatch):
    client = web("dc_th_supervisory_member")
    url = f"/audit/case/{long_case}.pdf"
    renders = _renders(monkeypatch)
    keys = _kept_keys(monkeypatch)
    first = client.get(url).content
    # nothing kept yet: all of it, once
    assert renders == ["live", "summary", "trail", "sheet", "stamp"]
    assert len(_pages(first)) >= 4
    plans = [cache.get(k) for k in keys if k.startswith("pdf-plan:")]
    assert plans and all(plans), "the first rendering sealed the filled pages of events"

    renders.clear()
    _nudge(long_case, 31, "催办第31次")
    after = client.get(url).content
    # the sealed events' pages, the summary and the trail (a 催办 adds no file, notice or
    # meeting) came from the cache: only the live document and the stamp
    assert renders == ["live", "stamp"]
    text = "\n".join(_pages(after))
    assert "催办第31次" in text and "催办第31次" not in "\n".join(_pages(first))
    # every event, in order, each once, with what it said
    assert _events_in_order(text, long_case) == list(range(1, 34))
    said = [text.index(f"催办第{day:02d}次") for day in range(1, 31)]
    assert said == sorted(said) and said[-1] < text.index("催办第31次")

    renders.clear()
    again = client.get(url).content
    assert renders == ["stamp"]  # nothing changed: the kept body, stamped
    assert [_content(p) for p in _pages(again)] == [_content(p) for p in _pages(after)]


def test_pages_are_numbered_and_stamped_in_order(web, long_case):
    client = web("dc_th_supervisory_member")
    url = f"/audit/case/{long_case}.pdf"
    client.get(url)
    _nudge(long_case, 31, "催办第31次")
    moment = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(moment, tick=False):
        body = client.get(url).content
    exported = f"导出时间:{local_moment(moment)}"
    user = User.objects.get(username="dc_th_supervisory_member")
    reader = getattr(user, "full_name", "") or user.get_username()
    pages = _pages(body)
    total = len(pages)
    assert total >= 4
    for n, text in enumerate(pages, start=1):
        assert f"第 {n} 页 /" in text, (n, text[-120:])
        assert f"共 {total} 页" in text
        assert exported in text and f"导出人:{reader}" in text
        assert "全程纪实 · 事项编号" in text  # the running head of every page
        others = re.findall(r"第 (\d+) 页 /", text)
        assert others == [str(n)], others  # one number a page, its own
    # the record reads as one document: its sections once each and in order
    whole = "\n".join(pages)
    marks = ["事项办理全程纪实", "一、事项概要", "二、办理记录", "三、附件清单", "四、公示及异议",
             "五、会议与表决", "六、校验结论"]
    at = [whole.index(m) for m in marks]
    assert at == sorted(at) and all(whole.count(m) == 1 for m in marks[1:])
    assert "二、办理记录" in pages[1]  # the events start a page of their own, after the head


def test_a_changed_head_changes_the_pdf(web, long_case, monkeypatch):
    """The head says the case's state: when the case closes it is rendered anew, the kept
    event pages are not, and the new state is what the PDF says."""
    client = web("dc_th_supervisory_member")
    url = f"/audit/case/{long_case}.pdf"
    before = _pages(client.get(url).content)
    renders = _renders(monkeypatch)
    case = Case.objects.get(pk=long_case)
    Case.objects.filter(pk=long_case).update(state="withdrawn", closed_at=timezone.now())
    after = _pages(client.get(url).content)
    assert renders[0] == "live" and renders[-1] == "stamp"
    assert "part" not in renders  # the kept event pages are not rendered again
    assert case.get_state_display() in before[0]
    withdrawn = Case(state="withdrawn").get_state_display()
    assert withdrawn in after[0] and withdrawn not in before[0]
    assert len(after) == len(before)
    assert [_content(p) for p in after[1:-2]] == [_content(p) for p in before[1:-2]]


def test_an_evicted_part_is_rendered_alone_from_its_html(web, long_case, monkeypatch):
    client = web("dc_th_supervisory_member")
    url = f"/audit/case/{long_case}.pdf"
    keys = _kept_keys(monkeypatch)
    whole = "\n".join(_pages(client.get(url).content))
    evicted = [k for k in keys if k.startswith(("pdf-body:", "pdf-parted:"))]
    assert any(k.startswith("pdf-body:") for k in evicted)
    for key in evicted:
        cache.delete(key)  # the sealed parts and the joined body evicted
    renders = _renders(monkeypatch)
    again = "\n".join(_pages(client.get(url).content))
    assert renders.count("part") >= 1 and "live" in renders
    assert _events_in_order(again, long_case) == _events_in_order(whole, long_case) \
        == list(range(1, 33))


def test_the_parts_follow_the_reader_language(web, long_case, settings, monkeypatch):
    client = web("dc_th_supervisory_member")
    url = f"/audit/case/{long_case}.pdf"
    chinese = "\n".join(_pages(client.get(url).content))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    renders = _renders(monkeypatch)
    english = "\n".join(_pages(client.get(url).content))
    assert renders[0] == "live"  # the Chinese parts are not the English ones
    assert "part" not in renders
    assert "Full record of a case" in english and "事项办理全程纪实" in chinese
    assert "事项办理全程纪实" not in english
    assert _events_in_order(english, long_case) == list(range(1, 33))
