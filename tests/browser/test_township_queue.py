"""The township's queue in a browser (issue 12, point 4): filter by village, tick two filings of
the same step, write one opinion, file both; each case gets its own event."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.workflows.web.test_review_and_lists import submitted
from tests.workflows.web.test_township_queue import queue_spec
from workflows.models import Case, CaseEvent
from workflows.registry import registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWN = "dc_township_government"


@pytest.fixture
def specs():
    filing = queue_spec("98.1", "村级事项报镇备案(测试)", "镇(街道)备案", batch=True)
    approval = queue_spec("98.2", "村级事项报镇审批(测试)", "镇(街道)审批", batch=False)
    with registry.override(filing, approval):
        yield


def test_filter_by_village_and_file_two_cases_with_one_opinion(page: Page, live_server, demo,
                                                               user, login, shot, specs):
    th, yl = user("dc_th_committee_member"), user("dc_yl_committee_member")
    first = submitted(th, demo["dc_th"], "桃花村2026年第三季度党务公开备案", code="98.1")
    second = submitted(th, demo["dc_th"], "桃花村集体资产清查结果备案", code="98.1")
    submitted(th, demo["dc_th"], "桃花村道路硬化项目审批", code="98.2")
    other = submitted(yl, demo["dc_yl"], "杨柳村村务公开备案", code="98.1")

    login(page, TOWN)
    page.goto(f"{live_server.url}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("镇(街道)审核")
    expect(page.locator(f'[data-testid="chip-{demo["dc_th"].pk}"]')).to_contain_text("3")
    expect(page.locator(f'[data-testid="chip-{demo["dc_yl"].pk}"]')).to_contain_text("1")
    shot(page, "queue-01-all-villages")

    # the filter offers the villages of the queue; 杨柳村's case leaves the list
    page.get_by_label("村(社区)", exact=True).select_option(label=demo["dc_th"].name)
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(f"{live_server.url}/review/?village={demo['dc_th'].pk}"
                             "&procedure=&kind=")
    expect(page.locator("table.cases")).not_to_contain_text("杨柳村村务公开备案")
    expect(page.locator("table.cases a.one-by-one")).to_have_count(1)  # the approval
    shot(page, "queue-02-filtered-by-village")

    # tick the two filings: the panel says what will be done
    page.get_by_label(f"批量登记备案:{first.title}({demo['dc_th'].name})").check()
    page.get_by_label(f"批量登记备案:{second.title}({demo['dc_th'].name})").check()
    expect(page.locator("[data-batch-status]")).to_contain_text("已选 2 件:镇(街道)备案")
    page.get_by_label("审核意见(记入所选的每一件事项)").fill("材料齐全,予以备案。")
    shot(page, "queue-03-two-filings-ticked")
    page.get_by_role("button", name="批量办理所选事项").click()

    summary = page.locator("#batch-summary")
    expect(summary).to_contain_text("成功 2 件,未通过 0 件")
    expect(summary).to_contain_text(first.title)
    expect(page.locator(".queue-villages .chip.on")).to_contain_text(demo["dc_th"].name)
    shot(page, "queue-04-batch-result")

    # on a phone the rows are cards, the chips wrap
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/review/")
    expect(page.locator("table.cases")).to_contain_text("杨柳村村务公开备案")
    shot(page, "queue-05-phone")

    for case in (first, second):
        assert Case.objects.get(pk=case.pk).state == "closed"
        last = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").first()
        assert last.data.get("opinion") == "材料齐全,予以备案。"
    assert Case.objects.get(pk=other.pk).state == "open"
