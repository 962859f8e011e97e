"""01.1 as 发展党员工作细则 orders it (issue 11, point 1): the committee's strict review, the
publicity, then the township's pre-review and the 入党志愿书; the development target announced
to the general meeting and told; the extension of probation decided at its end by a general
meeting, once, and in force only when the township approves it; texts with the numbers in
force."""

from __future__ import annotations

import datetime as dt

from party.choices import MemberStatus
from tests.driver import meeting as m
from tests.party.members import pm
from tests.party.test_recruitment import (
    ANNOUNCED,
    ORG,
    SEC,
    TOWN,
    at,
    member,
    to_target_decision,
)
from tests.party.walk_data import TH
from workflows.registry import registry


def to_target(api, demo, clock):
    d = to_target_decision(api, demo, clock)
    d.do(SEC, special="none")
    assert d.step == "target_announcement"
    d.do(SEC, **ANNOUNCED)
    d.do(TOWN, filed_on="2027-11-18")
    d.do(SEC, introducer_1=pm(TH[2]), introducer_2=pm(TH[3]))
    d.do(ORG, class_hours=24, certificate_no="PX-2027-01")
    return d


def to_probation(api, demo, clock):
    d = to_target(api, demo, clock)
    d.do(SEC)  # committee review
    clock.move_to(at("2027-11-26T00:01:00+08:00"))
    d.fresh()
    d.do(SEC)  # publicity ended
    d.do(TOWN)  # pre-review
    d.do(SEC)  # 志愿书
    d.do(SEC, meeting=m(present=4, yes=4, held_at="2027-11-26"))
    d.do(TOWN, talk_date="2027-11-26", approved_on="2027-11-26")
    d.do(SEC)  # oath
    assert d.step == "probation"
    return d


def test_recruitment_steps_follow_the_xize_order_review_publicity_pre_review_form(api):
    codes = [s["code"] for s in next(p for p in api(SEC).get("/api/procedures/").json()
                                     if p["code"] == "01.1")["steps"]]
    order = ["target_decision", "target_announcement", "target_filing", "political_review",
             "district_training", "admission_review", "admission_publicity", "pre_review",
             "volunteer_form", "general_meeting"]
    assert [c for c in codes if c in order] == order


def test_committee_review_and_publicity_come_before_the_township_pre_review(demo, api, clock):
    d = to_target(api, demo, clock)
    assert d.step == "admission_review"
    assert "pass" not in d.offers(TOWN)  # the township cannot pre-review yet
    d.do(SEC)
    assert d.step == "admission_publicity"
    d.refused(SEC, "publicity_open")
    clock.move_to(at("2027-11-26T00:01:00+08:00"))
    d.fresh()
    d.do(SEC)
    assert d.step == "pre_review"
    assert d.case["tasks"][0]["due_at"] == "2027-12-26T00:01:00+08:00"  # within a month
    d.do(TOWN)
    assert d.step == "volunteer_form"  # the form goes to those who passed the pre-review


def test_development_target_is_announced_to_the_general_meeting_and_told(demo, api, clock):
    d = to_target_decision(api, demo, clock)
    d.do(SEC, special="none", meeting=m(held_at="2027-11-18"))
    assert d.step == "target_announcement"
    assert "accept" not in d.offers(TOWN)  # not filed before the announcement
    d.refused(SEC, "date_order", announced_on="2027-11-17", told_on="2027-11-18")
    d.refused(SEC, "invalid_field", announced_on="2027-11-18", told_on="2027-11-18",
              told_how="by_rumour")
    d.do(SEC, announced_on="2027-11-18", told_on="2027-11-18", told_how="in_writing")
    assert d.step == "target_filing"
    recorded = d.row.data["target_announcement"]
    assert (recorded["announced_on"], recorded["told_how"]) == ("2027-11-18", "in_writing")


def test_probation_extension_is_decided_at_its_end_and_needs_township_approval(
        demo, api, clock):
    d = to_probation(api, demo, clock)
    # not before the probation has run its year (from the meeting of 2027-11-26)
    clock.move_to(at("2028-11-25T23:59:00+08:00"))
    d.fresh()
    body = d.refused(SEC, "too_early", action="extend_probation", months=6,
                     meeting=m(present=4, yes=4))
    assert body["not_before"] == "2028-11-26T00:00:00+08:00"
    clock.move_to(at("2028-11-26T09:00:00+08:00"))
    d.fresh()
    fields = {f["name"]: f for a in d.actions(SEC) if a["code"] == "extend_probation"
              for f in a["fields"]}
    assert (fields["months"]["min"], fields["months"]["max"]) == (6, 12)
    assert fields["meeting"]["type"] == "meeting"
    d.refused(SEC, "out_of_range", action="extend_probation", months=13,
              meeting=m(present=4, yes=4))
    d.refused(SEC, "quorum_not_met", action="extend_probation", months=6,
              meeting=m(present=3, yes=3))
    d.do(SEC, action="extend_probation", months=6, reason="需要继续考察",
         meeting=m(present=4, yes=4))
    assert d.step == "extension_approval"
    assert member().probation_extension_months == 0  # not in force before the township
    # the township refuses: no extension; the branch discusses the conversion on time
    d.do(TOWN, action="reject", reason="具备转正条件,不同意延长")
    assert d.step == "probation" and member().probation_extension_months == 0
    # decided again and approved: the township approves what the meeting decided
    d.do(SEC, action="extend_probation", months=9, reason="需要继续考察",
         meeting=m(present=4, yes=4))
    approve = next(a for a in d.actions(TOWN) if a["code"] == "approve")
    assert next(f for f in approve["fields"] if f["name"] == "months")["default"] == 9
    d.refused(TOWN, "extension_mismatch", months=6)
    d.do(TOWN, months=9)
    assert d.step == "probation" and member().probation_extension_months == 9
    # once only
    d.refused(SEC, "extension_once", action="extend_probation", months=6,
              meeting=m(present=4, yes=4))
    body = d.refused(SEC, "too_early")  # the conversion waits nine months more
    assert body["not_before"] == "2029-08-26T00:00:00+08:00"


def test_the_general_meeting_cannot_predate_the_volunteer_form(demo, api, clock):
    d = to_target(api, demo, clock)
    d.do(SEC)
    clock.move_to(at("2027-11-26T00:01:00+08:00"))
    d.fresh()
    d.do(SEC)
    d.do(TOWN)
    clock.move_to(at("2027-11-28T09:00:00+08:00"))
    d.fresh()
    d.do(SEC, issued_on="2027-11-28")
    # the meeting's step opened on the 28th: an earlier day is refused, the form's day holds
    d.refused(SEC, "date_order", meeting=m(present=4, yes=4, held_at="2027-11-27"))
    d.do(SEC, meeting=m(present=4, yes=4, held_at="2027-11-28"))
    d.do(TOWN, talk_date="2027-11-28", approved_on="2027-11-28")
    assert member().status == MemberStatus.PROBATIONARY
    assert member().admission_date == dt.date(2027, 11, 28)


def test_recruitment_texts_state_the_numbers_in_force():
    spec = registry.get("01.1")
    risks = spec.risks_in_force({"activist_publicity_days": 10, "probation_extension_min": 8})
    control = risks[0].control
    assert "不少于10天" in control and "延长8个月至12个月" in control
    assert "too_early" not in control and "(" not in control.replace("(街道)", "")\
        .replace("(工)", "").replace("(含延长)", "")
