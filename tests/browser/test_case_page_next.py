"""The case page tells you what happens next (issue 12, point 2), in a browser: 催办 from the
band, 01.1's stepper by stage on a desktop and a phone, the approver's 已提交的材料 with a
preview that Chromium's PDF viewer shows under the preview's CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.driver import GATE, drive, open_case
from tests.samples import upload_pdf
from workflows.choices import EventAction
from workflows.models import Case, CaseEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _applied(demo) -> Case:
    """A 04.2 seal use waiting at 审批签字 for the committee director."""
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member",
                     title="出具村民居住证明用印", via=GATE).row
    drive(case.pk, via=GATE).do("dc_th_committee_member", "apply", samples=False,
                                purpose="为村民张三出具居住证明", matter="routine", copies=2,
                                document=upload_pdf("居住证明.pdf", "Proof of residence"))
    return case


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        "the page scrolls sideways"


def test_a_village_cadre_nudges_the_director_from_the_band(page: Page, live_server, demo,
                                                           login, shot):
    case = _applied(demo)
    login(page, "dc_th_branch_secretary")  # not the holder of 审批签字
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    band = page.locator(".next-band")
    expect(band.get_by_test_id("next-band")).to_contain_text("等待")
    button = band.get_by_role("button", name="催办")
    expect(button).to_be_visible()
    shot(page, "case-nudge-band")
    button.click()
    expect(page.locator(".messages")).to_contain_text("已催办,已通知")
    expect(band.get_by_role("button", name="今日已催办")).to_be_disabled()
    expect(page.locator(".timeline .ev-nudge")).to_contain_text("催办对象")
    shot(page, "case-nudge-done")
    assert CaseEvent.objects.filter(case=case, action=EventAction.NUDGE).count() == 1
    # the director, who holds the task, is told and has no button of his own
    login(page, "dc_th_committee_director")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("main")).to_contain_text("【催办】")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator(".next-band").get_by_role("button")).to_have_count(0)


def test_recruitment_stepper_by_stage_on_desktop_and_phone(page: Page, live_server, demo,
                                                           login, shot):
    case = open_case("01.1", demo["dc_th"], via=GATE, title="张三入党申请").row
    drive(case.pk, via=GATE).do(case.opened_by.username, "register")
    login(page, case.opened_by.username)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    stages = page.get_by_test_id("stages").locator("details.stage")
    expect(stages).to_have_count(5)
    expect(stages.nth(0)).to_have_attribute("open", "")
    expect(stages.nth(0)).to_contain_text("已办 1/2")
    for i in range(1, 5):
        expect(stages.nth(i)).not_to_have_attribute("open", "")
    shot(page, "case-stepper-stages")
    # a closed stage opens on a tap
    stages.nth(2).locator("summary").click()
    expect(stages.nth(2).locator("li").first).to_be_visible()
    stages.nth(2).locator("summary").click()
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _no_sideways_scroll(page)
    expect(page.get_by_test_id("stages").locator("details.stage").nth(0)).to_contain_text(
        "一个月内派人谈话")
    shot(page, "case-stepper-stages-phone")


def test_the_seal_approver_previews_the_document(page: Page, live_server, demo, login, shot):
    case = _applied(demo)
    login(page, "dc_th_committee_director")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    files = page.get_by_test_id("submitted")
    expect(files).to_contain_text("已提交的材料")
    expect(files).to_contain_text("居住证明.pdf")
    shot(page, "case-documents-preview")
    with page.context.expect_page() as opened:
        files.get_by_test_id("preview").click()
    preview = opened.value
    preview.wait_for_load_state("commit")
    preview.wait_for_timeout(1500)
    assert "inline=1" in preview.url
    # the PDF viewer shows the document in the new tab (the preview's CSP does not block it)
    response = page.request.get(preview.url)
    assert response.headers["content-disposition"].startswith("inline")
    assert "sandbox" in response.headers["content-security-policy"]
    shot(preview, "case-document-pdf")
    preview.close()
