"""Dates that follow from a meeting come from the day it was held (its ``held_at``), not from
the day its record was entered: the activist date is the 支委会's, the probation (and the
party standing after it) starts on the day of the 支部大会 that admitted the member; the
三会一课台账 shows the day each meeting was held."""

from __future__ import annotations

import datetime as dt

from party.choices import MemberStatus
from party.models import BranchMeeting
from tests.driver import meeting as m
from tests.driver import open_case
from tests.party.test_recruitment import ANNOUNCED, ORG, SEC, TOWN, apply, at, member
from tests.party.walk_data import TH


def contacts(d, names=("contact_1", "contact_2"), offset=0):
    """Two full members as the fields accept them (refs of the register, or the names the
    effect looks up)."""
    fields = {f["name"]: f for a in d.actions(SEC) for f in a["fields"]}
    first = fields[names[0]]
    if first["type"] == "ref":
        values = [c["value"] for c in first["choices"]]
        return {names[0]: values[offset], names[1]: values[offset + 1]}
    return {names[0]: TH[offset], names[1]: TH[offset + 1]}


def test_the_activist_date_is_the_day_the_branch_committee_met(demo, api, clock):
    d = apply(api, demo)
    d.do(SEC, talk_date="2026-11-02")
    d.do(SEC)  # the recommendation
    clock.move_to(at("2026-11-10T00:00:00+08:00"))
    d.do(SEC)  # the publicity ended: the committee's step opens now
    clock.move_to(at("2026-11-12T09:00:00+08:00"))  # its record is entered two days later
    d.fresh()
    d.do(SEC, meeting=m(held_at="2026-11-10"), **contacts(d))
    row = member()
    assert row.status == MemberStatus.ACTIVIST
    assert row.activist_date == dt.date(2026, 11, 10)
    # the year of training counts from the meeting, not from the record
    d.do(SEC, action="activist_report", on="2026-11-12")
    clock.move_to(at("2027-11-09T23:59:00+08:00"))
    d.fresh()
    body = d.refused(SEC, "too_early")
    assert body["not_before"] == "2027-11-10T00:00:00+08:00"


def test_probation_starts_on_the_day_the_general_meeting_was_held(demo, api, clock):
    d = apply(api, demo)
    d.do(SEC, talk_date="2026-11-02")
    d.do(SEC)
    clock.move_to(at("2026-11-10T00:01:00+08:00"))
    d.do(SEC)
    d.do(SEC, **contacts(d))
    clock.move_to(at("2027-11-10T00:00:00+08:00"))
    d.fresh()
    d.do(SEC)
    clock.move_to(at("2027-11-18T00:01:00+08:00"))
    d.fresh()
    d.do(SEC)
    d.do(SEC, special="none")
    d.do(SEC, **ANNOUNCED)  # to the general meeting, and the person told
    d.do(TOWN, filed_on="2027-11-18")
    d.do(SEC, **contacts(d, ("introducer_1", "introducer_2"), offset=2))
    for user, data in ((ORG, {"class_hours": 24}), (SEC, {})):  # training, committee review
        d.do(user, **data)
    clock.move_to(at("2027-11-26T00:01:00+08:00"))
    d.fresh()
    d.do(SEC)  # the admission publicity ended
    d.do(TOWN)  # the pre-review passed
    d.do(SEC)  # the volunteer form: the general meeting's step opens now
    # the meeting cannot be dated before its step opened, nor after today
    d.refused(SEC, "date_order", meeting=m(present=4, yes=4, held_at="2027-11-25"))
    clock.move_to(at("2027-11-29T15:00:00+08:00"))  # recorded three days after it was held
    d.fresh()
    d.refused(SEC, "future_date", meeting=m(present=4, yes=4, held_at="2027-11-30"))
    d.do(SEC, meeting=m(present=4, yes=4, held_at="2027-11-26"))
    d.do(TOWN, talk_date="2027-11-29", approved_on="2027-11-29")
    row = member()
    assert row.status == MemberStatus.PROBATIONARY
    assert row.admission_date == dt.date(2027, 11, 26)  # the meeting's day, not the form's
    d.do(SEC)  # oath
    clock.move_to(at("2028-11-25T23:59:00+08:00"))
    d.fresh()
    body = d.refused(SEC, "too_early")
    assert body["not_before"] == "2028-11-26T00:00:00+08:00"  # a year from the meeting


def test_the_register_shows_the_day_each_meeting_was_held(demo, api, clock):
    d = open_case("02.1", demo["dc_th"], SEC, title="支委会")
    d.do(SEC, kind="committee", topics="学习党章", chair="王建军", planned_on="2026-11-02")
    clock.move_to(at("2026-11-05T09:00:00+08:00"))
    d.fresh()
    d.do(SEC, motion="motion", absentees="", meeting=m(3, 3, 3, held_at="2026-11-03"))
    row = BranchMeeting.objects.get(case_id=d.id)
    assert (row.held_on, row.due, row.present) == (dt.date(2026, 11, 3), 3, 3)
