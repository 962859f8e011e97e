"""Screenshots of the main pages at desktop (1280 px) and phone (375 px) width.

Each page is opened by the user who works it; the test checks that it answers,
that nothing is wider than the phone screen, and that every visible input has a label.
The screenshots (artifacts/screenshots/page-*.png) are for people to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from core.models import User
from tests.driver import GATE, CaseDriver, open_case
from tests.samples import upload_pdf
from workflows.acting import openable_villages
from workflows.models import Case
from workflows.registry import registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 375)

# inputs without a <label for>, an enclosing label, aria-label or aria-labelledby
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
               && !e.getAttribute('aria-labelledby'))
  .map(e => e.name || e.id)"""


def _open(code: str, village: Any, title: str) -> CaseDriver:
    """Opened by the first demo user the catalogue lets open it here."""
    spec = registry.get(code)
    for user in User.objects.filter(is_active=True).order_by("username"):
        if openable_villages(user, spec, [village]):
            return open_case(code, village, user.username, title=title, via=GATE)
    raise AssertionError(code)


def _cases(demo: dict[str, Any]) -> dict[str, int]:
    from tests.subsidies.helpers import LI, WANG, open_subsidy, submit_roster, xlsx

    village = demo["dc_th"]
    party = _open("01.1", village, "张小明入党申请")
    petition = _open("07.2", village, "村民反映道路积水")
    subsidy = open_subsidy(village.pk)
    submit_roster(subsidy, xlsx([("王建国", WANG, 3.5), ("李秀英", LI, 2)]))
    _open("06", village, "2027年度耕地地力保护补贴")  # waits in the township's queue
    member = "dc_th_committee_member"
    seal = open_case("04.2", village, member, title="开具居住证明用印", via=GATE)
    seal.do(member, "apply", samples=False, purpose="开具居住证明", matter="routine", copies=1,
            document=upload_pdf())
    return {"01.1": party.id, "07.2": petition.id, "06": subsidy.id}


def _worker(case_id: int) -> str:
    from workflows.serializers import actions_json

    case = Case.objects.get(pk=case_id)
    for user in User.objects.filter(is_active=True, username__startswith="dc_th_"):
        if any(a["kind"] not in ("return", "withdraw") for a in actions_json(user, case)):
            return user.username
    raise AssertionError(case_id)


def test_screenshots_of_the_main_pages(page: Page, live_server, demo, login, shot,
                                       media_tmp):
    ids = _cases(demo)
    village = demo["dc_th"].pk
    pages = [
        ("inbox", "dc_th_committee_director", "/"),
        ("case-01.1", _worker(ids["01.1"]), f"/cases/{ids['01.1']}/"),
        ("case-06", _worker(ids["06"]), f"/cases/{ids['06']}/"),
        ("case-07.2", _worker(ids["07.2"]), f"/cases/{ids['07.2']}/"),
        ("cases", "dc_th_committee_director", "/cases/"),
        ("catalogue", "dc_th_committee_member", "/procedures/"),
        ("review", "dc_township_government", "/review/"),
        ("dashboard", "sfq_district_org", "/dashboard/"),
        ("audit", "dc_th_supervisory_member", f"/audit/{village}/"),
        ("registers", "dc_th_committee_director", "/registers/"),
        ("board", None, f"/board/{village}/"),
    ]
    problems = []
    who = ""
    for name, username, path in pages:
        if username != who:
            if username:
                login(page, username)
            else:
                page.context.clear_cookies()
            who = username or ""
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (name, path)
            page.wait_for_load_state("networkidle")
            if name == "audit":  # open the first case's full record
                page.locator("details.case-card summary").first.click()
            shot(page, f"page-{name}-{width}")
            unlabelled = page.evaluate(UNLABELLED)
            if unlabelled:
                problems.append((name, width, "unlabelled", unlabelled))
            if width == 375:
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > 375:
                    problems.append((name, width, "scroll width", wide))
                if name.startswith("case-"):  # the step's form starts on the first screens
                    top = page.evaluate(
                        "document.querySelector('section.current').getBoundingClientRect().top"
                        " + window.scrollY")
                    if top > 700:
                        problems.append((name, width, "form starts at", top))
    assert not problems, problems
