"""The case page's 办理记录 is kept row by row: after a new event only that event's row is
rendered, the older rows are the same as before, and a timeline built row by row is the one
built afresh — in Chinese and in English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.driver import GATE, open_case
from tests.samples import upload_pdf
from workflows.web import casepage

MEMBER = "dc_th_committee_member"
DIRECTOR = "dc_th_committee_director"


def _rows(page: str) -> list[str]:
    timeline = page[page.index('<ol class="timeline">'):page.index("</ol>",
                                                                    page.index('class="timeline"'))]
    return re.findall(r'<li class="ev .*?</li>', timeline, flags=re.S)


@pytest.fixture
def applied(demo):
    case = open_case("04.2", demo["dc_th"], MEMBER, title="出具居住证明用印", via=GATE)
    case.do(MEMBER, "apply", samples=False, purpose="证明", matter="routine", copies=1,
            document=upload_pdf("证明.pdf"))
    return case


@pytest.fixture
def rendered(monkeypatch):
    """The seqs of the events whose rows were built, per page view."""
    seen: list[list[int]] = []
    real = casepage.event_views

    def spy(spec, events, *args, **kwargs):
        views = real(spec, events, *args, **kwargs)
        seen.append([v.seq for v in views])
        return views

    monkeypatch.setattr(casepage, "event_views", spy)
    return seen


def test_a_new_event_renders_only_its_row_and_keeps_the_older_ones(web, applied, rendered):
    client = web(DIRECTOR)
    url = f"/cases/{applied.row.pk}/"
    before = _rows(client.get(url).content.decode())
    assert len(before) == 2 and rendered == [[1, 2]]
    applied.do(DIRECTOR, "approve", samples=False, opinion="同意盖章")
    after = _rows(client.get(url).content.decode())
    assert len(after) == 3 and "同意盖章" in after[2]
    assert after[:2] == before
    assert rendered[1] == [3]  # the approval alone (it is no redo of an earlier doing)


def test_a_redone_step_built_row_by_row_is_the_timeline_built_afresh(web, applied, rendered):
    client = web(DIRECTOR)
    url = f"/cases/{applied.row.pk}/"
    client.get(url)
    applied.do(DIRECTOR, "return", samples=False, step="apply", comment="补充")
    client.get(url)
    applied.do(MEMBER, "apply", samples=False, purpose="出具证明", matter="routine", copies=2,
               document=upload_pdf("证明.pdf"))
    by_rows = _rows(client.get(url).content.decode())
    # the redone 申请 was built with its earlier doing, which it is compared with
    assert rendered[-1] == [2, 4]
    assert "退回后重新办理" in by_rows[3] and 'class="changed"' in by_rows[3]
    cache.clear()
    assert _rows(client.get(url).content.decode()) == by_rows


def test_each_language_keeps_its_own_rows(web, applied):
    client = web(DIRECTOR)
    url = f"/cases/{applied.row.pk}/"
    chinese = _rows(client.get(url).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _rows(client.get(url).content.decode())
    applied.do(DIRECTOR, "approve", samples=False, opinion="同意盖章")
    english_after = _rows(client.get(url).content.decode())
    assert english_after[:2] == english and english != chinese
    assert "发起" not in "".join(english_after) and "Approve" in english_after[2]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese_after = _rows(client.get(url).content.decode())
    assert chinese_after[:2] == chinese and "同意盖章" in chinese_after[2]
