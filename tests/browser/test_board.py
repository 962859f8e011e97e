"""A villager on a phone (390 px) opens the index of the boards, their village's board, a
running notice, and raises an objection online (the challenge solved from the library's
store), then sees the confirmation; the board shows only how many were received."""

from __future__ import annotations

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import Page, expect

from tests.portal.pages import scenario
from workflows.models import Objection, PublicityNotice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_villager_raises_an_objection_on_a_phone(page: Page, live_server, demo, shot):
    village = demo["dc_th"]
    case_id = scenario.four_and_two(village, "dc_th", "村道硬化工程", "同意硬化村道,全长1.2公里。",
                                    finish=False)
    notice = PublicityNotice.objects.get(case_id=case_id)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/board/")
    expect(page.get_by_role("heading", name="东城镇")).to_be_visible()
    shot(page, "board-index")
    page.get_by_role("link", name="桃花村").click()
    expect(page.get_by_role("heading", name="桃花村 · 村务公开栏")).to_be_visible()
    expect(page.get_by_text("桃花村村务监督委员会联系方式")).to_be_visible()
    shot(page, "board-village")

    page.get_by_role("link", name="我有异议").click()
    expect(page.get_by_role("heading", name="对本公示提出异议")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # first a slip: every error at once, nothing stored
    page.fill("#id_phone", "139123")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_text("异议未提交,请修改下面")).to_be_visible()
    shot(page, "board-objection-errors")
    assert not Objection.objects.filter(notice=notice).exists()

    page.fill("#id_name", "李秀英")
    page.fill("#id_phone", "13912345678")
    page.fill("#id_content", "硬化路段没有经过我组,请说明线路是怎么定的。")
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("#id_captcha_1", CaptchaStore.objects.get(hashkey=key).response)
    shot(page, "board-objection-form")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_text("您的异议已收到。")).to_be_visible()
    expect(page.get_by_text("已收到异议 1 条")).to_be_visible()
    expect(page.get_by_role("button", name="提交异议")).to_be_hidden()  # folded: done
    shot(page, "board-objection-received")
    assert "李秀英" not in page.content() and "13912345678" not in page.content()
    assert Objection.objects.get(notice=notice).online


def test_the_board_of_a_community_names_its_committee_and_lists_past_notices(
        page: Page, live_server, demo, shot):
    village = demo["xh_qq"]
    scenario.four_and_two(village, "xh_qq", "社区停车位改造", "同意停车位改造方案。",
                          finish=True)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/board/{village.pk}/")
    expect(page.get_by_text("清泉社区居务监督委员会联系方式")).to_be_visible()
    page.get_by_role("link", name="查看全部往期公示").click()
    expect(page.get_by_role("heading", name="往期公示")).to_be_visible()
    page.get_by_role("link", name="决议公告:社区停车位改造").click()
    expect(page.get_by_text("公示已结束")).to_be_visible()
    expect(page.get_by_role("button", name="提交异议")).to_have_count(0)
    shot(page, "board-ended-notice")
