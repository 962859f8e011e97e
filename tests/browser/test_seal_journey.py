"""Journey 1: a committee seal use (04.2) from application to the register, in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.models import Region
from tests.samples import pdf_bytes
from workflows.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_task(page: Page, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_committee_seal_use_from_application_to_audit(page: Page, live_server, demo, login,
                                                      shot):
    village = Region.objects.get(code=demo["dc_th"].code)
    title = "出具村民居住证明用印"

    # the applicant opens the case from the catalogue
    login(page, "dc_th_committee_member")
    page.get_by_role("link", name="事项目录", exact=True).click()
    page.locator("#p-04\\.2").get_by_role("link", name="发起").click()
    expect(page.get_by_label("所属村", exact=True)).to_have_value(str(village.pk))
    page.get_by_label("标题").fill(title)
    page.get_by_role("button", name="发起").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # sending without the document is refused next to the field; what was typed stays
    page.get_by_label("用印事由").fill("为村民张三出具居住证明")
    page.get_by_label("事项类别").select_option(label="一般常规业务")
    page.get_by_label("份数").fill("3")
    page.get_by_role("button", name="提交用印申请").click()
    error = page.locator("#apply-document-error")
    expect(error).to_contain_text("请上传“待盖章文件”")
    expect(page.get_by_label("用印事由")).to_have_value("为村民张三出具居住证明")
    expect(page.get_by_label("份数")).to_have_value("3")
    shot(page, "seal-01-refused-without-document")

    # with the PDF: the preview names the file and its size, then the case moves on
    page.get_by_label("待盖章文件").set_input_files(
        {"name": "居住证明.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("proof")})
    expect(page.locator("#apply-document-preview")).to_contain_text("居住证明.pdf")
    shot(page, "seal-02-application-with-preview")
    page.get_by_role("button", name="提交用印申请").click()
    expect(page.locator(".messages")).to_contain_text("已办理:提交用印申请")
    expect(page.locator(".card.current h2")).to_contain_text("审批签字")

    # the director finds it among their tasks and approves
    login(page, "dc_th_committee_director")
    expect(page.locator(".task-list")).to_contain_text(title)
    shot(page, "seal-03a-director-my-tasks")
    open_task(page, title)
    expect(page.locator(".timeline")).to_contain_text("居住证明.pdf")
    page.get_by_label("审批意见").fill("同意")
    shot(page, "seal-03-director-approves")
    page.get_by_role("button", name="同意并签字").click()
    expect(page.locator(".card.current h2")).to_contain_text("加盖公章")

    # the keeper stamps; the case closes and the register gets its entry
    login(page, "dc_th_seal_keeper")
    open_task(page, title)
    page.get_by_label("实际盖章份数").fill("3")
    page.get_by_label("用印资料已留存").check()
    page.get_by_role("button", name="确认已用印").click()
    expect(page.locator(".case-meta .state")).to_have_text("已办结")
    case = Case.objects.get(title=title)
    assert case.state == "closed"
    assert case.event_count == 4

    # the supervisory committee member sees the case and its whole timeline, read-only
    login(page, "dc_th_supervisory_member")
    page.get_by_role("link", name="办理记录", exact=True).click()
    page.get_by_role("link", name=title).click()
    expect(page.locator(".timeline li.ev")).to_have_count(4)
    expect(page.locator(".note")).to_contain_text("不能办理")
    expect(page.locator("details.action")).to_have_count(0)
    shot(page, "seal-04-supervisor-timeline")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    shot(page, "seal-05-supervisor-timeline-375px")
    page.set_viewport_size({"width": 1280, "height": 900})
    nav = page.get_by_role("navigation", name="主导航")
    audit = nav.get_by_role("link", name="监督", exact=True)
    if audit.count():
        audit.click()
        response = page.goto(f"{live_server.url}/audit/{village.pk}/")
        assert response is not None and response.status == 200
        expect(page.locator("main")).to_contain_text(title)
        shot(page, "seal-06-audit-view")

    # the district civil affairs bureau (guiding unit of 04.2) sees it in its case list
    login(page, "sfq_district_civil_affairs")
    page.goto(f"{live_server.url}/cases/?procedure=04.2")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile("共 1 件"))
    shot(page, "seal-07-district-case-list")

    # the township sees its villages at a glance
    login(page, "dc_township_party")
    page.get_by_role("link", name="镇(街道)审核").click()
    expect(page.locator("table.overview")).to_contain_text(village.name)
    shot(page, "seal-08-township-review")
