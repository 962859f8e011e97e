"""02.1–02.5 through the API: quorum and pass lines, leave records, grades, the checks."""

import time_machine
from django.core.management import call_command
from django.utils.dateparse import parse_datetime

from party.models import BranchMeeting, MemberAppraisal, RectificationItem, ReportAppraisal
from tests.driver import meeting as m
from tests.driver import open_case
from tests.exports import export, pdf_text, xlsx_cells
from tests.party.members import absent, pm
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

    def away(present):  # the voters of the roll not ticked, each with the reason of the leave
        return absent(d, SEC, present, motion="motion")

    # 桃花村's register: 7 full members vote (the probationary member attends without a vote);
    # three present is not more than half of the seven due
    d.refused(SEC, "quorum_not_met", motion="motion", meeting=m(present=3, yes=3),
              absentees=away(3))
    # four present, three yes: three is not more than half of the seven due
    d.refused(SEC, "vote_failed", motion="motion", meeting=m(present=4, yes=3, no=1),
              absentees=away(4))
    # 请销假: nobody of the three away listed, one of them left out, one who came listed too,
    # one listed twice
    d.refused(SEC, "absence_unexplained", motion="motion", meeting=m(present=4, yes=4),
              absentees=None)
    d.refused(SEC, "absence_unexplained", motion="motion", meeting=m(present=4, yes=4),
              absentees=away(4)[1:])
    d.refused(SEC, "absence_unexplained", motion="motion", meeting=m(present=4, yes=4),
              absentees=away(3))
    d.refused(SEC, "absence_unexplained", motion="motion", meeting=m(present=4, yes=4),
              absentees=[*away(4), away(4)[0]])
    # a leave without its reason is not a leave
    d.refused(SEC, "missing_field", motion="motion", meeting=m(present=4, yes=4),
              absentees=[{"member": row["member"]} for row in away(4)])
    d.do(SEC, motion="motion", meeting=m(present=4, yes=4), absentees=away(4))
    assert d.step == "follow_up"
    d.refused(SEC, "checklist_incomplete", archived=False)
    d.do(SEC, implementation="已落实")
    row = BranchMeeting.objects.get()
    assert (row.kind, row.due, row.present, row.followed_up) == ("general", 7, 4, "已落实")
    assert row.held_on.isoformat() == "2026-11-02"  # the meeting's held_at
    assert len(row.absentees.splitlines()) == 3 and row.absentees.endswith(":病假")


def test_general_meeting_without_a_motion_still_needs_its_quorum(demo, api, clock):
    d = meeting(api, demo, "general")
    d.refused(SEC, "quorum_not_met", motion="none", meeting=m(present=3),
              absentees=absent(d, SEC, 3, motion="none"))
    d.do(SEC, motion="none", meeting=m(present=4), absentees=absent(d, SEC, 4, motion="none"))


def test_committee_meeting_needs_more_than_half_of_its_members(demo, api, clock):
    d = meeting(api, demo, "committee")
    assert d.step == "hold_committee"
    # the branch committee of the day: secretary, deputy and one member (the memberships)
    d.refused(SEC, "quorum_not_met", motion="motion", meeting=m(present=1, yes=1),
              absentees=absent(d, SEC, 1, motion="motion"))
    d.do(SEC, motion="motion", meeting=m(present=2, yes=2),
         absentees=absent(d, SEC, 2, reason="事假", motion="motion"))
    assert BranchMeeting.objects.get().absentees.endswith(":事假")


def test_group_meeting_is_held_by_the_group_leader(demo, api, clock):
    d = meeting(api, demo, "group", opener=LEADER)
    assert d.step == "hold_group"
    d.do(LEADER, absentees="")  # the group's members from the register, all ticked
    d.do(LEADER)
    assert BranchMeeting.objects.get().kind == "group"


def test_missed_meetings_remind_the_branch_and_the_township_once(demo, api, clock, tmp_path):
    d = meeting(api, demo, "committee")
    d.do(SEC, motion="motion", meeting=m(3, 3, 3), absentees="")
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
        d.do(SEC, absentees="")
    assert not Alert.objects.filter(message__contains="形式单一").exists()
    d = themed_day(api, demo, "study")
    # held before the step was opened (the content was published the day before)
    d.refused(SEC, "date_order", meeting=m(held_at="2026-10-31"), absentees="")
    d.do(SEC, absentees="")
    assert Alert.objects.filter(case_id=d.id, message__contains="形式单一").count() == 1
    d = themed_day(api, demo, "service")
    d.do(SEC, absentees="")
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
    # every member of the branch is due (7 full, 1 probationary): 7 of 8 came
    base = {"meeting": m(present=7), "absentees": absent(d, SEC, 7),
            "problems": [{"problem": "学习不深入"}, {"problem": "联系群众不够"}]}
    refused = d.refused(SEC, "requirement_not_met", all_criticised=False, **base)
    assert "批评与自我批评" in refused["detail"]
    d.do(SEC, all_criticised=True, **base)

    def measure(problem, text, owner):
        return {"problem": problem, "measure": text, "owner": pm(owner), "due_on": "2027-03-31"}

    def proposed(name):
        return next(f for a in d.actions(SEC) for f in a["fields"] if f["name"] == name)["default"]

    assert proposed("measures") == [{"problem": 1}, {"problem": 2}]  # a row for each problem
    d.refused(SEC, "problem_without_measure", measures=[measure(1, "每月集中学习", "王建军")])
    d.refused(SEC, "measure_unrelated", measures=[measure(3, "走访群众", "李秀兰")])
    d.do(SEC, measures=[measure(1, "每月集中学习", "王建军"),
                        measure(2, "每季度走访群众", "李秀兰")])
    assert RectificationItem.objects.count() == 2
    assert proposed("results") == [{"measure": 1}, {"measure": 2}]  # a row for each measure
    d.refused(SEC, "rectification_open",
              results=[{"measure": 1, "result": "已落实", "done_on": "2026-11-02"}])
    d.do(SEC, results=[{"measure": 1, "result": "已落实", "done_on": "2026-11-02"},
                       {"measure": 2, "result": "已走访30户", "done_on": "2026-11-02"}])
    assert d.case["closed"] is True
    pdf, xlsx = export(api(SEC), "party_rectification", demo["dc_th"].pk)
    assert "组织生活会整改台账" in pdf_text(pdf.content)
    assert "每季度走访群众" in xlsx_cells(xlsx.content)


def grades(names, grade="合格"):
    return [{"member": pm(n), "grade": grade} for n in names]


def test_democratic_appraisal_grades_everyone_and_follows_up_unqualified(demo, api, clock,
                                                                         tmp_path):
    d = open_case("02.5", demo["dc_th"], SEC, title="2026年度民主评议党员")
    d.do(SEC, year=2026, absentees=None)
    d.do(SEC)
    d.do(SEC)
    d.refused(SEC, "invalid_field", issued=8, returned=9)
    d.do(SEC, issued=8, returned=8)
    partial = grades(TH_ACTIVE[:-1])
    body = d.refused(SEC, "ungraded_members", grades=partial)
    assert TH_ACTIVE[-1] in body["detail"]
    # an activist is not a member of the branch: not on the register the grades are taken from
    d.refused(SEC, "not_on_roster", grades=partial + grades([TH[8]]))
    d.refused(SEC, "invalid_field", grades=partial + grades(TH_ACTIVE[-1:], "良好"))
    graded = (grades(TH_ACTIVE[1:-1]) + grades(TH_ACTIVE[:1], "优秀")
              + grades(TH_ACTIVE[-1:], "不合格"))
    d.do(SEC, grades=graded)
    praise = {"member": pm(TH_ACTIVE[0]), "follow_up": "通报表扬"}
    d.refused(SEC, "follow_up_missing", follow_ups=[praise])
    d.do(SEC, follow_ups=[praise, {"member": pm(TH_ACTIVE[-1]),
                                   "follow_up": "限期改正,帮教一年"}])
    assert d.case["closed"] is True
    assert MemberAppraisal.objects.get(member__name=TH_ACTIVE[-1]).follow_up.startswith("限期")
    again = open_case("02.5", demo["dc_th"], SEC, title="重复评议")
    again.do(SEC, year=2026, absentees=None)
    again.do(SEC)
    again.do(SEC)
    again.do(SEC, issued=8, returned=8)
    again.refused(SEC, "graded_twice", grades=graded)
    pdf, xlsx = export(api("dc_th_supervisory_member"), "party_member_appraisal",
                       demo["dc_th"].pk)
    assert "不合格" in xlsx_cells(xlsx.content)
    assert "限期改正,帮教一年" in pdf_text(pdf.content)


def test_a_month_without_a_themed_party_day_is_reminded(demo, api, clock):
    bad = open_case("02.3", demo["dc_th"], SEC, title="主题党日")
    bad.refused(SEC, "invalid_date", month="十一月", theme="学习", form="study")
    bad.refused(SEC, "future_date", month="2026-12", theme="学习", form="study")
    d = themed_day(api, demo, "visit")
    d.do(SEC, absentees="")
    with time_machine.travel(parse_datetime("2026-12-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
    assert not Notification.objects.filter(message__contains="未召开主题党日").exists()
    with time_machine.travel(parse_datetime("2027-01-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    assert Notification.objects.filter(
        user__username=TOWN, message__contains="2026年12月未召开主题党日活动").count() == 1


def test_a_year_without_its_life_meeting_or_appraisal_alerts_the_branch_and_the_township(
        demo, api, clock):
    """组织生活会 and 民主评议党员 are yearly, checked like 三会一课: reminded from December 1
    while the year can still be met, an alert once the year has ended without them."""
    d = meeting(api, demo, "committee")  # the branch's first record here: 2026-11-02
    d.do(SEC, motion="motion", meeting=m(3, 3, 3), absentees="")
    life = open_case("02.4", demo["dc_th"], SEC, title="2026年度组织生活会")
    life.do(SEC, year=2026, topic="对照检查")
    life.do(SEC, study_sessions=1)
    life.do(SEC, all_criticised=True, meeting=m(present=7), absentees=absent(life, SEC, 7),
            problems=[{"problem": "学习不深入"}])
    yearly = Notification.objects.filter(message__contains="【年度组织生活】")
    with time_machine.travel(parse_datetime("2026-11-30T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
    assert not yearly.exists()  # the year can still be met: nothing yet
    with time_machine.travel(parse_datetime("2026-12-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    for username in (SEC, TOWN):
        assert list(yearly.filter(user__username=username).values_list("message", flat=True)) \
            == ["【年度组织生活】桃花村党支部2026年度尚未开展民主评议党员,请在年底前开展;"
                "镇(街道)党(工)委请督促。"]
    with time_machine.travel(parse_datetime("2027-01-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    missed = Alert.objects.filter(message__contains="2026年度未开展")
    assert [a.message for a in missed] == [
        "桃花村党支部2026年度未开展民主评议党员,请及时补课并说明原因;镇(街道)党(工)委请督促整改。"]
    for username in (SEC, TOWN):
        assert Notification.objects.filter(user__username=username,
                                           message__contains="2026年度未开展民主评议党员"
                                           ).count() == 1
    assert not Notification.objects.filter(user__username="dc_yl_branch_secretary",
                                           message__contains="年度").exists()
