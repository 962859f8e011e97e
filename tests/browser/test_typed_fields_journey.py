"""The typed fields in a real browser: a table filled by adding rows, by pasting from Excel
and by importing the template; a ref picked by typing; a month; an ID number checked as it
is typed; a submission with errors showing them all, keeping its file; then success.

Desktop (1280 px) and phone (375 px) screenshots go to artifacts/screenshots/typed-*.png.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from core.models import User
from tests.samples import pdf_bytes
from tests.workflows.web import typed_spec
from tests.workflows.web.typed_spec import OTHER_ID, VALID_ID
from workflows import gate
from workflows.models import Attachment, Case, PendingUpload
from workflows.serializers import actions_json
from workflows.web.tables import template_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECOND_ID = "110101199003074477"


def rows(page: Page):
    return page.locator("#field-apply-rows tbody[data-rows] > tr")


def cell(page: Page, row: int, column: str):
    return rows(page).nth(row).locator(f"td[data-col={column}]").locator(
        "input, select, textarea").first


def filled_sheet(case: Case) -> bytes:
    member = User.objects.get(username="dc_th_committee_member")
    action = next(a for a in actions_json(member, case) if a["code"] == "apply")
    table = next(f for f in action["fields"] if f["name"] == "rows")
    book = load_workbook(io.BytesIO(template_workbook(table)))
    sheet = book.worksheets[0]
    for r, values in enumerate([["赵六", VALID_ID, 300, dt.datetime(2026, 10, 12), "赵六", "是"],
                                ["钱七", OTHER_ID, 80, None, "", "否"]]):
        for c, value in enumerate(values):
            sheet.cell(3 + r, 1 + c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def paste_into(page: Page, locator, text: str) -> None:
    """A paste as Excel gives it (text/plain, tabs and line breaks) into a cell."""
    locator.evaluate("""(el, text) => {
        el.focus();
        const data = new DataTransfer();
        data.setData('text/plain', text);
        el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                      cancelable: true}));
    }""", text)


def test_typed_fields_in_the_browser(page: Page, live_server, demo, login, shot):
    with typed_spec.registered(), time_machine.travel(START, tick=True):
        member = User.objects.get(username="dc_th_committee_member")
        case = gate.open_case(actor=member, procedure=typed_spec.CODE, region=demo["dc_th"],
                              title="秋季补贴申报")
        login(page, "dc_th_committee_member")
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        shot(page, "typed-01-empty-form")

        # an ID number is checked as it is typed: the check digit is wrong
        page.get_by_label("联系人").fill("王会计")
        page.locator("#apply-id_number").fill(OTHER_ID)
        hint = page.locator("#apply-id_number-hint")
        expect(hint).to_contain_text("不是有效的18位居民身份证号码")
        expect(page.locator("#apply-id_number")).to_have_attribute("aria-invalid", "true")
        page.locator("#apply-mobile").fill("1380013800")
        page.locator("#apply-mobile").blur()
        expect(page.locator("#apply-mobile-hint")).to_contain_text("应为11位手机号码")
        page.locator("#apply-mobile").fill("13800138000")
        expect(page.locator("#apply-mobile-hint")).to_be_hidden()

        # a month from the month picker, with its bounds
        month = page.locator("#apply-month")
        expect(month).to_have_attribute("type", "month")
        expect(month).to_have_attribute("max", "2026-11")
        month.fill("2026-12")  # after this month: the server will say so

        # a ref picked by typing part of the name
        page.locator("#apply-person-q").fill("王")
        expect(page.locator("#apply-person")).to_have_value("3")
        expect(page.locator("#field-apply-person [data-ref-status]")).to_have_text("找到 1 项")

        # required only when 委托代办 is chosen
        agent = page.locator("#field-apply-agent")
        page.locator("#apply-how").select_option("self")
        expect(agent).to_have_class("field field-string not-needed")
        expect(page.locator("#apply-agent")).to_be_disabled()
        page.locator("#apply-how").select_option("agent")
        expect(page.locator("#apply-agent")).to_be_enabled()
        expect(agent.locator("[data-req-mark]")).to_be_visible()
        page.locator("#apply-how").select_option("self")
        page.get_by_label("种粮").check()

        # the table from the Excel template: two rows, one of them with a bad ID number
        page.locator("#field-apply-rows input[data-import]").set_input_files(
            {"name": "明细.xlsx", "mimeType": XLSX, "buffer": filled_sheet(case)})
        status = page.locator("#apply-rows-import-status")
        expect(status).to_contain_text("已从 明细.xlsx 导入 2 行")
        expect(status).to_contain_text("其中 1 处需要修改")
        expect(rows(page)).to_have_count(2)
        expect(cell(page, 0, "name")).to_have_value("赵六")
        expect(cell(page, 0, "paid_on")).to_have_value("2026-10-12")
        expect(cell(page, 0, "member")).to_have_value("4")
        expect(cell(page, 0, "confirmed")).to_be_checked()
        expect(rows(page).nth(1).locator("td[data-col=id_number] [data-cell-error]")) \
            .to_contain_text("不是有效的18位居民身份证号码")
        cell(page, 1, "id_number").fill(SECOND_ID)

        # a row added by the button, and two more pasted from Excel into its first cell
        page.get_by_role("button", name="+ 添加一行").click()
        expect(rows(page)).to_have_count(3)
        paste_into(page, cell(page, 2, "name"),
                   f"孙八\t{SECOND_ID}\t1,200\t2026/10/20\t孙八\t是\r\n"
                   f"周九\t{VALID_ID}\t20000\t\t\t\r\n")
        expect(rows(page)).to_have_count(4)
        expect(cell(page, 2, "amount")).to_have_value("1200")
        expect(cell(page, 2, "paid_on")).to_have_value("2026-10-20")
        expect(cell(page, 2, "member")).to_have_value("6")
        expect(cell(page, 3, "name")).to_have_value("周九")

        # and one through the paste box, header row included (it is recognised and skipped)
        page.get_by_role("button", name="粘贴 Excel 内容").click()
        page.locator("#apply-rows-paste-text").fill(
            f"姓名\t身份证号码\t金额(元)\n吴十\t{VALID_ID}\t50\n")
        page.get_by_role("button", name="填入表格").click()
        expect(rows(page)).to_have_count(5)
        expect(cell(page, 4, "name")).to_have_value("吴十")

        # reorder and remove with the row buttons
        page.get_by_role("button", name="上移第5行").click()
        expect(cell(page, 3, "name")).to_have_value("吴十")
        page.get_by_role("button", name="删除第5行").click()  # 周九 (20000) … kept below
        expect(rows(page)).to_have_count(4)
        cell(page, 3, "amount").fill("20000")  # 吴十 now has too large an amount

        page.locator("#apply-document").set_input_files(
            {"name": "申报表.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("form")})
        shot(page, "typed-02-filled-with-problems")

        # submitted with three problems: all three listed, each next to its field or cell
        page.get_by_role("button", name="提交申报").click()
        summary = page.locator("[data-error-summary]")
        expect(summary).to_contain_text("共 3 处需要修改")
        expect(summary.locator("li")).to_have_count(3)
        expect(summary).to_be_focused()
        expect(page.locator("#apply-id_number-error")).to_contain_text("身份证号码")
        expect(page.locator("#apply-month-error")).to_contain_text("不能晚于本月")
        expect(page.locator("#apply-rows-3-amount-error")).to_have_text(
            "“金额(元)”应在0到10000之间。")
        expect(summary).to_contain_text("“补贴明细”第4行:“金额(元)”应在0到10000之间。")
        # what was typed is still there, the rows in the order they were left
        expect(rows(page)).to_have_count(4)
        expect(cell(page, 0, "name")).to_have_value("赵六")
        expect(cell(page, 3, "name")).to_have_value("吴十")
        expect(page.locator("#apply-person")).to_have_value("3")
        # and the file is kept
        expect(page.locator("#field-apply-document .kept-name")).to_contain_text(
            "已选择:申报表.pdf")
        assert PendingUpload.objects.filter(case=case).count() == 1
        shot(page, "typed-03-all-errors-at-once")
        page.set_viewport_size({"width": 375, "height": 812})
        shot(page, "typed-04-phone-errors")
        page.set_viewport_size({"width": 1280, "height": 900})

        # a link of the list goes to its cell
        summary.get_by_role("link", name="金额").click()
        expect(page.locator("#apply-rows-3-amount")).to_be_focused()

        # corrected; the kept file goes with it without choosing it again
        page.locator("#apply-id_number").fill(VALID_ID)
        page.locator("#apply-month").fill("2026-10")
        page.locator("#apply-rows-3-amount").fill("50")
        page.get_by_role("button", name="提交申报").click()
        expect(page.locator(".messages")).to_contain_text("已办理:提交申报")
        case.refresh_from_db()
        assert case.current_step == "review"
        record = case.data["apply"]
        assert [r["name"] for r in record["rows"]] == ["赵六", "钱七", "孙八", "吴十"]
        assert record["rows"][2]["amount"] == "1200.00"
        assert record["person"] == {"id": "3", "name": "王五"}
        assert record["month"] == "2026-10"
        assert Attachment.objects.get(case=case).original_name == "申报表.pdf"
        assert not PendingUpload.objects.filter(case=case).exists()
        shot(page, "typed-05-done")


def test_the_row_editor_on_a_phone(page: Page, live_server, demo, login, shot):
    with typed_spec.registered(), time_machine.travel(START, tick=True):
        member = User.objects.get(username="dc_th_committee_member")
        case = gate.open_case(actor=member, procedure=typed_spec.CODE, region=demo["dc_th"],
                              title="秋季补贴申报")
        page.set_viewport_size({"width": 375, "height": 812})
        login(page, "dc_th_committee_member")
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        cell(page, 0, "name").fill("张三")
        page.get_by_role("button", name="+ 添加一行").click()
        cell(page, 1, "name").fill("李四")
        # each cell says which column it is, and the buttons are large enough to tap
        expect(rows(page).nth(1).locator("label.cell-label").first).to_be_visible()
        box = page.get_by_role("button", name="删除第2行").bounding_box()
        assert box and box["height"] >= 40 and box["width"] >= 40
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width  # nothing wider than the phone
        page.locator("#field-apply-rows").scroll_into_view_if_needed()
        shot(page, "typed-06-phone-table")
