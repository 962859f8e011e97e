"""The township's queue for thirty villages (issue 12, point 4): filters kept in the pager,
counts per village, sort by urgency, batches of one step with one opinion (each case through
the gate with its own event), and the overview's meeting badges counted right."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from django.utils import timezone

from core.models import User
from core.roles import Level, Role
from tests.driver import GATE, drive, open_case, place
from tests.driver import meeting as m
from tests.factories import CaseFactory
from tests.workflows.web.test_review_and_lists import submitted, township_spec  # noqa: F401
from workflows.models import Case, CaseEvent, Task
from workflows.registry import lint, registry
from workflows.spec import (
    ActionSpec,
    FieldType,
    ProcedureSpec,
    Risk,
    StepKind,
    StepSpec,
    field,
)
from workflows.web import queue
from workflows.web.queries import review_tasks

TOWN = "dc_township_government"


def queue_spec(code: str, name: str, step_name: str, *, batch: bool) -> ProcedureSpec:
    """A village submits, the township government does one step with an optional opinion."""
    return ProcedureSpec(
        code=code, name=name, category="测试", guiding_units=("区民政局",),
        guiding_roles=(Role.DISTRICT_CIVIL_AFFAIRS,), supervisor="村(居)务监督委员会",
        risks=(Risk("风险", "控制"),), measures=("措施",),
        steps=(
            StepSpec("apply", "申请", roles=(Role.COMMITTEE_MEMBER,), level=Level.VILLAGE,
                     actions=(ActionSpec("submit", "提交", to="township"),)),
            StepSpec("township", step_name, roles=(Role.TOWNSHIP_GOVERNMENT,),
                     level=Level.TOWNSHIP,
                     actions=(ActionSpec("file", "登记备案" if batch else "审批通过", to=None,
                                         batch=batch, fields=(
                                             field("opinion", "意见", FieldType.TEXT,
                                                   required=False),)),)),
        ))


@pytest.fixture
def filing_specs(township_spec):  # noqa: F811
    """98.1: a filing (备案) the township may do in a batch; 98.2: an approval it may not;
    99.1 (township_spec): a review (镇审核)."""
    with registry.override(queue_spec("98.1", "测试备案事项", "镇(街道)备案", batch=True),
                           queue_spec("98.2", "测试审批事项", "镇(街道)审批", batch=False)):
        yield


def _filed(slug, title, code="98.1"):
    """A case of ``code`` submitted by the committee member of the demo village ``slug``."""
    member = User.objects.get(username=f"{slug}_committee_member")
    return submitted(member, place(slug), title, code=code)


def _titles(html, titles):
    """The titles among ``titles`` that the page lists, in its order."""
    return sorted((t for t in titles if t in html), key=html.index)


# --- filters and counts ---------------------------------------------------------------------


def test_the_queue_filters_by_village_procedure_kind_and_lateness(web, demo, filing_specs,
                                                                  township_spec):  # noqa: F811
    th, yl = demo["dc_th"], demo["dc_yl"]
    late = _filed("dc_th", "桃花村备案(已逾期)")
    Task.objects.filter(case=late, state="open").update(
        due_at=timezone.now() - dt.timedelta(days=1))
    _filed("dc_th", "桃花村备案(按期)")
    _filed("dc_yl", "杨柳村备案")
    _filed("dc_th", "桃花村审核", code="99.1")
    all_titles = ["桃花村备案(已逾期)", "桃花村备案(按期)", "杨柳村备案", "桃花村审核"]
    client = web(TOWN)

    page = client.get("/review/").content.decode()
    assert len(_titles(page, all_titles)) == 4
    page = client.get(f"/review/?village={yl.pk}").content.decode()
    assert _titles(page, all_titles) == ["杨柳村备案"]
    page = client.get("/review/?procedure=99.1").content.decode()
    assert _titles(page, all_titles) == ["桃花村审核"]
    page = client.get("/review/?kind=filing").content.decode()
    assert set(_titles(page, all_titles)) == {
        "桃花村备案(已逾期)", "桃花村备案(按期)", "杨柳村备案"}
    page = client.get("/review/?kind=review").content.decode()
    assert _titles(page, all_titles) == ["桃花村审核"]
    page = client.get(f"/review/?overdue=1&village={th.pk}").content.decode()
    assert _titles(page, all_titles) == ["桃花村备案(已逾期)"]


def test_the_filter_form_offers_only_what_the_queue_holds(web, demo, filing_specs):
    _filed("dc_th", "桃花村备案")
    page = web(TOWN).get("/review/").content.decode()
    village_select = page[page.index('id="f-village"'):page.index("</select>",
                                                                   page.index('id="f-village"'))]
    assert demo["dc_th"].name in village_select and demo["dc_yl"].name not in village_select
    start = page.index('id="f-procedure"')
    procedures = re.findall(r'<option value="([^"]+)"', page[start:page.index("</select>", start)])
    assert procedures == ["98.1"]
    kinds = page[page.index('id="f-kind"'):page.index("</select>", page.index('id="f-kind"'))]
    assert "备案" in kinds and "审批" not in kinds


def test_a_village_not_in_the_queue_is_left_out_and_said_so(web, demo, filing_specs):
    _filed("dc_th", "桃花村备案")
    page = web(TOWN).get(f"/review/?village={demo['xh_qq'].pk}").content.decode()
    assert "桃花村备案" in page  # the filter was not applied
    assert "该条件未采用" in page


def test_counts_per_village_and_the_pager_keeps_the_filters(web, demo, filing_specs,
                                                           monkeypatch):
    th = demo["dc_th"]
    for n in range(3):
        _filed("dc_th", f"备案{n}")
    late = _filed("dc_yl", "杨柳村逾期")
    Task.objects.filter(case=late, state="open").update(
        due_at=timezone.now() - dt.timedelta(hours=2))
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    client = web(TOWN)
    page = client.get("/review/").content.decode()
    chip = page[page.index(f'data-testid="chip-{th.pk}"'):]
    chip = chip[:chip.index("</a>")]
    assert "<b>3</b>" in chip and "逾期" not in chip
    chip = page[page.index(f'data-testid="chip-{demo["dc_yl"].pk}"'):]
    chip = chip[:chip.index("</a>")]
    assert "<b>1</b>" in chip and "逾期 1" in chip
    page = client.get(f"/review/?village={th.pk}&kind=filing").content.decode()
    assert "(共 3 件)" in page
    assert f"?village={th.pk}&amp;kind=filing&amp;page=2" in page


# --- sort by urgency ------------------------------------------------------------------------


def _task(demo, procedure, step, title, due_at, opened_days_ago=1):
    case = CaseFactory(procedure=procedure, region=demo["dc_th"], title=title,
                       current_step=step)
    return Task.objects.create(
        case=case, step=step, roles=Task.pack_roles([Role.TOWNSHIP_GOVERNMENT]),
        region=demo["dc"], village=demo["dc_th"], procedure=procedure, due_at=due_at,
        opened_at=timezone.now() - dt.timedelta(days=opened_days_ago))


def test_emergencies_then_lapsed_then_nearest_due_then_oldest(demo, user):
    now = timezone.now()
    _task(demo, "07.1", "township_report", "无时限的纠纷(旧)", None, opened_days_ago=9)
    _task(demo, "07.1", "township_report", "下周到期的纠纷", now + dt.timedelta(days=7))
    _task(demo, "07.1", "township_report", "明天到期的纠纷", now + dt.timedelta(days=1))
    _task(demo, "07.1", "township_report", "已逾期的纠纷", now - dt.timedelta(days=2))
    _task(demo, "10.1", "instructions", "山体滑坡", now + dt.timedelta(days=20))
    _task(demo, "07.1", "township_report", "无时限的纠纷(新)", None, opened_days_ago=1)
    order = [t.case.title for t in review_tasks(user(TOWN))]
    assert order == ["山体滑坡", "已逾期的纠纷", "明天到期的纠纷", "下周到期的纠纷",
                     "无时限的纠纷(旧)", "无时限的纠纷(新)"]


# --- batches --------------------------------------------------------------------------------


def _events(case):
    return list(CaseEvent.objects.filter(case_id=case.pk).order_by("seq"))


def test_a_batch_of_three_filings_gets_three_events_with_the_one_opinion(web, demo,
                                                                        filing_specs):
    cases = [_filed("dc_th", "备案一"), _filed("dc_th", "备案二"),
             _filed("dc_yl", "备案三")]
    before = CaseEvent.objects.count()
    response = web(TOWN).post("/review/batch/", {
        "pick": [f"{c.pk}:township" for c in cases], "comment": "材料齐全,予以备案"})
    assert response.status_code == 200
    assert "成功 3 件,未通过 0 件" in response.content.decode()
    assert CaseEvent.objects.count() == before + 3
    for case in cases:
        last = _events(case)[-1]
        assert last.action == "file" and last.data.get("opinion") == "材料齐全,予以备案"
        assert last.actor.username == TOWN
        assert Case.objects.get(pk=case.pk).state == "closed"


def test_a_refused_case_is_named_with_its_reason_and_the_others_go_through(web, demo,
                                                                          filing_specs):
    first, done, third = (_filed("dc_th", "备案甲"), _filed("dc_th", "备案乙"),
                          _filed("dc_yl", "备案丙"))
    other_town = _filed("xh_qq", "清泉社区备案")
    # a co-holder of the township's role filed 备案乙 meanwhile
    drive(done.pk, via=GATE).do(TOWN, "file", samples=False, opinion="已备案")
    events = len(_events(done))
    response = web(TOWN).post("/review/batch/", {
        "pick": [f"{first.pk}:township", f"{done.pk}:township", f"{third.pk}:township",
                 f"{other_town.pk}:township"],
        "comment": "同意备案"})
    page = response.content.decode()
    assert "成功 2 件,未通过 2 件" in page
    refused = page[page.index('class="plain bad-list"'):]
    assert "备案乙" in refused
    assert f"#{other_town.pk}" in refused and "清泉社区备案" not in page  # not named
    assert len(_events(done)) == events
    assert Case.objects.get(pk=first.pk).state == "closed"
    assert Case.objects.get(pk=third.pk).state == "closed"
    assert Case.objects.get(pk=other_town.pk).state == "open"


def test_a_step_that_is_not_batchable_is_refused_even_if_posted(web, demo, filing_specs):
    case = _filed("dc_th", "审批件", code="98.2")
    _filed("dc_th", "备案件")  # a batchable row beside it: the page offers batches
    page = web(TOWN).get("/review/").content.decode()
    assert f'value="{case.pk}:township"' not in page
    assert f'href="/cases/{case.pk}/" title' in page and "逐个审议" in page  # a link, no box
    events = len(_events(case))
    response = web(TOWN).post("/review/batch/", {"pick": [f"{case.pk}:township"],
                                                 "comment": "同意"})
    page = response.content.decode()
    assert "成功 0 件,未通过 1 件" in page and "逐个审议" in page
    assert len(_events(case)) == events
    assert Case.objects.get(pk=case.pk).state == "open"


def test_a_batch_across_steps_or_without_a_required_opinion_changes_nothing(
        web, demo, filing_specs, township_spec):  # noqa: F811
    filing = _filed("dc_th", "备案件")
    review = _filed("dc_th", "审核件", code="99.1")
    before = CaseEvent.objects.count()
    response = web(TOWN).post("/review/batch/", {
        "pick": [f"{filing.pk}:township", f"{review.pk}:approve"], "comment": "同意"})
    assert response.status_code == 400
    assert "同一环节" in response.content.decode()
    response = web(TOWN).post("/review/batch/", {"comment": "同意"})
    assert response.status_code == 400 and "请先勾选" in response.content.decode()
    assert CaseEvent.objects.count() == before


def test_a_required_opinion_must_be_written_before_anything_is_done(web, demo):
    reserve = registry.get("05.1")
    step = reserve.step("women_review")
    assert step.batch_action() is not None
    assert step.batch_action().fields[0].required  # the opinion of 05.1's review
    before = CaseEvent.objects.count()
    case = CaseFactory(procedure="05.1", region=demo["dc_th"], current_step="women_review")
    response = web("dc_township_women").post("/review/batch/", {
        "pick": [f"{case.pk}:women_review"], "comment": "  "})
    assert response.status_code == 400 and "请填写审核意见" in response.content.decode()
    assert CaseEvent.objects.count() == before


# --- what the specs say ----------------------------------------------------------------------


def test_the_kind_of_a_step_is_read_from_its_spec():
    party, reserve, dispute = registry.get("01.1"), registry.get("05.1"), registry.get("07.1")
    assert party.step("target_filing").step_kind == StepKind.FILING
    assert party.step("conversion_approval").step_kind == StepKind.APPROVAL
    assert reserve.step("women_review").step_kind == StepKind.REVIEW
    assert reserve.step("women_approve").step_kind == StepKind.APPROVAL
    assert dispute.step("township_report").step_kind == StepKind.OTHER
    declared = StepSpec("x", "镇(街道)审核", roles=(Role.TOWNSHIP_GOVERNMENT,),
                        level=Level.TOWNSHIP, actions=(), review_kind=StepKind.FILING)
    assert declared.step_kind == StepKind.FILING


def test_only_reviews_and_filings_are_batchable_and_the_lint_keeps_them_bare():
    reserve = registry.get("05.1")
    assert {s.code for s in reserve.steps if s.batch_action()} == {
        "women_review", "militia_review", "league_review"}
    assert all(s.step_kind in (StepKind.REVIEW, StepKind.FILING)
               for spec in registry.all() for s in spec.steps if s.batch_action())
    bad = queue_spec("98.3", "测试", "镇(街道)备案", batch=True)
    step = bad.step("township")
    dated = replace(step.actions[0], fields=(
        *step.actions[0].fields, field("filed_on", "备案日期", FieldType.DATE)))
    broken = replace(bad, steps=(bad.steps[0], replace(step, actions=(dated,))))
    assert any("no required field other than the opinion (filed_on)" in p
               for p in lint(broken))
    assert lint(bad) == []


# --- the overview's badges ------------------------------------------------------------------


def _committee_meeting(demo, village="dc_th"):
    """A 三会一课 支委会 of ``village`` held today (02.1, through the API)."""
    sec = f"{village}_branch_secretary"
    d = open_case("02.1", demo[village], sec, title="支委会")
    d.do(sec, kind="committee", topics="学习党章", chair="王建军",
         planned_on=timezone.localdate().isoformat())
    d.do(sec, motion="motion", absentees="", meeting=m(3, 3, 3))
    return d


def _other_meeting(demo, village):
    """A meeting of 03.1 (四议两公开: the branch committee's proposal) held today."""
    sec = f"{village}_branch_secretary"
    d = open_case("03.1", demo[village], sec, title="村集体鱼塘发包")
    d.do(sec, matter="assets", meeting=m(3, 3, 3))
    return d


def _overview(page):
    return page[page.index('id="ov-h"'):]


def _village_row(page, name):
    ov = _overview(page)
    row = ov[ov.index(name):]
    return row[:row.index("</tr>")]


def test_meetings_count_three_meetings_one_lesson_only_and_a_month_is_missing_once_ended(
        web, demo, clock):
    # November 2: 桃花村 holds a 支委会 (02.1); 杨柳村 only a 03.1 branch meeting
    _committee_meeting(demo, "dc_th")
    _other_meeting(demo, "dc_yl")
    client = web("dc_township_party")
    page = client.get("/review/").content.decode()
    assert "三会一课(11月)" in page
    assert "1 次" in _village_row(page, demo["dc_th"].name)
    yl = _village_row(page, demo["dc_yl"].name)
    assert "0 次" in yl  # 03.1's meeting is not counted
    assert "11月未开会" not in page  # November has not ended
    assert "10月未开会" in yl  # October ended without one

    clock.move_to(dt.datetime(2026, 12, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    page = web("dc_township_party").get("/review/").content.decode()  # a session of today
    assert "12月未开会" not in page and "本月未开会" not in page  # December is running
    th = _village_row(page, demo["dc_th"].name)
    assert "11月未开会" not in th and "1 次" in th
    assert "11月未开会" in _village_row(page, demo["dc_yl"].name)


@pytest.mark.parametrize("junk", ["\x00", "abc", "-1", "9" * 30, "maybe", "review\x00"])
def test_junk_in_the_queue_filters_is_left_out_never_an_error(web, demo, filing_specs, junk):
    _filed("dc_th", "桃花村备案")
    client = web(TOWN)
    for name in ("village", "procedure", "kind", "overdue", "page"):
        answer = client.get("/review/", {name: junk})
        assert answer.status_code == 200, (name, junk)
        assert "桃花村备案" in answer.content.decode()
