"""07(1) mediation and 07(2) petitions through the API."""

import datetime as dt

from safety.models import Dispute, Petition
from tests.driver import GATE, START, drive, open_case
from tests.exports import export, pdf_text, xlsx_cells
from workflows.models import Notification, Task
from workflows.sweep import sweep

DAY = "2026-11-02"
# the parties, one a row: which side, who, where they live, how to reach them
PARTIES = [{"side": "applicant", "name": "张三", "address": "一组12号", "phone": "13800000011"},
           {"side": "respondent", "name": "李四", "address": "一组14号"}]


def dispute(api, demo, gravity="ordinary"):
    case = open_case("07.1", demo["dc_th"], "dc_th_mediator", title="张李两家宅基地纠纷")
    case.do("dc_th_mediator", parties=PARTIES, kind="neighbour", source="application",
            received_on=DAY, summary="排水沟边界争议", gravity=gravity)
    return case


def test_ordinary_dispute_is_mediated_visited_and_archived_into_the_ledger(demo, api, clock):
    case = dispute(api, demo)
    assert case.step == "mediate"
    case.do("dc_th_mediator", "record_session", held_on=DAY, means="face", content="第一次调解")
    case.do("dc_th_mediator", "conclude", held_on=DAY, means="joint", content="达成协议",
            result="agreed")
    assert case.step == "follow_up"
    case.do("dc_th_grid_worker", visited_on=DAY, satisfied=True, feedback="双方履行协议")
    case.do("dc_th_committee_director", ledger_done=True, materials_filed=True)
    row = Dispute.objects.get(case_id=case.id)
    assert (row.number, row.state, row.sessions.count()) == (1, "archived", 2)
    assert row.visited_by and row.satisfied is True
    assert row.history.count() >= 4


def test_a_dispute_has_two_parties_at_least_each_on_a_side(demo, api, clock):
    case = open_case("07.1", demo["dc_th"], "dc_th_mediator", title="张李两家宅基地纠纷")
    body = case.refused("dc_th_mediator", "row_count", parties=PARTIES[:1], received_on=DAY)
    assert body["field"] == "parties"
    body = case.refused("dc_th_mediator", "invalid_field", received_on=DAY,
                        parties=[PARTIES[0], {**PARTIES[1], "side": "被告"}])
    assert body["field"] == "parties[1].side"
    assert not Dispute.objects.exists()


def test_major_dispute_waits_for_the_township_before_mediation(demo, api, clock):
    case = dispute(api, demo, gravity="major")
    assert case.step == "township_report"
    assert "conclude" not in case.offers("dc_th_mediator")
    assert Dispute.objects.get(case_id=case.id).reported_at is not None
    case.refused("dc_township_government", "requirement_not_met", instructions="做好稳控",
                 contingency_plan=False)
    case.do("dc_township_government", instructions="做好稳控", contingency_plan=True)
    assert case.step == "mediate"
    assert Dispute.objects.get(case_id=case.id).acknowledged_at is not None


def test_mediator_may_not_visit_the_dispute_they_mediated(demo, api, clock):
    case = dispute(api, demo)
    case.do("dc_th_mediator", "conclude", held_on=DAY, means="face", content="调解",
            result="agreed")
    assert "visit" not in case.offers("dc_th_mediator")
    through_the_gate = drive(case.id, via=GATE)
    through_the_gate.refused("dc_th_mediator", "separation_of_duties", "visit", samples=False,
                             visited_on=DAY, satisfied=True, feedback="x")


def test_a_dispute_cannot_be_closed_without_the_follow_up_visit(demo, api, clock):
    case = dispute(api, demo)
    case.do("dc_th_mediator", "conclude", held_on=DAY, means="face", content="调解",
            result="agreed")
    assert case.step == "follow_up"
    assert "archive" not in case.offers("dc_th_committee_director")
    response = case.post("dc_th_committee_director", "archive",
                         {"ledger_done": True, "materials_filed": True})
    assert (response.status_code, response.json()["code"]) == (400, "wrong_step")
    body = case.refused("dc_th_grid_worker", "date_order", visited_on="2026-11-01",
                        satisfied=True, feedback="x")
    assert body["field"] == "visited_on"
    row = Dispute.objects.get(case_id=case.id)
    assert (row.state, row.visited_on, row.archived_at) == ("concluded", None, None)


def test_follow_up_after_15_days_is_escalated(demo, api, clock):
    case = dispute(api, demo)
    case.do("dc_th_mediator", "conclude", held_on=DAY, means="face", content="调解",
            result="agreed")
    sweep(START + dt.timedelta(days=15, minutes=-1))
    assert case.alerts("overdue") == []
    sweep(START + dt.timedelta(days=15, minutes=1))
    assert len(case.alerts("overdue")) == 1


def test_a_major_dispute_is_in_the_ledger_as_reported_and_the_township_is_told(demo, api,
                                                                               clock):
    case = dispute(api, demo, gravity="major")
    detail = case.client("dc_township_government").get(f"/api/cases/{case.id}/").json()
    assert "acknowledge" in [a["code"] for a in detail["actions"]]
    assert Notification.objects.filter(case_id=case.id,
                                       user__username="dc_township_government").exists()
    row = Dispute.objects.get(case_id=case.id)
    assert (row.state, row.gravity) == ("reported", "major")


def test_unsatisfied_party_at_follow_up_raises_an_alert(demo, api, clock):
    case = dispute(api, demo)
    case.do("dc_th_mediator", "conclude", held_on=DAY, means="face", content="调解",
            result="not_agreed")
    case.do("dc_th_grid_worker", visited_on=DAY, satisfied=False, feedback="认为调解偏袒")
    assert any("不满意" in m for m in case.alerts("domain"))


def test_mediation_date_may_not_lie_in_the_future(demo, api, clock):
    case = dispute(api, demo)
    case.refused("dc_th_mediator", "future_date", "conclude", held_on="2026-11-03",
                 means="face", content="调解", result="agreed")


def test_dispute_ledger_exports_and_other_village_sees_nothing(demo, api, clock, tmp_path):
    case = dispute(api, demo)
    assert api("dc_yl_mediator").get(f"/api/cases/{case.id}/").status_code == 404
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_dispute_ledger",
                       demo["dc_th"].pk)
    assert pdf.status_code == 200
    text = "".join(pdf_text(pdf.content, layout=False).split())
    assert "张三(申请人(一方),一组12号,13800000011);李四(被申请人(另一方),一组14号)" in text
    cells = xlsx_cells(xlsx.content)
    assert "纠纷类别" in cells and "邻里纠纷" in cells


# --- 07(2) petitions ------------------------------------------------------------------------

def petition(api, village, who, received_on=DAY, id_number="330299198001011234"):
    case = open_case("07.2", village, who, title="来访反映道路问题")
    case.do(who, petitioner="王五", id_number=id_number, contact="13900000000",
            channel="visit", received_on=received_on, content="村道破损")
    return case


def test_petitions_are_numbered_per_village_per_year(demo, api, clock):
    first = petition(api, demo["dc_th"], "dc_th_committee_member")
    second = petition(api, demo["dc_th"], "dc_th_committee_member")
    other = petition(api, demo["dc_yl"], "dc_yl_committee_member")
    numbers = [Petition.objects.get(case_id=c.id).number for c in (first, second, other)]
    assert numbers == ["信访-2026-0001", "信访-2026-0002", "信访-2026-0001"]


def test_registering_more_than_a_day_after_receipt_raises_an_alert(demo, api, clock):
    on_time = petition(api, demo["dc_th"], "dc_th_committee_member", received_on="2026-11-01")
    late = petition(api, demo["dc_th"], "dc_th_committee_member", received_on="2026-10-31")
    assert on_time.alerts("late_report") == []
    assert any("拖延登记" in m for m in late.alerts("late_report"))


def test_not_accepting_requires_the_competent_body(demo, api, clock):
    case = petition(api, demo["dc_th"], "dc_th_committee_member")
    body = case.refused("dc_th_committee_director", "missing_field", acceptance="not_accept",
                        told_on=DAY, competent_body="", reason="不属于村级职权")
    assert body["field"] == "competent_body"
    case.do("dc_th_committee_director", acceptance="not_accept", told_on=DAY,
            competent_body="区交通运输局", reason="不属于村级职权")
    assert case.step == "archive"
    assert Petition.objects.get(case_id=case.id).state == "not_accepted"


def test_acceptance_told_on_day_15_is_on_time_and_day_16_late(demo, api, clock):
    cases = [petition(api, demo["dc_th"], "dc_th_committee_member") for _ in range(2)]
    clock.move_to(START + dt.timedelta(days=16))
    for case, told in zip(cases, ("2026-11-17", "2026-11-18"), strict=True):
        case.do("dc_th_committee_director", acceptance="accept", told_on=told, reason="受理")
    assert cases[0].alerts("late_report") == []
    assert any("是否受理" in m for m in cases[1].alerts("late_report"))


def accepted(api, demo):
    case = petition(api, demo["dc_th"], "dc_th_committee_member")
    case.do("dc_th_committee_director", acceptance="accept", told_on=DAY, reason="受理")
    return case


def test_extension_moves_the_deadline_and_may_not_pass_30_days(demo, api, clock):
    case = accepted(api, demo)
    row = Petition.objects.get(case_id=case.id)
    assert row.due_on == dt.date(2027, 1, 1)
    task = Task.objects.get(case_id=case.id, state="open")
    due = task.due_at
    case.do("dc_th_committee_director", "extend", days=20, reason="需调查取证", told_on=DAY)
    case.refused("dc_th_committee_director", "extension_too_long", "extend", days=11,
                 reason="再延长", told_on=DAY)
    case.do("dc_th_committee_director", "extend", days=10, reason="再延长", told_on=DAY)
    row.refresh_from_db()
    assert (row.extension_days, row.due_on) == (30, dt.date(2027, 1, 31))
    assert Task.objects.get(pk=task.pk).due_at == due + dt.timedelta(days=30)
    case.refused("dc_th_committee_director", "extension_too_long", "extend", days=1,
                 reason="又延长", told_on=DAY)


def replied(api, demo):
    case = accepted(api, demo)
    case.do("dc_th_committee_director", "reply", findings="已查明", opinion="列入维修计划",
            replied_on=DAY)
    assert case.step == "review_window"
    return case


def test_review_asked_on_day_30_is_recorded_and_day_31_refused(demo, api, clock):
    on_time, too_late = replied(api, demo), replied(api, demo)
    clock.move_to(START + dt.timedelta(days=30))
    on_time.do("dc_th_committee_director", "request_review", content="不服处理意见")
    assert on_time.step == "review"
    clock.move_to(START + dt.timedelta(days=31))
    too_late.refused("dc_th_committee_director", "review_window_closed", "request_review",
                     content="不服处理意见")


def test_archiving_without_review_waits_until_the_window_has_passed(demo, api, clock):
    case = replied(api, demo)
    clock.move_to(START + dt.timedelta(days=30))
    body = case.refused("dc_th_committee_director", "too_early", "close")
    assert body["not_before"].startswith("2026-12-03T00:00")
    clock.move_to(START + dt.timedelta(days=31))
    case.do("dc_th_committee_director", "close")
    case.do("dc_th_committee_director", register_filed=True, opinion_filed=True,
            materials_filed=True)
    assert case.case["closed"] is True
    assert Petition.objects.get(case_id=case.id).state == "archived"


def test_reply_on_day_60_is_on_time_and_day_61_raises_an_alert(demo, api, clock):
    on_time, late = accepted(api, demo), accepted(api, demo)
    clock.move_to(START + dt.timedelta(days=61))
    for case, replied_on in ((on_time, "2027-01-01"), (late, "2027-01-02")):
        case.do("dc_th_committee_director", "reply", findings="已查明", opinion="维修",
                replied_on=replied_on)
    assert on_time.alerts("overdue") == []
    assert any("超过办理期限" in m for m in late.alerts("overdue"))


def test_one_extension_of_30_days_is_accepted_and_31_refused(demo, api, clock):
    longest, too_long = accepted(api, demo), accepted(api, demo)
    body = too_long.refused("dc_th_committee_director", "extension_too_long", "extend",
                            days=31, reason="案情复杂", told_on=DAY)
    assert body["field"] == "days" and "30" in body["detail"]
    longest.do("dc_th_committee_director", "extend", days=30, reason="案情复杂", told_on=DAY)
    rows = {c.id: Petition.objects.get(case_id=c.id) for c in (longest, too_long)}
    assert (rows[longest.id].extension_days, rows[longest.id].due_on) == (30, dt.date(2027, 1, 31))
    assert (rows[too_long.id].extension_days, rows[too_long.id].due_on) == (0, dt.date(2027, 1, 1))
    assert "案情复杂" in rows[longest.id].extension_reason


def test_extension_needs_a_reason_the_petitioner_told_and_at_least_one_day(demo, api, clock):
    case = accepted(api, demo)
    body = case.refused("dc_th_committee_director", "missing_field", "extend", days=10,
                        reason="  ", told_on=DAY)
    assert body["field"] == "reason"
    response = case.post("dc_th_committee_director", "extend", {"days": 10, "reason": "案情复杂"})
    assert (response.json()["code"], response.json()["field"]) == ("missing_field", "told_on")
    case.refused("dc_th_committee_director", "out_of_range", "extend", days=0,
                 reason="案情复杂", told_on=DAY)
    case.refused("dc_th_committee_director", "out_of_range", "extend", days=-5,
                 reason="案情复杂", told_on=DAY)
    row = Petition.objects.get(case_id=case.id)
    assert (row.extension_days, row.due_on, row.extension_reason) == (0, dt.date(2027, 1, 1), "")


def test_acceptance_not_decided_by_day_15_is_escalated_on_day_16(demo, api, clock):
    case = petition(api, demo["dc_th"], "dc_th_committee_member")
    sweep(START + dt.timedelta(days=15, minutes=-1))
    assert case.alerts("overdue") == []
    sweep(START + dt.timedelta(days=16))
    assert len(case.alerts("overdue")) == 1
    assert Notification.objects.filter(case_id=case.id, message__contains="逾期督办",
                                       user__username="dc_township_government").exists()


def test_handling_is_escalated_after_60_days_or_after_the_extension(demo, api, clock):
    plain, extended = accepted(api, demo), accepted(api, demo)
    extended.do("dc_th_committee_director", "extend", days=30, reason="需鉴定", told_on=DAY)
    sweep(START + dt.timedelta(days=60, minutes=-1))
    assert plain.alerts("overdue") == extended.alerts("overdue") == []
    sweep(START + dt.timedelta(days=60, minutes=1))
    assert len(plain.alerts("overdue")) == 1
    assert extended.alerts("overdue") == []
    sweep(START + dt.timedelta(days=90, minutes=1))
    assert len(extended.alerts("overdue")) == 1


def test_petition_register_masks_id_numbers(demo, api, clock, tmp_path):
    petition(api, demo["dc_th"], "dc_th_committee_member")
    pdf, xlsx = export(api("dc_th_supervisory_member"), "safety_petition_register",
                       demo["dc_th"].pk)
    text = pdf_text(pdf.content)
    assert "信访-2026-0001" in text
    cells = xlsx_cells(xlsx.content)
    assert "330299********1234" in cells
    assert "330299198001011234" not in cells
