"""The catalogue searched as one types (1280 and 390 px, Chinese and English), the error pages,
and the phone's one-row header with its 菜单 (issue 12, points 3, 9 and 10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BEFORE_CATALOGUE_PX = 11_971  # the catalogue's full height at 1280 px before issue 12
BEFORE_HEADER_PX = 170  # the header's height at 390 px before issue 12 (20 % of the screen)


def _note(line: str) -> None:
    """A measurement for the report, kept beside the screenshots."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (SHOTS / "catalogue-and-phone-measures.txt").open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def _height(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def _shown(page: Page) -> set[str]:
    return set(page.eval_on_selector_all(
        "article.procedure:not([hidden])", "cards => cards.map(c => c.id.slice(2))"))


def test_the_catalogue_is_short_and_filters_as_one_types(page: Page, live_server, demo, login,
                                                         shot):
    login(page, "dc_th_committee_member")
    page.goto(f"{live_server.url}/procedures/")
    full = _height(page)
    _note(f"catalogue at 1280 px: {BEFORE_CATALOGUE_PX} px before, {full} px now")
    assert full < BEFORE_CATALOGUE_PX / 3
    shot(page, "catalogue-1280")
    expect(page.locator("#p-04\\.2")).to_contain_text("可发起")
    expect(page.locator("#p-01\\.1")).to_contain_text("由 党支部书记、党支部副书记、支委委员 发起")
    page.get_by_label("查找事项").press_sequentially("sylg")
    expect(page.locator("#catalogue-count")).to_have_text("共 2 个事项")
    assert _shown(page) == {"03.1", "03.2"}
    assert "q=sylg" in page.url
    shot(page, "catalogue-1280-sylg")
    page.get_by_label("查找事项").fill("")
    page.get_by_label("查找事项").press_sequentially("0101")
    assert _shown(page) == {"01.1"}

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/procedures/?q=sylg")  # the server's filter, same answer
    assert _shown(page) == {"03.1", "03.2"}
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "catalogue-390-sylg")


def test_the_english_catalogue_is_searched_in_english(page: Page, live_server, demo, login,
                                                      shot):
    login(page, "dc_th_committee_member")
    page.goto(f"{live_server.url}/procedures/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/procedures/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#catalogue-q").press_sequentially("organisation department")
    shown = _shown(page)
    assert "01.1" in shown and "04.2" not in shown
    shot(page, "catalogue-en")


def test_our_error_pages(page: Page, live_server, demo, login, shot):
    login(page, "dc_yl_committee_member")
    page.goto(f"{live_server.url}/procedures/")
    answer = page.goto(f"{live_server.url}/cases/999999999/")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在,或者您无权查看")
    expect(page.get_by_role("button", name="上一页")).to_be_visible()  # there is a page back
    shot(page, "error-404")
    answer = page.goto(f"{live_server.url}/settings/")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("link", name="换个账号登录")).to_be_visible()
    shot(page, "error-403")
    page.get_by_role("button", name="上一页").click()
    page.wait_for_url("**/cases/999999999/")


def test_the_phone_header_is_one_row_with_a_menu(page: Page, live_server, demo, login, shot):
    login(page, "dc_th_committee_member")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    header = page.locator("header.top").bounding_box()
    assert header is not None
    _note(f"header at 390x844: {BEFORE_HEADER_PX} px before, {header['height']:.0f} px now")
    assert header["height"] <= 0.15 * PHONE["height"]
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()
    menu = page.locator("summary.menu-button")
    box = menu.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    shot(page, "phone-header-closed")
    menu.click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="事项目录", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    link = nav.get_by_role("link", name="事项目录", exact=True).bounding_box()
    assert link is not None and link["height"] >= 44
    shot(page, "phone-header-open")
    nav.get_by_role("link", name="事项目录", exact=True).click()
    page.wait_for_url(f"{live_server.url}/procedures/")
    expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 900})  # a wide screen: no menu button
    page.goto(f"{live_server.url}/")
    expect(page.locator("summary.menu-button")).to_be_hidden()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    shot(page, "header-1280")
