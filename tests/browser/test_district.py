"""A district bureau's day: it lands on its dashboard, reads the ranking of villages and the
trend of each procedure, and clicks a number to arrive at exactly the cases it counts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD
from tests.portal.pages import scenario
from tests.portal.pages.helpers import late_and_on_time

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def rows_listed(page: Page) -> int:
    return page.locator("table.cases tbody tr").count()


def test_a_bureau_lands_on_its_dashboard_and_drills_down(page: Page, live_server, demo, shot):
    cases = scenario.build(demo)
    late_and_on_time(cases)
    base = live_server.url

    sign_in(page, base, "sfq_district_civil_affairs")
    page.wait_for_url(f"{base}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("事项办理看板")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的待办")) \
        .to_have_attribute("href", "/inbox/")
    ranking = page.get_by_test_id("ranking")
    first = ranking.locator("tbody tr").first
    expect(first.locator("th")).to_contain_text("桃花村")  # the one with an overdue case
    expect(first).to_contain_text("33%")
    page.wait_for_selector("#trend svg")
    shot(page, "district-01-dashboard")

    # the overdue number of the worst village: exactly that many cases on the list
    overdue = first.locator("td.late a").first
    shown = int(overdue.inner_text())
    overdue.click()
    page.wait_for_url(re.compile(r"/cases/\?.*overdue=1"))
    expect(page.locator("p.summary")).to_have_text(f"共 {shown} 件")
    assert rows_listed(page) == shown
    shot(page, "district-02-overdue-cases")

    # back, and the number of all its cases
    page.go_back()
    total = page.get_by_test_id("ranking").locator("tbody tr").first.locator("td a").first
    shown = int(total.inner_text())
    total.click()
    expect(page.locator("p.summary")).to_have_text(f"共 {shown} 件")
    assert rows_listed(page) == shown
    # the cases with a step done late: the case list says the dashboard's condition
    page.go_back()
    late = page.locator(f'a[href="/cases/?region={demo["dc_th"].pk}&late=1"]')
    late.click()
    expect(page.get_by_test_id("drilled")).to_contain_text("超时办理")
    assert rows_listed(page) == 1
    shot(page, "district-03-late-cases")

    # the trend of one procedure, and its numbers by month
    page.go_back()
    page.select_option("#trend-procedure", label="04.2 村委会印章使用和管理")
    page.locator("#trend-card summary").click()
    page.locator("#trend-card").scroll_into_view_if_needed()
    shot(page, "district-04-trend")
    opened = page.locator("#trend-card table a[href*='procedure=04.2'][href*='opened_month']")
    shown = int(opened.last.inner_text())
    opened.last.click()
    expect(page.get_by_test_id("drilled")).to_contain_text("发起月份")
    assert rows_listed(page) == shown

    # on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/dashboard/")
    page.wait_for_selector("#trend svg")
    shot(page, "district-05-phone")
