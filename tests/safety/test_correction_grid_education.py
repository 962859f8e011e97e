"""07(3) community correction, 08 grid management and 09 legal education."""

import datetime as dt
import json

from core.models import User
from safety.effects.correction import check_daily_check_ins
from safety.effects.education import check_legal_education
from safety.effects.grid import check_unreported_grid_incidents
from safety.models import CorrectionPerson, Grid, GridIncident, LegalEducationActivity
from tests.driver import START, open_case
from tests.exports import export, pdf_text, xlsx_cells, xlsx_rows
from tests.samples import upload_pdf, upload_png
from workflows.models import Alert, PublicityNotice
from workflows.registry import registry

DAY = "2026-11-02"
MONTH = "2026-11"


# --- 07(3) ---------------------------------------------------------------------------------

# the correction group: one member a row, who they are and how to reach them
GROUP = [{"name": "钱主任", "role": "village", "phone": "13800000001"},
         {"name": "孙网格", "role": "grid"},
         {"name": "赵父", "role": "family", "phone": "0571-87654321"}]


def correction(api, demo, start="2026-11-01", end="2027-05-01"):
    case = open_case("07.3", demo["dc_th"], "dc_th_committee_director", title="社区矫正对象赵六")
    case.do("dc_th_committee_director", name="赵六", id_number="330299199001015678",
            residence="桃花村3组12号", village_opinion="同意接收", facts_true=True)
    case.do("dc_th_committee_director", start=start, end=end, group=GROUP)
    assert case.step == "supervise"
    return case


def test_pre_sentence_investigation_must_be_declared_true(demo, api, clock):
    case = open_case("07.3", demo["dc_th"], "dc_th_committee_director", title="审前调查")
    case.refused("dc_th_committee_director", "requirement_not_met", name="赵六",
                 id_number="330299199001015678", residence="x", village_opinion="y",
                 facts_true=False)


def assess(case, outcome="none", nxt="continue", period=MONTH, on=DAY, decided=DAY,
           basis="表现一般"):
    """The correction group records the period's conduct and reports it; the township's
    judicial office (司法所) decides the reward or penalty and what comes next."""
    case.do("dc_th_committee_director", "assess", period_from=period, period_to=period,
            assessed_on=on, reasons="表现情况")
    assert case.step == "assessment_decision"
    case.do("dc_township_justice", "decide", outcome=outcome, decided_on=decided,
            basis=basis, next=nxt)


def test_release_is_refused_before_the_end_of_the_term(demo, api, clock):
    case = correction(api, demo)
    assess(case, outcome="praise", nxt="release", basis="表现良好")
    assert case.step == "release"
    body = case.refused("dc_th_committee_director", "too_early", released_on="2026-11-08",
                        filed=True)
    assert body["not_before"].startswith("2027-05-01T00:00")
    clock.move_to(dt.datetime(2027, 5, 1, 1, 0, tzinfo=dt.UTC))  # 09:00 on the last day
    case.do("dc_th_committee_director", released_on="2027-05-01", filed=True)
    person = CorrectionPerson.objects.get(case_id=case.id)
    assert (person.state, person.released_on) == ("released", dt.date(2027, 5, 1))
    assert person.activities.filter(kind="assessment").count() == 1


def test_term_must_end_after_it_starts(demo, api, clock):
    case = open_case("07.3", demo["dc_th"], "dc_th_committee_director", title="社区矫正对象赵六")
    case.do("dc_th_committee_director", name="赵六", id_number="330299199001015678",
            residence="桃花村3组12号", village_opinion="同意接收", facts_true=True)
    body = case.refused("dc_th_committee_director", "date_order", start="2026-11-01",
                        end="2026-11-01", group=GROUP)
    assert body["field"] == "end"
    case.do("dc_th_committee_director", start="2026-11-01", end="2026-11-02", group=GROUP)
    person = CorrectionPerson.objects.get(case_id=case.id)
    assert (person.state, person.start, person.end) == ("under", dt.date(2026, 11, 1),
                                                       dt.date(2026, 11, 2))
    # the term is computed from the two days (both included), never typed
    assert person.term == "2天"


def test_check_ins_lie_within_the_term_and_not_in_the_future(demo, api, clock):
    case = correction(api, demo, start="2026-11-02")
    body = case.refused("dc_th_grid_worker", "date_order", "check_in", on="2026-11-01",
                        method="platform", result="normal")
    assert body["field"] == "on"
    case.refused("dc_th_grid_worker", "future_date", "check_in", on="2026-11-03",
                 method="platform", result="normal")
    assert CorrectionPerson.objects.get(case_id=case.id).activities.count() == 0


def test_release_the_day_before_the_end_is_refused_and_dated_before_the_end(demo, api, clock):
    case = correction(api, demo, end="2026-11-20")
    clock.move_to(dt.datetime(2026, 11, 19, 15, 59, tzinfo=dt.UTC))  # 11-19 23:59
    assess(case, nxt="release", decided="2026-11-19")
    body = case.refused("dc_th_committee_director", "too_early", released_on="2026-11-19",
                        filed=True)
    assert body["not_before"].startswith("2026-11-20T00:00")
    clock.move_to(dt.datetime(2026, 11, 19, 16, 0, tzinfo=dt.UTC))  # 11-20 00:00
    body = case.refused("dc_th_committee_director", "date_order", released_on="2026-11-19",
                        filed=True)
    assert body["field"] == "released_on"
    case.do("dc_th_committee_director", released_on="2026-11-20", filed=True)
    assert CorrectionPerson.objects.get(case_id=case.id).state == "released"


def test_the_judicial_office_decides_the_assessment_the_group_only_reports(demo, api, clock):
    """考核奖惩 is the 司法所's (社区矫正法 第二十八条): the group records and reports, the
    township's judicial office decides; neither the village nor another township office
    may decide it."""
    case = correction(api, demo)
    case.do("dc_th_committee_director", "assess", period_from=MONTH, period_to=MONTH,
            assessed_on=DAY, reasons="未按规定请假外出", proposal="warning")
    assert case.step == "assessment_decision"
    task = case.case["tasks"][0]
    assert (task["roles"], task["region"]) == (["township_justice"], demo["dc"].pk)
    for village_user in ("dc_th_committee_director", "dc_th_branch_secretary"):
        assert "decide" not in case.offers(village_user)
    assert "decide" not in case.offers("dc_township_government")
    # another township's judicial office does not even see the case
    assert case.client("xh_township_justice").get(f"/api/cases/{case.id}/").status_code == 404
    assert "decide" in case.offers("dc_township_justice")
    # no decision dated before the group's report
    case.refused("dc_township_justice", "date_order", "decide", outcome="warning",
                 decided_on="2026-11-01", basis="x", next="continue")
    case.do("dc_township_justice", "decide", outcome="warning", decided_on=DAY,
            basis="未经批准外出,依《社区矫正法》第二十八条给予警告", next="continue")
    assert case.step == "supervise"
    person = CorrectionPerson.objects.get(case_id=case.id)
    decision = person.activities.get(kind="assessment")
    assert decision.detail == "2026年11月:警告"
    assert "未按规定请假外出" in decision.note and "第二十八条" in decision.note
    assert decision.recorded_by == User.objects.get(username="dc_township_justice").get_full_name()


def test_nothing_of_a_correction_reaches_the_public_board(demo, api, clock, client):
    """The identity of a person under correction and their sanctions are confidential
    (社区矫正法 第四条): no notice is posted for a 警告 or a 提请撤销缓刑, nothing reaches the
    board, and no field of the procedure is public."""
    case = correction(api, demo)
    assess(case, outcome="warning", basis="未按规定请假外出")
    assess(case, outcome="revoke", basis="严重违反监督管理规定")
    assert PublicityNotice.objects.filter(case_id=case.id).count() == 0
    detail = case.client("dc_th_committee_director").get(f"/api/cases/{case.id}/").json()
    assert detail["publicity"] == []
    spec = registry.get("07.3")
    assert spec.confidential is True
    assert not any(st.publicity for st in spec.steps)
    assert not any(fs.public for st in spec.steps for a in st.actions for fs in a.fields)
    board = client.get(f"/board/{demo['dc_th'].pk}/")
    assert board.status_code == 200
    text = board.content.decode()
    assert "赵六" not in text and "警告" not in text and "撤销缓刑" not in text


def test_the_supervisory_committee_reads_the_whole_correction_record(demo, api, clock):
    case = correction(api, demo)
    assess(case, outcome="praise", basis="表现良好")
    seen = case.client("dc_th_supervisory_member").get(f"/api/cases/{case.id}/")
    assert seen.status_code == 200
    body = seen.json()
    assert [e["action"] for e in body["events"]][-2:] == ["assess", "decide"]
    assert body["actions"] == []
    # another village's committee does not see it
    assert case.client("dc_yl_supervisory_member").get(
        f"/api/cases/{case.id}/").status_code == 404


def test_decisions_are_recorded_and_supervision_goes_on(demo, api, clock, tmp_path):
    case = correction(api, demo)
    case.do("dc_th_grid_worker", "check_in", on=DAY, method="platform", result="normal")
    assess(case, outcome="warning", basis="未按规定请假外出")
    assert case.step == "supervise"
    # a month is assessed once it has begun (the months are this month at the latest)
    case.refused("dc_th_committee_director", "future_date", "assess", period_from="2026-12",
                 period_to="2026-12", assessed_on="2026-11-08", reasons="表现良好")
    clock.move_to(START + dt.timedelta(days=29))  # 12-01
    assess(case, outcome="praise", period="2026-12", on="2026-12-01", decided="2026-12-01",
           basis="表现良好")
    person = CorrectionPerson.objects.get(case_id=case.id)
    outcomes = list(person.activities.filter(kind="assessment").order_by("on")
                    .values_list("detail", flat=True))
    assert outcomes == ["2026年11月:警告", "2026年12月:表扬"]
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_correction_roster",
                       demo["dc_th"].pk)
    header, *rows = xlsx_rows(xlsx.content)
    row = dict(zip(header, next(r for r in rows if r[0] == "赵六"), strict=True))
    assert (row["点验次数"], row["最近考核奖惩"], row["状态"]) == (1, "2026年12月:表扬", "矫正中")
    assert (row["矫正期限"], row["矫正小组"]) == (
        "6个月1天", "钱主任(村(居)委会人员,13800000001)、孙网格(网格员)、"
                   "赵父(家庭成员或监护人、保证人,0571-87654321)")
    assert "最近考核奖惩" in "".join(pdf_text(pdf.content).split())


def test_the_judicial_office_records_check_ins_while_it_decides(demo, api, clock):
    """The daily check-in does not stop while the 司法所 decides an assessment."""
    case = correction(api, demo)
    case.do("dc_th_committee_director", "assess", period_from=MONTH, period_to=MONTH,
            assessed_on=DAY, reasons="表现一般")
    case.do("dc_township_justice", "check_in", on=DAY, method="platform", result="normal")
    assert CorrectionPerson.objects.get(case_id=case.id).activities.filter(
        kind="check_in").count() == 1


def test_correction_ends_early_on_revocation_and_is_no_longer_watched(demo, api, clock):
    case = correction(api, demo)
    assess(case, outcome="revoke", basis="严重违反监督管理规定")
    clock.move_to(START + dt.timedelta(days=6))
    case.refused("dc_th_committee_director", "checklist_incomplete", "terminate",
                 reason="revoked", terminated_on="2026-11-08", filed=False)
    case.refused("dc_th_committee_director", "date_order", "terminate", reason="revoked",
                 terminated_on="2026-10-31", filed=True)
    case.do("dc_th_committee_director", "terminate", reason="revoked",
            terminated_on="2026-11-08", filed=True)
    assert case.case["closed"] is True
    person = CorrectionPerson.objects.get(case_id=case.id)
    assert (person.state, person.terminated_on, person.termination_reason) == (
        "terminated", dt.date(2026, 11, 8), "revoked")
    check_daily_check_ins(START + dt.timedelta(days=20))
    assert not [m for m in case.alerts("domain") if "点验" in m]


def test_a_day_without_check_in_is_fine_two_days_raise_an_alert(demo, api, clock):
    case = correction(api, demo)
    case.do("dc_th_grid_worker", "check_in", on="2026-11-02", method="platform",
            result="normal")
    clock.move_to(START + dt.timedelta(days=1))  # 11-03: last check-in yesterday
    check_daily_check_ins(START + dt.timedelta(days=1))
    assert case.alerts("domain") == []
    later = START + dt.timedelta(days=2)  # 11-04: two days since
    check_daily_check_ins(later)
    check_daily_check_ins(later)
    assert len(case.alerts("domain")) == 1


def test_abnormal_check_in_raises_an_alert(demo, api, clock):
    case = correction(api, demo)
    case.do("dc_th_grid_worker", "check_in", on=DAY, method="phone", result="abnormal",
            note="未按时报到")
    case.do("dc_th_grid_worker", "visit", on=DAY, note="上门谈话")
    case.do("dc_th_grid_worker", "education", on=DAY, kind="individual", content="个别教育")
    case.do("dc_th_grid_worker", "welfare", on=DAY, hours=4, note="清扫村道")
    assert any("异常" in m for m in case.alerts("domain"))
    person = CorrectionPerson.objects.get(case_id=case.id)
    assert person.activities.count() == 4


def test_correction_roster_masks_the_id_number(demo, api, clock, tmp_path):
    correction(api, demo)
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_correction_roster",
                       demo["dc_th"].pk)
    assert "赵六" in pdf_text(pdf.content)
    cells = xlsx_cells(xlsx.content)
    assert "330299********5678" in cells
    assert "330299199001015678" not in cells


# --- 08 ------------------------------------------------------------------------------------

def round_(api, demo):
    case = open_case("08", demo["dc_th"], "dc_th_branch_secretary", title="2026年11月集中排查")
    case.do("dc_th_branch_secretary", period=MONTH, situation="总体平稳",
            focus="邻里纠纷、用电安全")
    return case


def grid(village, name="第一网格"):
    """The id of a grid of the village's grid roster (what a ``ref="grid"`` field takes)."""
    return Grid.objects.get(region=village, name=name, ended_on__isnull=True).pk


def covered(village, **households):
    """The coverage of a round: one row per grid named, with the households visited."""
    return [{"grid": grid(village, name), "households": n} for name, n in households.items()]


def incident(case, gravity="major", handled=False, found="2026-11-02T09:00:00+08:00"):
    case.do("dc_th_grid_worker", "record_incident", grid=grid(case.row.region), kind="dispute",
            gravity=gravity, found_at=found, description="两户因宅基地争吵", handled=handled)
    return GridIncident.objects.filter(case_id=case.id).order_by("-number").first()


def test_every_grid_must_be_covered_before_the_round_ends(demo, api, clock):
    village = demo["dc_th"]
    case = round_(api, demo)
    # a grid of another village's roster is not one of this round's
    body = case.refused("dc_th_grid_worker", "not_on_roster",
                        coverage=[{"grid": grid(demo["dc_yl"]), "households": 10}])
    assert body["field"] == "coverage[0].grid"
    Grid.objects.create(region=village, name="第二网格", households=80)
    body = case.refused("dc_th_grid_worker", "grid_not_covered",
                        coverage=covered(village, 第一网格=120))
    assert "第二网格" in body["detail"]
    # no more households visited than the grid has
    body = case.refused("dc_th_grid_worker", "out_of_range",
                        coverage=covered(village, 第一网格=120, 第二网格=81))
    assert body["field"] == "coverage[1].households"
    case.do("dc_th_grid_worker", coverage=covered(village, 第一网格=120, 第二网格=80))
    assert case.step == "summary"


def test_major_incident_must_be_reported_before_the_round_ends(demo, api, clock):
    case = round_(api, demo)
    row = incident(case)
    case.refused("dc_th_grid_worker", "major_not_reported",
                 coverage=covered(demo["dc_th"], 第一网格=120))
    case.do("dc_th_grid_worker", "report_incident", number=row.number,
            reported_at="2026-11-02T09:30:00+08:00", reported_to="东城镇综治中心")
    case.refused("dc_th_grid_worker", "already_reported", "report_incident",
                 number=row.number, reported_at="2026-11-02T09:40:00+08:00", reported_to="x")
    case.do("dc_th_grid_worker", coverage=covered(demo["dc_th"], 第一网格=120))


def test_unhandled_ordinary_incident_must_be_reported_too(demo, api, clock):
    case = round_(api, demo)
    incident(case, gravity="ordinary", handled=False)
    case.refused("dc_th_grid_worker", "incident_unresolved",
                 coverage=covered(demo["dc_th"], 第一网格=120))
    incident(case, gravity="ordinary", handled=True)


def test_report_one_hour_after_finding_is_on_time_one_minute_more_is_late(demo, api, clock):
    case = round_(api, demo)
    first, second = incident(case), incident(case)
    case.do("dc_th_grid_worker", "report_incident", number=first.number,
            reported_at="2026-11-02T10:00:00+08:00", reported_to="镇综治中心")
    assert case.alerts("late_report") == []
    clock.move_to(START + dt.timedelta(minutes=5))
    case.do("dc_th_grid_worker", "report_incident", number=second.number,
            reported_at="2026-11-02T10:01:00+08:00", reported_to="镇综治中心")
    assert len(case.alerts("late_report")) == 1
    first.refresh_from_db()
    assert first.state == "reported"


def test_sweep_alerts_an_unreported_major_incident_after_the_limit(demo, api, clock):
    case = round_(api, demo)
    incident(case, found="2026-11-02T09:00:00+08:00")
    check_unreported_grid_incidents(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))  # 10:00
    assert case.alerts() == []
    check_unreported_grid_incidents(dt.datetime(2026, 11, 2, 2, 1, tzinfo=dt.UTC))
    assert len(case.alerts("late_report")) == 1


def test_grid_roster_lists_the_grids_with_their_workers(demo, api, clock, tmp_path):
    case = round_(api, demo)
    incident(case, gravity="ordinary", handled=True)
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_grid_roster", demo["dc_th"].pk)
    worker = GridIncident.objects.get(case_id=case.id).recorded_by
    header, *rows = xlsx_rows(xlsx.content)
    row = dict(zip(header, rows[0], strict=True))
    assert (row["网格"], row["户数"], row["网格员"], row["登记事件数"]) == ("第一网格", 120,
                                                                  worker, 1)
    assert "网格及网格员名册" in "".join(pdf_text(pdf.content).split())


def test_grid_incident_log_exports(demo, api, clock, tmp_path):
    case = round_(api, demo)
    incident(case)
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_grid_incident_log",
                       demo["dc_th"].pk)
    assert "第一网格" in pdf_text(pdf.content)
    assert "重大疑难复杂" in xlsx_cells(xlsx.content)
    assert api("xh_qq_grid_worker").get(f"/api/cases/{case.id}/").status_code == 404


# --- 09 ------------------------------------------------------------------------------------

def activity(api, demo, held_on=DAY, **files):
    case = open_case("09", demo["dc_th"], "dc_th_branch_secretary", title="宪法宣传")
    case.do("dc_th_branch_secretary", kind="law_day", topic="宪法进村", audience="全体村民",
            planned_on=held_on)
    client = case.client("dc_th_branch_secretary")
    data = {"held_on": held_on, "location": "文化礼堂", "participants": 45,
            "content": "讲解宪法"}
    response = client.post(f"/api/cases/{case.id}/actions/",
                           {"action": "hold", "data": json.dumps(data), **files},
                           format="multipart")
    return case, response


def test_activity_needs_a_photo_and_a_sign_in_sheet(demo, api, clock):
    _case, response = activity(api, demo, sign_in=upload_pdf("签到表.pdf"))
    assert response.json()["code"] == "missing_attachment"
    assert response.json()["field"] == "photo"
    _case, response = activity(api, demo, photo=upload_pdf("假照片.pdf"),
                               sign_in=upload_pdf("签到表.pdf"))
    assert response.json()["code"] == "attachment_type"
    _case, response = activity(api, demo, photo=upload_png(), sign_in=upload_pdf("签到表.pdf"))
    assert response.status_code == 200, response.content
    row = LegalEducationActivity.objects.get()
    assert (row.kind, row.participants, row.photo.field) == ("law_day", 45, "photo")


def test_activity_needs_participants_and_may_not_be_dated_ahead(demo, api, clock):
    case, response = activity(api, demo, photo=upload_png(), sign_in=upload_pdf("签到表.pdf"))
    assert response.status_code == 200
    for held_on, participants, code in (("2026-11-03", 45, "future_date"),
                                        (DAY, 0, "no_participants")):
        case = open_case("09", demo["dc_th"], "dc_th_branch_secretary", title="普法")
        case.do("dc_th_branch_secretary", kind="legal_education", topic="民法典",
                audience="村民", planned_on=DAY)
        case.refused("dc_th_branch_secretary", code, held_on=held_on,
                     participants=participants)
    assert LegalEducationActivity.objects.count() == 1


def test_no_activity_for_more_than_three_months_raises_an_alert(demo, api, clock, tmp_path):
    activity(api, demo, photo=upload_png(), sign_in=upload_pdf("签到表.pdf"))
    village = demo["dc_th"]
    check_legal_education(dt.datetime(2027, 2, 2, 2, 0, tzinfo=dt.UTC))  # exactly 3 months
    assert not Alert.objects.filter(region=village).exists()
    check_legal_education(dt.datetime(2027, 2, 3, 2, 0, tzinfo=dt.UTC))
    check_legal_education(dt.datetime(2027, 2, 4, 2, 0, tzinfo=dt.UTC))
    assert Alert.objects.filter(region=village, kind="domain").count() == 1
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_legal_education_ledger",
                       village.pk)
    assert "宪法进村" in pdf_text(pdf.content)
    assert "法律宣传日活动" in xlsx_cells(xlsx.content)
