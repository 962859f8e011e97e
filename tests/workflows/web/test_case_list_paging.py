"""The case list counts at most COUNT_CAP matches ("1,000 件以上" past it) and still pages on:
next/previous past page 20, and a page number beyond the end gives the last page."""

from __future__ import annotations

import re

import pytest

from tests.factories import CaseFactory
from workflows.web import queries, views

MEMBER = "dc_th_committee_member"


@pytest.fixture
def small_pages(monkeypatch):
    """Two cases a page and a count capped at 5, so that a few dozen rows page past 20."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(queries, "COUNT_CAP", 5)


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/cases/\d+/">(样本[0-9]+)</a>', html)


def _cases(demo, n: int) -> list[str]:
    for i in range(n):
        CaseFactory(region=demo["dc_th"], procedure="04.2", title=f"样本{i:03d}")
    # the list's order: newest first (the same opened_at: by pk, descending)
    return [f"样本{i:03d}" for i in reversed(range(n))]


def test_a_count_under_the_cap_is_exact(web, demo, small_pages):
    _cases(demo, 4)
    page = web(MEMBER).get("/cases/?procedure=04.2&q=样本").content.decode()
    assert "共 4 件" in page and "以上" not in page
    assert "第 1 / 2 页" in page


def test_a_count_just_at_the_cap_is_exact(web, demo, small_pages):
    _cases(demo, 5)
    page = web(MEMBER).get("/cases/?procedure=04.2&q=样本").content.decode()
    assert "共 5 件" in page and "以上" not in page


def test_past_the_cap_the_list_says_more_than_the_cap(web, demo, small_pages):
    _cases(demo, 6)
    page = web(MEMBER).get("/cases/?procedure=04.2&q=样本").content.decode()
    assert "共 5 件以上" in page
    assert "第 1 页" in page and " / " not in re.search(r"第 1[^<]*页", page).group(0)
    english = web(MEMBER).get("/cases/?procedure=04.2&q=样本",
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "5+ cases" in english


def test_the_default_cap_is_shown_with_a_thousands_separator():
    assert queries.CappedPaginator([], 25).cap_text == "1,000"


def test_pages_past_twenty_page_on_by_next_and_previous(web, demo, small_pages):
    order = _cases(demo, 45)  # 23 pages of 2
    client = web(MEMBER)
    page = client.get("/cases/?procedure=04.2&q=样本&page=21").content.decode()
    assert _titles(page) == order[40:42]
    assert "page=22" in page and "page=20" in page
    last = client.get("/cases/?procedure=04.2&q=样本&page=23").content.decode()
    assert _titles(last) == order[44:45]
    assert "page=22" in last and "page=24" not in last


def test_a_page_beyond_the_end_gives_the_last_page(web, demo, small_pages):
    order = _cases(demo, 45)
    page = web(MEMBER).get("/cases/?procedure=04.2&q=样本&page=99").content.decode()
    assert _titles(page) == order[44:45]
    # counted in full to find the last page: the exact number and the page of pages
    assert "共 45 件" in page and "第 23 / 23 页" in page


def test_a_bad_page_number_gives_the_first_page(web, demo, small_pages):
    order = _cases(demo, 8)
    page = web(MEMBER).get("/cases/?procedure=04.2&q=样本&page=abc").content.decode()
    assert _titles(page) == order[:2]
