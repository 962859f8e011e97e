"""Journey 2: 四议两公开 (03.1) through its meetings and publicity to the public board.

The live server runs in this process, so moving the clock with time_machine moves it
for the server too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from core.models import Region
from tests.samples import pdf_bytes, png_bytes
from workflows.models import Case, PublicityNotice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
RESOLUTION = "村集体鱼塘由张某以每年2.3万元承包五年"


def open_panel(page: Any, action: str) -> None:
    """Open the panel of ``action`` by its summary, as a cadre would, when it is closed
    (during a 公示 the page opens 登记张贴情况 first, not the end of the window)."""
    panel = page.locator(f"details#action-{action}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").first.click()
    expect(panel).to_have_attribute("open", "")


def minutes(page: Page, code: str) -> None:
    page.locator(f"#{code}-minutes").set_input_files(
        {"name": "会议记录.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("minutes")})


def meeting(page: Page, code: str, present: int, yes: int, no: int = 0,
            abstain: int = 0, *, held: str = "2026-11-02") -> None:
    """Date the meeting, tick the first ``present`` voters of the roll the page lists (the
    due is the portal's), type the votes."""
    page.locator(f"#{code}-meeting-held_at").fill(held)
    voters = page.locator(f"#{code}-meeting-roll input[data-voter]")
    expect(voters.first).to_be_visible()
    for i in range(voters.count()):
        box = voters.nth(i)
        box.set_checked(i < present)
    for part, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        page.locator(f"#{code}-meeting-{part}").fill(str(value))


def submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"已办理:{name}")


def test_four_deliberations_two_publications(page: Page, live_server, demo, login, shot):
    village = Region.objects.get(code=demo["dc_th"].code)
    with time_machine.travel(START, tick=True) as clock:
        login(page, "dc_th_branch_secretary")
        page.goto(f"{live_server.url}/procedures/03.1/")
        page.get_by_label("标题").fill("村集体鱼塘发包")
        page.get_by_role("button", name="发起").click()

        # 1 党支部会提议
        page.get_by_label("事项类别").select_option("assets")
        page.get_by_label("提议内容(初步意见和方案)").fill("鱼塘公开发包,期限五年")
        page.get_by_label("听取意见和调查论证情况").fill("走访农户30户")
        expect(page.locator("#propose-meeting-roll [data-testid=roll-due]")).to_contain_text(
            "应到 3 人")
        meeting(page, "propose", 3, 3)
        expect(page.locator("#propose-meeting-check [data-testid=passed]")).to_have_text(
            "✓ 表决通过")
        minutes(page, "propose")
        submit(page, "提出提议")

        # 2 两委会商议: the roll follows the body chosen (once the page's htmx is ready: its
        # live check has answered)
        expect(page.locator("#deliberate-meeting-check")).to_contain_text("请先选择“商议会议”")
        page.locator("#deliberate-body").select_option("two_committees")
        page.get_by_label("表决方式").select_option("hands")
        expect(page.locator("#deliberate-meeting-roll")).to_contain_text("应到 5 人")
        meeting(page, "deliberate", 5, 4, 1)
        page.get_by_label("商议意见").fill("同意提交党员大会审议")
        minutes(page, "deliberate")
        submit(page, "形成商议意见")

        # 3 党员大会审议: the live check explains a missing quorum in plain words
        page.get_by_label("会前已将审议内容告知全体党员").check()
        page.get_by_label("告知日期").fill("2026-11-01")
        # 桃花村's register: 7 full members vote, the probationary member attends
        roll = page.locator("#review-meeting-roll")
        expect(roll.locator("[data-testid=roll-due]")).to_contain_text("应到 7 人")
        expect(roll).to_contain_text("预备党员1名列席")
        meeting(page, "review", 4, 4)
        expect(roll.locator("[data-testid=roll-present]")).to_have_text("4")
        check = page.locator("#review-meeting-check")
        expect(check.locator("[data-testid=quorum]")).to_have_text("✗ 未达到法定人数")
        expect(check).to_contain_text("即至少 5 人")
        expect(check.locator("[data-testid=why]")).to_contain_text("应到7人,实到4人")
        shot(page, "four-01-live-quorum-check")
        meeting(page, "review", 6, 3, 3)
        expect(check.locator("[data-testid=passed]")).to_have_text("✗ 表决未通过")
        expect(check).to_contain_text("即至少 4 票")
        # sent anyway: the gate refuses, next to the meeting, and keeps what was typed
        page.get_by_label("吸纳党员意见后修订的方案").fill("鱼塘公开发包,期限五年,底价每年2万元")
        minutes(page, "review")
        page.get_by_role("button", name="审议通过", exact=True).click()
        expect(page.locator("#review-meeting-error")).to_contain_text("表决未通过")
        expect(page.get_by_label("吸纳党员意见后修订的方案")).to_have_value(
            "鱼塘公开发包,期限五年,底价每年2万元")
        expect(page.locator("#review-meeting-yes")).to_have_value("3")
        expect(page.locator("#review-meeting-roll [data-testid=roll-present]")).to_have_text("6")
        shot(page, "four-02-vote-failed-refusal")
        meeting(page, "review", 6, 4, 2)
        expect(check.locator("[data-testid=passed]")).to_have_text("✓ 表决通过")
        minutes(page, "review")
        submit(page, "审议通过")

        # 4 村民代表会议决议: the rule follows the body chosen
        login(page, "dc_th_committee_director")
        page.get_by_role("link", name="村集体鱼塘发包").first.click()
        check = page.locator("#decide-meeting-check")
        expect(check).to_contain_text("请先选择“决议机构”")
        page.get_by_label("决议机构").select_option("representatives")
        representatives = page.locator("#decide-meeting-roll input[data-voter]")
        expect(representatives.first).to_be_visible()
        due = representatives.count()
        meeting(page, "decide", due, due - 1, 1)
        expect(check.locator("[data-testid=passed]")).to_have_text("✓ 表决通过")
        expect(check).to_contain_text("村民代表会议")
        page.get_by_label("决议内容").fill(RESOLUTION)
        minutes(page, "decide")
        shot(page, "four-03-representatives-decide")
        submit(page, "形成决议")

        # 5 决议公开: cannot be ended early; the refusal names the earliest date
        expect(page.locator(".notice")).to_contain_text(RESOLUTION)
        open_panel(page, "publicity_done")
        page.locator("#publicity_done-location").fill("村务公开栏")
        page.locator("#publicity_done-photo").set_input_files(
            {"name": "公示照片.png", "mimeType": "image/png", "buffer": png_bytes()})
        expect(page.locator("#publicity_done-photo-preview img")).to_have_count(1)
        page.get_by_role("button", name="公示期满,进入实施", exact=True).click()
        expect(page.locator("details#action-publicity_done .error")).to_contain_text(
            "2026年11月10日")
        expect(page.locator("#publicity_done-location")).to_have_value("村务公开栏")
        shot(page, "four-04-publicity-not-over")
        page.set_viewport_size({"width": 375, "height": 800})
        shot(page, "four-05-publicity-375px")
        page.set_viewport_size({"width": 1280, "height": 900})

        # the printable notice: an A4 PDF
        notice = PublicityNotice.objects.get(case__title="村集体鱼塘发包")
        pdf = page.request.get(f"{live_server.url}/notices/{notice.pk}.pdf")
        assert pdf.status == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")
        from tests.browser.conftest import SHOTS

        (SHOTS / "four-notice.pdf").write_bytes(pdf.body())

        # the public board shows the resolution while the notice runs
        page.goto(f"{live_server.url}/board/{village.pk}/")
        expect(page.locator("main")).to_contain_text(RESOLUTION)
        shot(page, "four-06-public-board")

        # eight days later the window is over (the idle session ended: sign in again)
        clock.move_to(dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC))
        login(page, "dc_th_committee_director")
        page.get_by_role("link", name="村集体鱼塘发包").first.click()
        open_panel(page, "publicity_done")
        page.locator("#publicity_done-location").fill("村务公开栏")
        page.locator("#publicity_done-photo").set_input_files(
            {"name": "公示照片.png", "mimeType": "image/png", "buffer": png_bytes()})
        submit(page, "公示期满,进入实施")
        expect(page.locator(".card.current h2")).to_contain_text("实施结果公开")
        case = Case.objects.get(title="村集体鱼塘发包")
        assert case.current_step == "implementation"
        assert PublicityNotice.objects.get(pk=notice.pk).state == "ended"
        shot(page, "four-07-implementation")


def test_the_meeting_roll_on_a_phone(page: Page, live_server, demo, login, shot):
    """The first meeting of 四议两公开 (the branch committee's) entered on a 375 px screen:
    the roll of the day as a checklist that fits the screen, the ticks counted as they are
    made, the verdict computed live."""
    with time_machine.travel(START, tick=True):
        login(page, "dc_th_branch_secretary")
        page.goto(f"{live_server.url}/procedures/03.1/")
        page.get_by_label("标题").fill("村集体鱼塘发包")
        page.get_by_role("button", name="发起").click()
        page.set_viewport_size({"width": 375, "height": 800})
        page.get_by_label("事项类别").select_option("assets")
        roll = page.locator("#propose-meeting-roll")
        expect(roll.locator("[data-testid=roll-due]")).to_contain_text("应到 3 人")
        meeting(page, "propose", 2, 2)
        expect(roll.locator("[data-testid=roll-present]")).to_have_text("2")
        meeting(page, "propose", 3, 3)
        expect(roll.locator("[data-testid=roll-present]")).to_have_text("3")
        expect(page.locator("#propose-meeting-check [data-testid=passed]")).to_have_text(
            "✓ 表决通过")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width  # nothing wider than the phone
        roll.scroll_into_view_if_needed()
        shot(page, "four-08-meeting-roll-375px")
