"""The README's "试一试 / Try it" walks, in Chromium, on the demo scenario's cases
(loaded here as ``seed_demo`` loads it). Screenshots: artifacts/screenshots/walk-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.scenario import load_scenario
from tests.samples import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_case(page: Page, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_the_readme_walks(page: Page, live_server, demo, login, shot, settings):
    load_scenario()
    base = live_server.url
    settings.DEBUG = True  # the demo's login page lists the demo logins

    page.goto(f"{base}/accounts/login/")
    expect(page.locator(".demo-logins")).to_contain_text("dc_th_branch_secretary")
    shot(page, "walk-0-login-demo-logins")

    # 1. the branch secretary opens a 四议两公开 and records the branch committee's proposal
    login(page, "dc_th_branch_secretary")
    expect(page.locator("main")).to_contain_text("村文化礼堂修缮工程")
    shot(page, "walk-1-secretary-home")
    open_case(page, "村文化礼堂修缮工程")
    page.get_by_label("事项类别").select_option(index=1)
    page.get_by_label("提议内容(初步意见和方案)").fill("文化礼堂屋面漏雨,拟修缮屋面、更换门窗。")
    page.get_by_label("听取意见和调查论证情况").fill("走访村民代表12人,均赞成修缮。")
    page.get_by_label("召开日期").fill(page.get_by_label("召开日期").get_attribute("max") or "")
    page.get_by_role("button", name="全部到会").click()
    page.get_by_label("赞成").fill("3")
    page.get_by_label("反对").fill("0")
    page.get_by_label("弃权").fill("0")
    page.get_by_label("会议记录(签到表、表决票或记录原件的扫描件)").set_input_files(
        {"name": "支委会记录.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("minutes")})
    page.get_by_role("button", name="提出提议").click()
    expect(page.locator(".messages")).to_contain_text("已办理")
    expect(page.locator(".card.current h2")).to_contain_text("两委会商议")
    shot(page, "walk-1-secretary-proposal-recorded")

    # 2. the committee director approves a seal use waiting for them
    login(page, "dc_th_committee_director")
    expect(page.locator("main")).to_contain_text("开具低保户家庭情况证明用印")
    shot(page, "walk-2-director-home")
    open_case(page, "开具低保户家庭情况证明用印")
    shot(page, "walk-2-director-case")

    # 3. the township party committee reviews the villages' rules in /review/
    login(page, "dc_township_party")
    page.get_by_role("link", name="镇(街道)审核", exact=True).click()
    expect(page.locator("main")).to_contain_text("修订村规民约(移风易俗)")
    shot(page, "walk-3-township-review")
    open_case(page, "修订村规民约(移风易俗)")
    shot(page, "walk-3-township-case")
    # the township government files two villages' fire summaries in one batch
    login(page, "dc_township_government")
    page.get_by_role("link", name="镇(街道)审核", exact=True).click()
    page.get_by_label("事项", exact=True).select_option(value="10.4")
    page.get_by_role("button", name="筛选").click()
    for village in ("桃花村", "杨柳村"):
        page.get_by_label(f"批量审核通过,归档:村仓库火情处置({village})").check()
    page.get_by_label("审核意见(记入所选的每一件事项)").fill("责任追究到位,教训总结深刻,予以归档。")
    shot(page, "walk-3-township-batch")
    page.get_by_role("button", name="批量办理所选事项").click()
    expect(page.locator("#batch-summary")).to_contain_text("成功 2 件,未通过 0 件")
    shot(page, "walk-3-township-batch-done")

    # 4. the district civil affairs bureau: the dashboard, then the rules waiting for filing
    login(page, "sfq_district_civil_affairs")
    page.get_by_role("link", name="统计").click()
    shot(page, "walk-4-district-dashboard")
    page.get_by_role("link", name="去办理").click()  # the dashboard's line of waiting tasks
    expect(page.locator("main")).to_contain_text("修订村规民约(环境卫生)")
    shot(page, "walk-4-district-filing-tasks")

    # 5. the supervisory member: the chain check is green; the closed case's 全程纪实 PDF
    login(page, "dc_th_supervisory_member")
    page.get_by_role("link", name="监督", exact=True).click()
    expect(page.locator("main")).to_contain_text("校验通过")
    expect(page.locator("main")).not_to_contain_text("试图提前结束公示")
    shot(page, "walk-5-audit")
    page.get_by_label("状态").select_option(label="已办结")
    page.get_by_role("button", name="筛选").click()
    page.get_by_text("村集体鱼塘对外承包").first.click()  # its full record opens
    link = page.get_by_role("link", name="导出全程纪实 PDF").first
    expect(link).to_be_visible()
    shot(page, "walk-5-audit-case-record")
    answer = page.request.get(f"{base}{link.get_attribute('href')}")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")

    # 6. a villager reads the board: the running 公示 of the street lights
    page.context.clear_cookies()
    page.goto(f"{base}/board/{demo['dc_th'].pk}/")
    expect(page.locator("main")).to_contain_text("村道路灯安装工程")
    shot(page, "walk-6-villager-board")


def test_every_other_first_screen_has_work_or_a_way(page: Page, live_server, demo, login, shot):
    """The roles the five walks leave out: a task on the first screen, or, with none, where
    to go instead; and the director's case page read in English."""
    load_scenario()
    login(page, "dc_th_collective_head")
    expect(page.locator("main")).to_contain_text("村集体厂房租赁合同用印")
    shot(page, "walk-7-collective-head-home")
    login(page, "dc_th_grid_worker")
    expect(page.locator("main")).to_contain_text("冬季防火网格集中排查")
    login(page, "dc_th_party_member")
    ways = page.locator("a.way")
    expect(ways.first).to_be_visible()
    expect(page.locator("main")).to_contain_text("桃花村公开栏")
    shot(page, "walk-7-party-member-home")
    page.get_by_role("link", name="桃花村公开栏").click()
    expect(page.locator("main")).to_contain_text("村道路灯安装工程")

    login(page, "dc_th_committee_director")
    page.get_by_role("button", name="English").first.click()
    page.get_by_role("link", name="开具低保户家庭情况证明用印").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Waiting for")
    for chinese in ("等待", "已等待", "办理记录", "当前环节"):
        expect(main).not_to_contain_text(chinese)
    shot(page, "walk-8-director-case-english")
