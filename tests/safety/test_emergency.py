"""10(1) emergencies, 10(2) hazards, 10(3) safety-production rules, 10(4) fire."""

import datetime as dt

from safety.effects.emergency import check_unreported_emergencies
from safety.effects.hazards import check_overdue_hazards
from safety.models import Hazard, Incident, SafetyProductionRecord
from tests.driver import START, open_case
from tests.driver import meeting as m
from tests.exports import export, pdf_text, xlsx_cells, xlsx_rows

DAY = "2026-11-02"
ALL_RULES = ["responsibility", "hazard", "plan", "training", "fire", "check"]


# --- 10(1) ---------------------------------------------------------------------------------

def emergency(api, demo, occurred="2026-11-02T09:00:00+08:00"):
    case = open_case("10.1", demo["dc_th"], "dc_th_grid_worker", title="山体滑坡")
    case.do("dc_th_grid_worker", occurred_at=occurred, kind="natural", location="后山",
            description="山体滑坡堵塞村道", plan_activated=True)
    return case


def test_emergency_requires_the_plan_activated(demo, api, clock):
    case = open_case("10.1", demo["dc_th"], "dc_th_grid_worker", title="山体滑坡")
    case.refused("dc_th_grid_worker", "requirement_not_met", occurred_at=DAY + "T09:00+08:00",
                 kind="natural", location="后山", description="滑坡", plan_activated=False)


def test_report_exactly_one_hour_after_is_on_time_one_minute_more_is_late(demo, api, clock):
    on_time, late = emergency(api, demo), emergency(api, demo)
    on_time.do("dc_th_branch_secretary", reported_at="2026-11-02T10:00:00+08:00",
               reported_to="东城镇应急办", units_notified="派出所、卫生院")
    clock.move_to(START + dt.timedelta(minutes=2))
    late.do("dc_th_branch_secretary", reported_at="2026-11-02T10:01:00+08:00",
            reported_to="东城镇应急办", units_notified="派出所")
    assert on_time.alerts("late_report") == []
    assert len(late.alerts("late_report")) == 1
    assert Incident.objects.get(case_id=late.id).late_report is True


def test_report_may_not_precede_the_incident(demo, api, clock):
    case = emergency(api, demo)
    case.refused("dc_th_branch_secretary", "date_order",
                 reported_at="2026-11-02T08:59:00+08:00", reported_to="镇", units_notified="x")


def test_sweep_alerts_a_missing_report(demo, api, clock):
    case = emergency(api, demo)
    check_unreported_emergencies(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))  # 10:00
    assert case.alerts() == []
    check_unreported_emergencies(dt.datetime(2026, 11, 2, 2, 1, tzinfo=dt.UTC))
    assert any("漏报" in m for m in case.alerts("late_report"))


def test_sweep_alerts_once_and_not_for_a_reported_emergency(demo, api, clock):
    missing, reported = emergency(api, demo), emergency(api, demo)
    reported.do("dc_th_branch_secretary", reported_at="2026-11-02T09:30:00+08:00",
                reported_to="东城镇应急办", units_notified="派出所")
    for hours in (2, 3):
        check_unreported_emergencies(START + dt.timedelta(hours=hours))
    assert len(missing.alerts("late_report")) == 1
    assert reported.alerts() == []


def report(case):
    case.do("dc_th_branch_secretary", reported_at="2026-11-02T09:20:00+08:00",
            reported_to="东城镇应急办", units_notified="派出所")


def test_the_village_relays_instructions_and_gathers_feedback_without_a_township_step(
        demo, api, clock, tmp_path):
    """10(1) is the village's own flow: 上报镇(街道) → 传达上级指示 → 收集反馈意见 → 应急响应;
    the village records the instructions it received (who gave them, when) and is never
    held at a step of the township."""
    case = emergency(api, demo)
    report(case)
    assert case.step == "instructions"
    task = case.case["tasks"][0]
    assert task["region"] == demo["dc_th"].pk
    assert case.offers("dc_township_government") == []
    # an instruction is received after the event, not before
    case.refused("dc_th_branch_secretary", "date_order", "relay", received="received",
                 instructed_by="东城镇应急办张三", instructed_at="2026-11-02T08:00:00+08:00",
                 instructions="立即疏散", relayed_to="村干部、网格员")
    case.do("dc_th_branch_secretary", "relay", received="received",
            instructed_by="东城镇应急办张三", instructed_at="2026-11-02T09:40:00+08:00",
            instructions="立即疏散受威胁农户", relayed_to="村干部、网格员、受威胁农户")
    assert case.step == "feedback"
    case.do("dc_th_committee_director", "feedback", feedback="2户已转移,要求镇里调拨帐篷",
            fed_back_to="东城镇应急办")
    assert case.step == "response"
    # a later instruction is recorded beside the case whenever it comes
    case.do("dc_th_committee_director", "record_instruction", instructed_by="东城镇副镇长李四",
            instructed_at="2026-11-02T09:55:00+08:00", instructions="封闭村道",
            relayed_to="网格员")
    case.refused("dc_th_committee_director", "missing_field", "respond", handling="",
                 public_info="无", logistics="无", medical="无", disputes="无")
    case.do("dc_th_committee_director", "respond", handling="清理塌方",
            public_info="微信群通报", logistics="镇里调拨", medical="无人受伤", disputes="无")
    case.do("dc_th_committee_director", relief="安置2户", investigation="连日降雨",
            follow_up="设置警示")
    case.refused("dc_th_branch_secretary", "checklist_incomplete", plan_improved=False,
                 filed=True)
    case.refused("dc_th_branch_secretary", "missing_field", plan_improved=True, filed=True,
                 lessons=" ")
    case.do("dc_th_branch_secretary", plan_improved=True, filed=True, lessons="汛期加密巡查")
    row = Incident.objects.get(case_id=case.id)
    assert row.stage == "closed"
    assert "应急处置:清理塌方" in row.response and "善后处理:安置2户" in row.aftermath
    assert "反馈意见:2户已转移" in row.response
    lines = row.instructions.splitlines()
    assert len(lines) == 2
    assert "东城镇应急办张三:立即疏散受威胁农户" in lines[0] and "09:40" in lines[0]
    assert "东城镇副镇长李四:封闭村道" in lines[1]
    # no step of the case was the township's
    events = case.client("dc_th_branch_secretary").get(f"/api/cases/{case.id}/").json()["events"]
    assert all(not e["role"].startswith("township") for e in events)
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_emergency_log",
                       demo["dc_th"].pk)
    assert "后山" in pdf_text(pdf.content)
    header, *rows = xlsx_rows(xlsx.content)
    line = dict(zip(header, rows[0], strict=True))
    assert (line["处置阶段"], line["迟报"], line["教训"]) == ("已总结归档", "否", "汛期加密巡查")
    assert "封闭村道" in line["上级指示"]


def test_without_instructions_yet_the_village_acts_on_its_plan(demo, api, clock):
    case = emergency(api, demo)
    report(case)
    # received: who gave them, when and what are required
    body = case.refused("dc_th_committee_director", "missing_field", "relay",
                        received="received", instructed_by=None, instructed_at=None,
                        instructions=None, relayed_to=None)
    assert body["field"] in ("instructed_by", "instructed_at", "instructions", "relayed_to")
    case.do("dc_th_committee_director", "relay", samples=False, received="pending")
    assert case.step == "feedback"
    assert "按应急预案先行处置" in Incident.objects.get(case_id=case.id).instructions


# --- 10(4) ---------------------------------------------------------------------------------

def fire(api, demo, call="2026-11-02T09:10:00+08:00", report="2026-11-02T10:00:00+08:00"):
    case = open_case("10.4", demo["dc_th"], "dc_th_committee_member", title="仓库火灾")
    response = case.try_("dc_th_committee_member", started_at="2026-11-02T09:00:00+08:00",
                         location="村仓库", description="电线短路起火", call_119_at=call,
                         reported_at=report, reported_to="东城镇", engine_met=True,
                         plan_activated=True)
    return case, response


def test_fire_call_and_report_times_are_required(demo, api, clock):
    _case, response = fire(api, demo, call="")
    assert response.json()["field"] == "call_119_at"
    assert response.json()["code"] == "missing_field"


def test_fire_limits_at_the_line_and_one_minute_past(demo, api, clock):
    clock.move_to(START + dt.timedelta(minutes=5))
    on_time, _ = fire(api, demo)
    assert on_time.alerts() == []
    late_report, _ = fire(api, demo, report="2026-11-02T10:01:00+08:00")
    assert any("报告上级" in m for m in late_report.alerts("late_report"))
    late_call, _ = fire(api, demo, call="2026-11-02T09:11:00+08:00")
    assert any("拨打119" in m for m in late_call.alerts("late_report"))
    assert Incident.objects.get(case_id=on_time.id).late_report is False


def test_fire_is_counted_tallied_and_sent_back_for_shallow_lessons(demo, api, clock, tmp_path):
    case, response = fire(api, demo)
    assert response.status_code == 200
    case.case = response.json()
    case.do("dc_th_committee_director", rescued=2, evacuation="沿村道向广场撤离")
    case.refused("dc_th_committee_director", "requirement_not_met", people_counted=12,
                 injured=1, deaths=0, reported=False)
    body = case.refused("dc_th_committee_director", "out_of_range", people_counted=12,
                        injured=-1, deaths=0, reported=True)
    assert body["field"] == "injured"
    case.do("dc_th_committee_director", people_counted=12, injured=1, deaths=0, reported=True)
    case.refused("dc_th_committee_director", "out_of_range", direct_loss="-1",
                 description="烧毁农资")
    case.do("dc_th_committee_director", direct_loss="5000", description="烧毁农资")
    for blank in ("gaps", "accountability", "lessons"):
        body = case.refused("dc_th_branch_secretary", "missing_field", **{blank: " "})
        assert body["field"] == blank
    case.do("dc_th_branch_secretary", accountability="仓库管理员通报批评", lessons="定期检查电线")
    town = case.client("dc_township_government")
    response = town.post(f"/api/cases/{case.id}/actions/",
                         {"action": "return", "data": {"step": "accountability"}, "comment": ""},
                         format="json")
    assert response.json()["code"] == "missing_field"
    response = town.post(f"/api/cases/{case.id}/actions/",
                         {"action": "return", "data": {"step": "accountability"},
                          "comment": "责任追究不到位"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["current_step"] == "accountability"
    case.do("dc_th_branch_secretary", accountability="仓库管理员和分管委员均予问责",
            lessons="定期检查电线")
    case.do("dc_township_government")
    row = Incident.objects.get(case_id=case.id)
    assert (row.stage, row.people_counted, row.injured, row.deaths) == ("closed", 12, 1, 0)
    assert "分管委员" in row.accountability and "向广场撤离" in row.response
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_fire_log", demo["dc_th"].pk)
    text = "".join(pdf_text(pdf.content, layout=False).split())
    assert "桃花村火灾事故登记簿" in text and "沿村道向广场撤离" in text
    header, *rows = xlsx_rows(xlsx.content)
    line = dict(zip(header, rows[0], strict=True))
    # real date-times (local, as Excel keeps them), not text
    assert (line["拨打119时间"], line["报告上级时间"]) == (
        dt.datetime(2026, 11, 2, 9, 10), dt.datetime(2026, 11, 2, 10, 0))
    assert (line["清点人数"], line["死亡人数"], line["教训"]) == (12, 0, "定期检查电线")
    assert line["损失"].startswith("直接经济损失5000.00元")


# --- 10(2) ---------------------------------------------------------------------------------

def hazard(due="2026-11-20", **cells):
    """One hazard found: where, what, how grave, by when and by whom it is put right."""
    return {"location": "村口桥梁", "description": "护栏松动", "gravity": "ordinary",
            "rectify_by": due, "responsible": "张三", **cells}


def inspection(api, demo, due="2026-11-20"):
    case = open_case("10.2", demo["dc_th"], "dc_th_committee_member", title="11月隐患排查")
    response = case.try_("dc_th_committee_member", source="report", places="村道、桥梁",
                         result="found", hazards=[hazard(due)])
    return case, response


def test_rectification_deadline_of_30_days_is_allowed_31_refused(demo, api, clock):
    _case, ok = inspection(api, demo, due="2026-12-02")
    assert ok.status_code == 200
    _case, bad = inspection(api, demo, due="2026-12-03")
    assert (bad.json()["code"], bad.json()["field"]) == ("rectify_deadline_too_long",
                                                         "hazards[0].rectify_by")


def test_failed_reinspection_goes_back_to_rectification(demo, api, clock, tmp_path):
    case, response = inspection(api, demo)
    case.case = response.json()
    assert case.step == "rectify"
    case.do("dc_th_committee_member", measures="更换护栏", completed_on=DAY)
    assert "reinspect" not in case.offers("dc_th_committee_member")
    case.do("dc_th_committee_director", result="failed", note="焊接不牢")
    assert case.step == "rectify"
    assert Hazard.objects.get(case_id=case.id).state == "rework"
    case.do("dc_th_committee_member", measures="重新焊接", completed_on=DAY)
    case.do("dc_th_committee_director", result="passed", note="合格")
    case.do("dc_th_committee_director", feedback="已告知举报人", filed=True)
    hazard = Hazard.objects.get(case_id=case.id)
    assert (hazard.state, hazard.reinspections) == ("closed", 2)
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_hazard_ledger",
                       demo["dc_th"].pk)
    assert "护栏松动" in pdf_text(pdf.content)
    assert "已销号" in xlsx_cells(xlsx.content)


def test_deadline_in_the_past_is_refused_today_is_allowed(demo, api, clock):
    _case, bad = inspection(api, demo, due="2026-11-01")
    assert (bad.json()["code"], bad.json()["field"]) == ("date_order", "hazards[0].rectify_by")
    _case, ok = inspection(api, demo, due=DAY)
    assert ok.status_code == 200
    assert list(Hazard.objects.values_list("rectify_by", flat=True)) == [dt.date(2026, 11, 2)]


def test_closure_waits_for_a_passed_reinspection_and_late_work_is_flagged(demo, api, clock):
    on_time, late = inspection(api, demo, due="2026-11-10"), inspection(api, demo,
                                                                        due="2026-11-10")
    cases = []
    for case, response in (on_time, late):
        case.case = response.json()
        cases.append(case)
    clock.move_to(START + dt.timedelta(days=9))  # 11-11
    for case, done in zip(cases, ("2026-11-10", "2026-11-11"), strict=True):
        case.do("dc_th_committee_member", measures="更换护栏", completed_on=done)
    assert cases[0].alerts("overdue") == []
    assert any("超过整改期限" in m for m in cases[1].alerts("overdue"))
    response = cases[0].post("dc_th_committee_director", "archive",
                             {"feedback": "x", "filed": True})
    assert (response.status_code, response.json()["code"]) == (400, "wrong_step")
    assert Hazard.objects.get(case_id=cases[0].id).state == "open"


def test_found_without_hazards_is_refused(demo, api, clock):
    case = open_case("10.2", demo["dc_th"], "dc_th_committee_member", title="排查")
    # the hazards are required when the result says some were found (their required_if)
    body = case.refused("dc_th_committee_member", "missing_field", source="inspection",
                        places="x", result="found", hazards=[])
    assert body["field"] == "hazards"
    body = case.refused("dc_th_committee_member", "invalid_field", source="inspection",
                        places="x", result="none", hazards=[hazard()])
    assert body["field"] == "result"
    assert not Hazard.objects.exists()
    case.do("dc_th_committee_member", source="inspection", places="x", result="none",
            hazards=None)
    assert case.case["closed"] is True


def test_hazard_past_its_deadline_raises_an_alert_once(demo, api, clock):
    case, _ = inspection(api, demo, due="2026-11-10")
    check_overdue_hazards(dt.datetime(2026, 11, 10, 15, 0, tzinfo=dt.UTC))  # 11-10 23:00
    assert case.alerts() == []
    check_overdue_hazards(dt.datetime(2026, 11, 10, 16, 1, tzinfo=dt.UTC))  # 11-11 00:01
    check_overdue_hazards(dt.datetime(2026, 11, 12, 2, 0, tzinfo=dt.UTC))
    assert len(case.alerts("overdue")) == 1


# --- 10(3) ---------------------------------------------------------------------------------

def test_safety_rules_must_be_complete_and_checked_by_another(demo, api, clock, tmp_path):
    case = open_case("10.3", demo["dc_th"], "dc_th_branch_secretary", title="安全生产制度建设")
    body = case.refused("dc_th_branch_secretary", "rules_incomplete", rules=ALL_RULES[:5])
    assert "安全检查考核制度" in body["detail"]
    # the two committees of the day: 5 members (任职记录); 2 present is no quorum
    case.refused("dc_th_branch_secretary", "quorum_not_met", rules=ALL_RULES,
                 meeting=m(5, 2, 2))
    case.do("dc_th_branch_secretary", rules=ALL_RULES, meeting=m(held_at=DAY))
    body = case.refused("dc_th_committee_director", "out_of_range", participants=0, held_on=DAY)
    assert body["field"] == "participants"
    case.do("dc_th_committee_director", participants=30, held_on=DAY)
    assert "check" not in case.offers("dc_th_committee_director")
    for blank in ("rectification", "rectify_by"):  # both required when problems are found
        body = case.refused("dc_th_branch_secretary", "missing_field", checked_on=DAY,
                            result="problems", **{blank: ""})
        assert body["field"] == blank
    case.do("dc_th_branch_secretary", checked_on=DAY, result="problems",
            rectification="消防器材11月底前补齐")
    assert SafetyProductionRecord.objects.filter(case_id=case.id).count() == 3
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_production_ledger",
                       demo["dc_th"].pk)
    assert "消防器材" in pdf_text(pdf.content)
    assert "宣传培训" in xlsx_cells(xlsx.content)
