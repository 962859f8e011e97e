"""01.1 发展党员 through the API: the five stages, their numbers at the boundary, the register."""

import datetime as dt

from django.utils.dateparse import parse_datetime

from party.choices import MemberStatus
from party.models import PartyMember, TrainingRecord
from tests.driver import meeting as m
from tests.driver import open_case
from tests.exports import export, pdf_text, xlsx_cells
from tests.party.members import pm
from tests.party.walk_data import TH
from workflows.models import Alert, TenantSetting

SEC, TOWN, ORG = "dc_th_branch_secretary", "dc_township_party", "sfq_district_org"
ID = "330102200203150019"
# the development target announced to the general meeting and told, the day it was decided
ANNOUNCED = {"announced_on": "2027-11-18", "told_on": "2027-11-18", "told_how": "in_person"}


def at(text):
    return parse_datetime(text)


def member():
    return PartyMember.objects.get(id_number=ID)



def apply(api, demo, application_date="2026-10-20"):
    d = open_case("01.1", demo["dc_th"], SEC, title="吴小明入党")
    d.do(SEC, name="吴小明", gender="male", id_number=ID, residence="resident",
         application_date=application_date)
    return d


def to_training(api, demo, clock):
    d = apply(api, demo)
    d.do(SEC, talk_date="2026-11-02")
    d.do(SEC)  # recommendation: anonymous vote, representatives watching
    d.refused(SEC, "publicity_open")
    clock.move_to(at("2026-11-10T00:01:00+08:00"))
    d.do(SEC)
    d.do(SEC, contact_1=pm(TH[0]), contact_2=pm(TH[1]))
    assert d.step == "activist_training"
    return d


def to_target_decision(api, demo, clock):
    d = to_training(api, demo, clock)
    clock.move_to(at("2027-11-10T00:00:00+08:00"))
    d.do(SEC)
    clock.move_to(at("2027-11-18T00:01:00+08:00"))
    d.do(SEC)
    assert d.step == "target_decision"
    return d


def test_applicant_enters_the_register_with_a_checked_id_number(demo, api, clock):
    d = open_case("01.1", demo["dc_th"], SEC, title="入党申请")
    d.refused(SEC, "invalid_id_number", name="甲", gender="male", id_number="330102200203150010",
              residence="resident", application_date="2026-10-20")
    d.refused(SEC, "future_date", name="甲", gender="male", id_number=ID,
              residence="resident", application_date="2026-11-03")
    d.do(SEC, name="吴小明", gender="male", id_number=ID, residence="resident",
         application_date="2026-10-20")
    row = member()
    assert row.status == MemberStatus.APPLICANT
    assert row.birth_date == dt.date(2002, 3, 15)
    assert row.recruitment_case_id == d.id
    again = open_case("01.1", demo["dc_th"], SEC, title="重复")
    again.refused(SEC, "member_exists", name="吴小明", gender="male", id_number=ID,
                  residence="resident", application_date="2026-10-20")


def test_talk_is_due_within_a_month_and_a_late_talk_raises_an_alert(demo, api, clock):
    d = apply(api, demo, application_date="2026-10-02")
    assert d.case["tasks"][0]["due_at"] == "2026-12-02T10:00:00+08:00"
    d.do(SEC, talk_date="2026-11-02")  # exactly one month after the application
    assert not Alert.objects.filter(case_id=d.id).exists()
    PartyMember.objects.filter(id_number=ID).delete()
    late = open_case("01.1", demo["dc_th"], SEC, title="迟谈话")
    late.do(SEC, name="吴小明", gender="male", id_number=ID, residence="resident",
            application_date="2026-10-01")
    late.do(SEC, talk_date="2026-11-02")  # one day past the month
    alert = Alert.objects.get(case_id=late.id)
    assert "超过1个月" in alert.message


def test_activist_date_is_the_committee_meeting_date_and_contacts_are_two_full_members(
        demo, api, clock):
    d = apply(api, demo)
    d.do(SEC, talk_date="2026-11-02")
    d.refused(SEC, "requirement_not_met", anonymous=False)
    d.do(SEC)
    clock.move_to(at("2026-11-09T23:59:00+08:00"))  # one minute before the 7 days end
    body = d.refused(SEC, "publicity_open")
    assert body["not_before"] == "2026-11-10T00:00:00+08:00"
    clock.move_to(at("2026-11-10T00:00:00+08:00"))
    d.do(SEC)
    d.refused(SEC, "same_person", contact_1=pm(TH[0]), contact_2=pm(TH[0]))
    d.refused(SEC, "not_on_roster", contact_1=pm(TH[0]),
              contact_2=pm(TH[8]))  # an activist is not a full member: not offered
    # the committee cannot have met before the publicity ended (its step opened then)
    d.refused(SEC, "date_order", meeting=m(held_at="2026-11-09"), contact_1=pm(TH[0]),
              contact_2=pm(TH[1]))
    # the branch committee of the day has three members: one present is no quorum
    d.refused(SEC, "quorum_not_met", contact_1=pm(TH[0]), contact_2=pm(TH[1]),
              meeting=m(present=1, yes=1))
    d.do(SEC, meeting=m(held_at="2026-11-10"), contact_1=pm(TH[0]), contact_2=pm(TH[1]))
    row = member()
    assert row.status == MemberStatus.ACTIVIST
    assert row.activist_date == dt.date(2026, 11, 10)
    assert {row.contact_1.name, row.contact_2.name} == {TH[0], TH[1]}


def test_development_target_only_after_a_full_year_as_activist(demo, api, clock, tmp_path):
    d = to_training(api, demo, clock)
    d.refused(SEC, "not_a_contact", action="contact_report", contact=pm(TH[2]), on="2026-11-10")
    d.do(SEC, action="contact_report", contact=pm(TH[0]), on="2026-11-10")
    d.do(SEC, action="activist_report", on="2026-11-10")
    assert TrainingRecord.objects.filter(member=member()).count() == 2
    pdf, xlsx = export(api(SEC), "party_training", demo["dc_th"].pk)
    assert "入党积极分子培养教育考察记录" in pdf_text(pdf.content)
    assert "培养联系人报告" in xlsx_cells(xlsx.content)
    clock.move_to(at("2027-11-09T23:59:00+08:00"))
    body = d.refused(SEC, "too_early")
    assert body["not_before"] == "2027-11-10T00:00:00+08:00"
    clock.move_to(at("2027-11-10T00:00:00+08:00"))
    d.do(SEC)
    assert d.step == "target_publicity"
    # a year of training with one report each raises the alert for lax training
    alert = Alert.objects.get(case_id=d.id, kind="domain")
    assert "培养考察记录不足" in alert.message and "思想汇报1次(应不少于4次)" in alert.message


def test_quarterly_reminders_while_training(demo, api, clock):
    from django.core.management import call_command

    from workflows.models import Notification

    to_training(api, demo, clock)
    clock.move_to(at("2027-02-10T09:00:00+08:00"))
    call_command("sweep_deadlines")
    call_command("sweep_deadlines")
    notes = Notification.objects.filter(user__username=SEC, message__contains="每季度至少一次")
    assert notes.count() == 1
    clock.move_to(at("2027-05-10T09:00:00+08:00"))
    call_command("sweep_deadlines")
    assert notes.count() == 2
    assert Notification.objects.filter(user__username=SEC,
                                       message__contains="每半年").count() == 1


def test_special_situations_need_township_review_and_district_consent(demo, api, clock):
    d = to_target_decision(api, demo, clock)
    d.refused(SEC, "requirement_not_met", special="none", religious_opinion=False)
    d.do(SEC, special="relative")
    assert d.step == "special_review"
    d.do(TOWN)
    assert d.step == "district_consent"
    d.do(ORG, action="refuse", opinion="不符合条件")
    assert d.case["closed"] is True
    assert member().status == MemberStatus.NOT_ADMITTED


def test_no_admission_without_political_review_introducers_and_training(demo, api, clock):
    d = to_target_decision(api, demo, clock)
    d.do(SEC, special="none")
    d.do(SEC, **ANNOUNCED)  # to the general meeting, and the person told
    d.do(TOWN, filed_on="2027-11-18")
    assert member().status == MemberStatus.TARGET
    assert member().target_date == dt.date(2027, 11, 18)
    d.refused(SEC, "same_person", introducer_1=pm(TH[2]), introducer_2=pm(TH[2]))
    d.refused(SEC, "not_on_roster", introducer_1=pm(TH[2]),
              introducer_2=pm(TH[7]))  # a probationary member is not offered
    d.refused(SEC, "requirement_not_met", introducer_1=pm(TH[2]), introducer_2=pm(TH[3]),
              review_result="failed")
    d.do(SEC, introducer_1=pm(TH[2]), introducer_2=pm(TH[3]))
    assert {member().introducer_1.name, member().introducer_2.name} == {TH[2], TH[3]}
    training = next(f for a in d.actions(ORG) for f in a["fields"] if f["name"] == "class_hours")
    assert training["min"] == 24  # the schema says what the rule needs
    refused = d.refused(ORG, "out_of_range", class_hours=23)
    assert refused["field"] == "class_hours" and "不能少于24" in refused["detail"]
    d.do(ORG, class_hours=24, certificate_no="PX-2027-01")
    assert d.step == "admission_review"  # the committee's strict review comes next


def test_failed_political_review_ends_the_case(demo, api, clock):
    d = to_target_decision(api, demo, clock)
    d.do(SEC, special="none")
    d.do(SEC, **ANNOUNCED)
    d.do(TOWN, filed_on="2027-11-18")
    d.do(SEC, action="review_failed", reason="有不宜发展情形")
    assert d.case["closed"] is True
    assert member().status == MemberStatus.NOT_ADMITTED


def test_full_recruitment_to_full_membership(demo, api, clock, tmp_path):
    d = to_target_decision(api, demo, clock)
    d.do(SEC, special="none")
    d.do(SEC, **ANNOUNCED)
    d.do(TOWN, filed_on="2027-11-18")
    d.do(SEC, introducer_1=pm(TH[2]), introducer_2=pm(TH[3]))
    d.do(ORG, class_hours=24, certificate_no="PX-2027-01")
    d.do(SEC)  # committee review
    clock.move_to(at("2027-11-26T00:01:00+08:00"))
    d.do(SEC)  # publicity ended
    d.do(TOWN)  # pre-review passed
    d.do(SEC)  # volunteer form
    # the general meeting: 桃花村's 7 full members vote; more than half of them present,
    # yes more than half of the 7 due; the probationary member attends without a vote
    d.refused(SEC, "quorum_not_met", meeting=m(present=3, yes=3, observers=1))
    d.refused(SEC, "vote_failed", meeting=m(present=4, yes=3, no=1))
    d.refused(SEC, "roll_mismatch", meeting=m(10, 6, 6))  # the due is the register's
    d.do(SEC, meeting=m(present=4, yes=4, held_at="2027-11-26"))
    task = d.case["tasks"][0]
    assert task["due_at"] == "2028-02-26T00:01:00+08:00"  # three months
    d.refused(TOWN, "date_order", talk_date="2027-11-26", approved_on="2027-11-25")
    d.refused(TOWN, "future_date", talk_date="2027-11-26", approved_on="2027-11-27")
    d.do(TOWN, talk_date="2027-11-26", approved_on="2027-11-26")
    assert member().status == MemberStatus.PROBATIONARY
    assert member().admission_date == dt.date(2027, 11, 26)
    d.do(SEC)  # oath
    # an extension is decided when the probation ends, by a general meeting, for 6 to 12
    # months, and takes effect once the township approves it
    clock.move_to(at("2028-11-26T00:00:00+08:00"))
    d.fresh()
    d.refused(SEC, "out_of_range", action="extend_probation", months=5)
    d.do(SEC, action="extend_probation", months=6, reason="需要继续考察",
         meeting=m(present=4, yes=4))
    assert d.step == "extension_approval"
    d.do(TOWN, months=6)
    assert d.step == "probation" and member().probation_extension_months == 6
    d.refused(SEC, "extension_once", action="extend_probation", months=6,
              meeting=m(present=4, yes=4))
    clock.move_to(at("2029-05-25T23:59:00+08:00"))
    body = d.refused(SEC, "too_early")
    assert body["not_before"] == "2029-05-26T00:00:00+08:00"  # a year and six months
    clock.move_to(at("2029-05-26T00:00:00+08:00"))
    d.do(SEC)
    d.do(SEC)  # conversion meeting
    notices = [n for n in d.case["publicity"] if n["working_days"]]
    assert len(notices) == 1 and notices[0]["days"] == 7
    body = d.refused(SEC, "publicity_open")
    clock.move_to(parse_datetime(body["not_before"]))
    d.do(SEC)
    assert d.case["tasks"][0]["due_at"].startswith("2029-09-")  # three months to approve
    today = str(dt.date.fromisoformat(body["not_before"][:10]))
    d.do(TOWN, approved_on=today)
    row = member()
    assert row.status == MemberStatus.FULL
    assert row.standing_from == dt.date(2029, 5, 26)  # end of the extended probation
    d.refused(SEC, "checklist_incomplete", has_training_records=False)
    d.do(SEC, kept_by="township")
    assert d.case["closed"] is True
    pdf, xlsx = export(api("dc_th_supervisory_member"), "party_members", demo["dc_th"].pk)
    text = pdf_text(pdf.content)
    assert "桃花村党员名册" in text and "入党介绍人" in text
    assert "330102********0019" in text and ID not in text
    cells = xlsx_cells(xlsx.content)
    assert "吴小明" in cells and ID not in cells
    assert "2029-05-26" in "".join(str(c) for c in cells)


def test_admission_approval_reminds_at_three_months_and_escalates_past_six(demo, api, clock):
    from django.core.management import call_command

    from workflows.models import Notification

    d = to_target_decision(api, demo, clock)
    for user, data in ((SEC, {"special": "none"}), (SEC, ANNOUNCED),
                       (TOWN, {"filed_on": "2027-11-18"}),
                       (SEC, {"introducer_1": pm(TH[2]), "introducer_2": pm(TH[3])}),
                       (ORG, {"class_hours": 24}), (SEC, {})):
        d.do(user, **data)
    clock.move_to(at("2027-11-26T00:01:00+08:00"))
    d.do(SEC)
    d.do(TOWN)
    d.do(SEC)
    d.do(SEC, meeting=m(present=4, yes=4))
    assert d.case["tasks"][0]["hard_due_at"] == "2028-05-26T00:01:00+08:00"
    clock.move_to(at("2028-05-26T00:02:00+08:00"))
    call_command("sweep_deadlines")
    assert Notification.objects.filter(user__username=ORG,
                                       message__contains="最长期限").count() == 1


def test_another_village_cannot_see_the_case(demo, api, clock):
    d = apply(api, demo)
    assert api("dc_yl_branch_secretary").get(f"/api/cases/{d.id}/").status_code == 404
    assert api("dc_yl_branch_secretary").get(
        f"/api/registers/party_members/{demo['dc_th'].pk}.pdf").status_code == 404


def test_a_district_that_asks_for_more_training_hours_says_so_in_the_schema(demo, api, clock):
    """A stricter tenant number is the bound the field publishes and the gate applies."""
    TenantSetting.objects.create(region=demo["dc"], procedure="01.1",
                                 param="target_training_hours", value="32")
    d = to_target_decision(api, demo, clock)
    d.do(SEC, special="none")
    d.do(SEC, **ANNOUNCED)
    d.do(TOWN, filed_on="2027-11-18")
    d.do(SEC, introducer_1=pm(TH[2]), introducer_2=pm(TH[3]))
    training = next(f for a in d.actions(ORG) for f in a["fields"] if f["name"] == "class_hours")
    assert training["min"] == 32
    d.refused(ORG, "out_of_range", class_hours=31)
    d.do(ORG, class_hours=32, certificate_no="PX-2027-02")
    assert d.step == "admission_review"
