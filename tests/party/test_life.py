"""02.1–02.5 through the API: quorum and pass lines, leave records, grades, the checks."""

import time_machine
from django.core.management import call_command
from django.utils.dateparse import parse_datetime

from party.models import BranchMeeting, MemberAppraisal, RectificationItem, ReportAppraisal
from tests.driver import meeting as m
from tests.driver import open_case
from tests.exports import export, pdf_text, xlsx_cells
from tests.party.walk_data import ACTIVE as TH_ACTIVE
from tests.party.walk_data import TH
from workflows.models import Alert, Notification

SEC, TOWN, LEADER = "dc_th_branch_secretary", "dc_township_party", "dc_th_party_group_leader"



def meeting(api, demo, kind, opener=SEC, village="dc_th"):
    d = open_case("02.1", demo[village], opener, title="会议")
    d.do(opener, kind=kind, topics="学习党章", chair="王建军", planned_on="2026-11-02")
    return d


def test_general_meeting_quorum_and_pass_line_at_the_boundary(demo, api, clock):
    d = meeting(api, demo, "general")
    common = {"motion": "motion", "held_on": "2026-11-02", "absentees": ""}
    # due 10: five present is not more than half
    d.refused(SEC, "quorum_not_met", meeting=m(10, 5, 5),
              **{**common, "absentees": "甲:病假\n乙:事假\n丙:外出\n丁:病假\n戊:事假"})
    absent4 = "甲:病假\n乙:事假\n丙:外出\n丁:病假"
    # six present, five yes: five is not more than half of the ten due
    d.refused(SEC, "vote_failed", meeting=m(10, 6, 5, 1), **{**common, "absentees": absent4})
    d.refused(SEC, "absence_unexplained", meeting=m(10, 6, 6), **common)
    d.refused(SEC, "absence_unexplained", meeting=m(10, 6, 6),
              **{**common, "absentees": "甲\n乙\n丙\n丁"})
    d.do(SEC, meeting=m(10, 6, 6), **{**common, "absentees": absent4})
    assert d.step == "follow_up"
    d.refused(SEC, "checklist_incomplete", archived=False)
    d.do(SEC, implementation="已落实")
    row = BranchMeeting.objects.get()
    assert (row.kind, row.due, row.present, row.followed_up) == ("general", 10, 6, "已落实")


def test_general_meeting_without_a_motion_still_needs_its_quorum(demo, api, clock):
    d = meeting(api, demo, "general")
    absent = "\n".join(f"缺{i}:病假" for i in range(5))
    d.refused(SEC, "quorum_not_met", motion="none", meeting=m(10, 5, 0), held_on="2026-11-02",
              absentees=absent)
    d.do(SEC, motion="none", meeting=m(10, 6, 0), held_on="2026-11-02",
         absentees="\n".join(f"缺{i}:病假" for i in range(4)))


def test_committee_meeting_needs_more_than_half_of_its_members(demo, api, clock):
    d = meeting(api, demo, "committee")
    assert d.step == "hold_committee"
    d.refused(SEC, "quorum_not_met", motion="motion", meeting=m(4, 2, 2), held_on="2026-11-02",
              absentees="甲:病假\n乙:事假")
    d.do(SEC, motion="motion", meeting=m(4, 3, 3), held_on="2026-11-02", absentees="甲:病假")


def test_group_meeting_is_held_by_the_group_leader(demo, api, clock):
    d = meeting(api, demo, "group", opener=LEADER)
    assert d.step == "hold_group"
    d.do(LEADER, due=5, present=5, held_on="2026-11-02", absentees="")
    d.do(LEADER)
    assert BranchMeeting.objects.get().kind == "group"


def test_missed_meetings_remind_the_branch_and_the_township_once(demo, api, clock, tmp_path):
    d = meeting(api, demo, "committee")
    d.do(SEC, motion="motion", meeting=m(3, 3, 3), held_on="2026-11-02", absentees="")
    d.do(SEC)
    # November is still running: nothing yet
    call_command("sweep_deadlines")
    assert not Notification.objects.filter(message__contains="组织生活提醒").exists()
    # in December: November had its committee meeting but no group meeting
    with time_machine.travel(parse_datetime("2026-12-15T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    notes = Notification.objects.filter(message__contains="组织生活提醒")
    assert [n.message for n in notes.filter(user__username=SEC)] == [
        "【组织生活提醒】桃花村党支部2026年11月未召开党小组会,请及时召开;镇(街道)党(工)委请督促。"]
    # in January: neither meeting in December; the quarter and the year began before the
    # branch's first record here and are not judged
    with time_machine.travel(parse_datetime("2027-01-05T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    for username in (SEC, TOWN):
        messages = list(notes.filter(user__username=username).values_list("message", flat=True))
        assert len(messages) == 3, messages
        assert any("2026年12月未召开支部委员会会议" in n for n in messages)
    assert not Notification.objects.filter(user__username="dc_yl_branch_secretary",
                                           message__contains="组织生活提醒").exists()
    pdf, xlsx = export(api(SEC), "party_meetings", demo["dc_th"].pk)
    assert "三会一课台账" in pdf_text(pdf.content)
    assert "学习党章" in xlsx_cells(xlsx.content)


def test_report_appraisal_needs_two_forms_and_an_interview_for_poor(demo, api, clock,
                                                                   tmp_path):
    d = open_case("02.2", demo["dc_th"], TOWN, title="2026年度述职评议")
    d.refused(TOWN, "checklist_incomplete", year=2026, inspected_sites=False)
    d.do(TOWN, year=2026)
    assert api("dc_yl_branch_secretary").get(f"/api/cases/{d.id}/").status_code == 404
    d.do(SEC)
    d.refused(TOWN, "forms_too_few", forms=["onsite"], held_on="2026-11-02")
    d.do(TOWN, forms=["onsite", "members"], held_on="2026-11-02")
    d.do(TOWN, grade="poor")
    d.refused(TOWN, "interview_required", interviewed=False)
    d.do(TOWN, interviewed=True)
    d.do(SEC, rectification="已整改")
    row = ReportAppraisal.objects.get()
    assert (row.year, row.grade, row.rectification) == (2026, "poor", "已整改")
    assert "现场述职" in row.forms
    pdf, xlsx = export(api(TOWN), "party_report_appraisal", demo["dc_th"].pk)
    assert "述职评议台账" in pdf_text(pdf.content)
    assert "已整改" in xlsx_cells(xlsx.content)


def themed_day(api, demo, form, held="2026-11-02"):
    d = open_case("02.3", demo["dc_th"], SEC, title="主题党日")
    d.do(SEC, month=held[:7], theme="学习二十届四中全会精神", form=form)
    d.do(SEC, published_on="2026-11-01")
    return d


def test_themed_day_same_form_three_times_raises_an_alert(demo, api, clock, tmp_path):
    for _ in range(2):
        d = themed_day(api, demo, "study")
        d.do(SEC, held_on="2026-11-02", absentees="", due=2, present=2)
    assert not Alert.objects.filter(message__contains="形式单一").exists()
    d = themed_day(api, demo, "study")
    d.refused(SEC, "date_order", held_on="2026-10-31", absentees="")
    d.do(SEC, held_on="2026-11-02", absentees="", due=2, present=2)
    assert Alert.objects.filter(case_id=d.id, message__contains="形式单一").count() == 1
    d = themed_day(api, demo, "service")
    d.do(SEC, held_on="2026-11-02", absentees="", due=2, present=2)
    assert Alert.objects.filter(message__contains="形式单一").count() == 1
    pdf, xlsx = export(api(SEC), "party_themed_days", demo["dc_th"].pk)
    assert "学习二十届四中全会精神" in pdf_text(pdf.content)
    assert "2026-11" in xlsx_cells(xlsx.content)


def test_life_meeting_requires_criticism_by_all_and_measures_for_every_problem(
        demo, api, clock, tmp_path):
    d = open_case("02.4", demo["dc_th"], SEC, title="2026年度组织生活会")
    d.do(SEC, year=2026, topic="对照检查")
    d.refused(SEC, "study_too_little", study_sessions=0)
    d.do(SEC, study_sessions=1)
    base = {"held_on": "2026-11-02", "due": 8, "present": 7, "absentees": "周丽娟:病假",
            "problems": "学习不深入\n联系群众不够"}
    d.refused(SEC, "criticism_incomplete", self_criticisms=6, **base)
    d.do(SEC, self_criticisms=7, **base)
    d.refused(SEC, "problem_without_measure", measures="1|每月集中学习|王建军|2027-03-31")
    d.refused(SEC, "measure_unrelated", measures="3|走访群众|李秀兰|2027-03-31")
    d.do(SEC, measures="1|每月集中学习|王建军|2027-03-31\n2|每季度走访群众|李秀兰|2027-03-31")
    assert RectificationItem.objects.count() == 2
    d.refused(SEC, "rectification_open", results="1|已落实|2026-11-02")
    d.do(SEC, results="1|已落实|2026-11-02\n2|已走访30户|2026-11-02")
    assert d.case["closed"] is True
    pdf, xlsx = export(api(SEC), "party_rectification", demo["dc_th"].pk)
    assert "组织生活会整改台账" in pdf_text(pdf.content)
    assert "每季度走访群众" in xlsx_cells(xlsx.content)


def test_democratic_appraisal_grades_everyone_and_follows_up_unqualified(demo, api, clock,
                                                                         tmp_path):
    d = open_case("02.5", demo["dc_th"], SEC, title="2026年度民主评议党员")
    d.do(SEC, year=2026, held_on="2026-11-02", due=8, present=8, absentees="")
    d.do(SEC)
    d.do(SEC)
    d.refused(SEC, "invalid_field", issued=8, returned=9)
    d.do(SEC, issued=8, returned=8)
    partial = "\n".join(f"{n}:合格" for n in TH_ACTIVE[:-1])
    body = d.refused(SEC, "ungraded_members", grades=partial)
    assert TH_ACTIVE[-1] in body["detail"]
    d.refused(SEC, "member_not_found", grades=partial + f"\n{TH[8]}:合格")  # an activist
    d.refused(SEC, "invalid_field", grades=partial + f"\n{TH_ACTIVE[-1]}:良好")
    grades = "\n".join(f"{n}:合格" for n in TH_ACTIVE[1:-1])
    grades += f"\n{TH_ACTIVE[0]}:优秀\n{TH_ACTIVE[-1]}:不合格"
    d.do(SEC, grades=grades)
    d.refused(SEC, "follow_up_missing", follow_ups=f"{TH_ACTIVE[0]}:通报表扬")
    d.do(SEC, follow_ups=f"{TH_ACTIVE[0]}:通报表扬\n{TH_ACTIVE[-1]}:限期改正,帮教一年")
    assert d.case["closed"] is True
    assert MemberAppraisal.objects.get(member__name=TH_ACTIVE[-1]).follow_up.startswith("限期")
    again = open_case("02.5", demo["dc_th"], SEC, title="重复评议")
    again.do(SEC, year=2026, held_on="2026-11-02", due=8, present=8, absentees="")
    again.do(SEC)
    again.do(SEC)
    again.do(SEC, issued=8, returned=8)
    again.refused(SEC, "graded_twice", grades=grades)
    pdf, xlsx = export(api("dc_th_supervisory_member"), "party_member_appraisal",
                       demo["dc_th"].pk)
    assert "不合格" in xlsx_cells(xlsx.content)
    assert "限期改正,帮教一年" in pdf_text(pdf.content)


def test_a_month_without_a_themed_party_day_is_reminded(demo, api, clock):
    bad = open_case("02.3", demo["dc_th"], SEC, title="主题党日")
    bad.refused(SEC, "invalid_date", month="十一月", theme="学习", form="study")
    bad.refused(SEC, "future_date", month="2026-12", theme="学习", form="study")
    d = themed_day(api, demo, "visit")
    d.do(SEC, held_on="2026-11-02", absentees="", due=2, present=2)
    with time_machine.travel(parse_datetime("2026-12-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
    assert not Notification.objects.filter(message__contains="未召开主题党日").exists()
    with time_machine.travel(parse_datetime("2027-01-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    assert Notification.objects.filter(
        user__username=TOWN, message__contains="2026年12月未召开主题党日活动").count() == 1
