"""A village and a community read in their own words (issue 11, point 12): 桃花村 prints
村民委员会 / 村务监督委员会 / 村务公开栏, 清泉社区 prints 居民委员会 / 居务监督委员会 /
居务公开栏, in the catalogue, the case page, the board and the notice; no "(社区)", "(居)"
or "村(居)" is left for either to read, and a notice is signed by the body that posts it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.driver import open_case, walk_data
from tests.exports import pdf_text
from workflows.models import PublicityNotice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARED_FORMS = re.compile(r"[(\uff08](社区|居)[)\uff09]")
PLACES = {
    # slug: (user, the committee, its supervisory committee, its board, a word it never prints)
    "dc_th": ("dc_th_committee_member", "桃花村村民委员会", "桃花村村务监督委员会", "村务公开栏",
              "居务监督委员会"),
    "xh_qq": ("xh_qq_committee_member", "清泉社区居民委员会", "清泉社区居务监督委员会",
              "居务公开栏", "村务监督委员会"),
}


def _to_publicity(procedure: str, village) -> int:
    """A case of ``procedure`` taken to its first notice, the usual way forward."""
    driver = open_case(procedure, village, title="耕地地力保护补贴农户清册")
    data = walk_data().get(procedure, {})
    for _ in range(10):
        if driver.step == "village_publicity":
            return driver.id
        for username in driver.candidates():
            answer = driver.try_(username, **data.get(driver.step, {}))
            if answer is not None:
                assert answer.status_code == 200, answer.content.decode()
                driver._answer = answer
                break
    raise AssertionError(driver.step)


def _main_text(page: Page) -> str:
    """The page's text as a cadre reads it, without the sources it cites as written (a
    law's name, the model text's own words, which say 村(居) where they do)."""
    page.evaluate("document.querySelectorAll('main .cited').forEach(e => e.remove())")
    return page.locator("main").inner_text()


def _no_shared_forms(text: str) -> None:
    found = SHARED_FORMS.search(text)
    assert found is None, repr(text[max(0, found.start() - 40):found.end() + 20])


@pytest.mark.parametrize("slug", list(PLACES))
def test_a_village_and_a_community_read_in_their_own_words(page: Page, live_server, demo,
                                                           login, shot, client, slug):
    username, committee, supervisory, board, foreign = PLACES[slug]
    village = demo[slug]
    case_id = _to_publicity("06", village)

    # the catalogue and a procedure page, as a cadre of the place
    login(page, username)
    page.goto(f"{live_server.url}/procedures/")
    text = _main_text(page)
    _no_shared_forms(text)
    assert foreign not in text
    assert supervisory[len(village.name):] in text  # 村务监督委员会 / 居务监督委员会
    shot(page, f"words-{slug}-catalogue")
    page.goto(f"{live_server.url}/procedures/03.1/")
    text = _main_text(page)
    _no_shared_forms(text)
    assert ("居民" in text) is (slug == "xh_qq")

    # the case page
    page.goto(f"{live_server.url}/cases/{case_id}/")
    text = _main_text(page)
    _no_shared_forms(text)

    # the public board: the body's words, the notice signed by the committee
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/board/{village.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{village.name} · {board}")
    text = _main_text(page)
    _no_shared_forms(text)
    assert f"发布单位:{committee}" in text
    assert f"向{supervisory}反映" in text
    shot(page, f"words-{slug}-board")

    # the notice to post on the wall: signed by the committee, not by the place
    notice = PublicityNotice.objects.get(case_id=case_id)
    client.force_login(notice.case.opened_by)
    pdf = client.get(f"/notices/{notice.pk}.pdf")
    assert pdf.status_code == 200
    words = re.sub(r"\s+", "", pdf_text(pdf.content, layout=False))
    assert committee in words
    assert f"请向{supervisory}反映" in words
    _no_shared_forms(words)
