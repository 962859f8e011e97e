"""Rolls computed, never typed (issue 10, item 2): every meeting's roll comes from the
portal's rosters on the day it was held; a typed roll, a made-up attendee, an undated,
future or backdated meeting is refused and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Membership
from core.roles import Level, Role
from party.models import PartyMember
from portal.demo import PLACES
from tests.driver import meeting as m
from tests.driver import open_case, person
from tests.samples import Attend
from workflows.fields import ref_choices
from workflows.models import CaseEvent, MeetingRecord
from workflows.registry import lint, registry
from workflows.rolls import compute_roll, roll_codes
from workflows.spec import (
    ActionSpec,
    ProcedureSpec,
    Risk,
    StepSpec,
    meeting_field,
    simple_majority,
)

SEC = "dc_th_branch_secretary"
TODAY = "2026-11-02"  # the suites' clock (tests.driver.START)


def general_meeting(demo):
    """A 党员大会 of 桃花村: 03.1's 党员大会审议, at the step that records it."""
    d = open_case("03.1", demo["dc_th"], SEC, title="村集体鱼塘发包")
    d.do(SEC, matter="assets", meeting=m(3, 3, 3))       # the branch committee: 3 members
    d.do(SEC, body="two_committees", meeting=m(5, 5, 5))  # the two committees: 5
    assert d.step == "members_review"
    return d


def review(d, meeting, **more):
    """Send the members' meeting (the other fields as the schema allows)."""
    return dict(members_informed=True, informed_on="2026-11-01", meeting=meeting, **more)


def meeting_field_json(d, username=SEC, action="review"):
    return next(f for a in d.actions(username) if a["code"] == action for f in a["fields"]
                if f["type"] == "meeting")


def nothing_recorded(d, events_before):
    """No event since ``events_before`` and no meeting row beyond those of the steps done."""
    return (CaseEvent.objects.filter(case_id=d.id).count() == events_before
            and MeetingRecord.objects.filter(case_id=d.id).count() == events_before - 1)


# --- the forgery of issue 10 ------------------------------------------------------------------


def test_a_general_meeting_sent_as_30_due_and_25_present_is_refused(demo, clock):
    """桃花村 has 8 party members, 7 of them full: a 党员大会 reported as 应到30/实到25 is
    the forgery issue 10 quotes. The due is the register's; the present is who was ticked."""
    d = general_meeting(demo)
    events = CaseEvent.objects.filter(case_id=d.id).count()
    forged = {"held_at": TODAY, "due": 30, "present": 25, "yes": 25, "no": 0, "abstain": 0}
    body = d.refused(SEC, "roll_mismatch", **review(d, forged))
    assert body["field"] == "meeting.due"
    assert "7人" in body["detail"] and "30" in body["detail"]
    # without the due: a roll of named members wants the ticks, not a number
    body = d.refused(SEC, "missing_field",
                     **review(d, {k: v for k, v in forged.items() if k != "due"}))
    assert body["field"] == "meeting.attendees"
    # ticks and a present that does not match them
    voters = [x["value"] for x in meeting_field_json(d)["roll"]["members"]]
    body = d.refused(SEC, "present_mismatch",
                     **review(d, {**forged, "due": 7, "attendees": voters}))
    assert body["field"] == "meeting.present"
    assert nothing_recorded(d, events)


def test_the_schema_gives_the_roll_of_the_register(demo, clock):
    d = general_meeting(demo)
    field = meeting_field_json(d)
    roll = field["roll"]
    assert (roll["due"], len(roll["members"]), len(roll["non_voting"])) == (7, 7, 1)
    assert roll["source"] == ("党员名册(2026-11-02):有表决权的正式党员7名;"
                              "预备党员1名列席,无表决权")
    assert all(x["value"].startswith("party_member:") for x in roll["members"])
    assert "(正式党员," in roll["members"][0]["label"]
    assert roll["votes"] is True
    assert roll["quorum_rule"] == "应到人数的2/3以上(含本数)"
    assert field["held_at"]["max"].startswith(TODAY)
    assert field["held_at"]["min"].startswith(TODAY)  # the step opened this morning
    # a rule chosen by another field: a roll for each of its values (02.1: with a motion or
    # without, the same register; 03.1's deciding bodies: four rolls)
    held = open_case("02.1", demo["dc_th"], SEC, title="党员大会")
    held.do(SEC, kind="general", topics="学习党章", chair="王建军", planned_on=TODAY)
    by = meeting_field_json(held, action="held")["roll_by"]
    assert by["field"] == "motion"
    assert by["rolls"]["motion"]["due"] == 7 and by["rolls"]["none"]["votes"] is False


def test_attendees_not_on_the_roll_are_refused(demo, clock):
    d = general_meeting(demo)
    events = CaseEvent.objects.filter(case_id=d.id).count()
    other = PartyMember.objects.filter(region=demo["dc_yl"], status="full").first()
    applicant = PartyMember.objects.filter(region=demo["dc_th"], status="applicant").first()
    for stranger in (f"party_member:{other.pk}", f"party_member:{applicant.pk}", "张三", "user:1"):
        value = Attend(present=6, yes=6).fill(meeting_field_json(d), {})
        value["attendees"] = [*value["attendees"], stranger]
        body = d.refused(SEC, "not_on_roll", **review(d, value))
        assert body["field"] == "meeting.attendees"
    assert nothing_recorded(d, events)


@pytest.mark.parametrize(("held_at", "code"), [
    (None, "missing_field"),
    ("", "missing_field"),
    ("2026-02-30", "invalid_date"),
    ("明天", "invalid_date"),
    ("2026-11-03", "future_date"),
    ("2026-11-02T10:30:00+08:00", "future_date"),  # later than now (10:00)
    ("2026-11-01", "date_order"),                   # before the step was opened
    ("2026-11-02T09:00:00+08:00", "date_order"),    # the step opened at 10:00
])
def test_a_meeting_undated_in_the_future_or_before_the_step_is_refused(demo, clock, held_at,
                                                                       code):
    d = general_meeting(demo)
    events = CaseEvent.objects.filter(case_id=d.id).count()
    value = Attend(present=7, yes=7).fill(meeting_field_json(d), {})
    if held_at is None:
        del value["held_at"]
    else:
        value["held_at"] = held_at
    body = d.refused(SEC, code, **review(d, value))
    assert body["field"] == "meeting.held_at"
    assert nothing_recorded(d, events)


def test_the_meeting_is_recorded_with_its_day_roll_attendees_and_verdict(demo, clock):
    d = general_meeting(demo)
    field = meeting_field_json(d)
    clock.move_to(dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC))  # the next morning
    d.fresh()
    d.do(SEC, **review(d, m(present=6, yes=5, no=1, observers=1, held_at=TODAY)))
    event = CaseEvent.objects.get(case_id=d.id, action="review")
    value = event.data["meeting"]
    assert value["held_at"] == TODAY
    assert (value["due"], value["present"], value["yes"]) == (7, 6, 5)
    assert value["roll"]["source"] == field["roll"]["source"]
    assert value["roll"]["day"] == TODAY
    assert len(value["attendees"]) == 7  # six voters and the probationary member
    assert value["result"]["quorum_met"] is True and value["result"]["passed"] is True
    record = MeetingRecord.objects.get(case_id=d.id, step="members_review")
    assert (record.held_on, record.held_time) == (dt.date(2026, 11, 2), False)
    assert record.held_text == TODAY
    assert (record.due, record.present, record.yes, record.no) == (7, 6, 5, 1)
    assert record.roll_code == "party_members"
    assert record.roll_source.startswith("党员名册(2026-11-02)")
    assert len(record.roll_members) == 7 and len(record.non_voting) == 1
    assert record.attendees == value["attendees"]
    assert "(预备党员" in record.attendee_names()[-1]
    # the record people read says it all, from the event's data
    detail = d.detail(SEC)
    assert detail["events"][-1]["data"]["meeting"]["held_at"] == TODAY


def test_a_member_full_after_the_meeting_day_is_not_on_its_roll(demo, clock):
    """The roll is the register of the day the meeting was held (its history), not today's."""
    village = demo["dc_th"]
    probationer = PartyMember.objects.get(region=village, status="probationary")
    day = dt.date(2026, 11, 2)
    before = compute_roll("party_members", village, day)
    assert f"party_member:{probationer.pk}" in {c.value for c in before.non_voting}
    probationer.status, probationer.conversion_date = "full", dt.date(2026, 11, 3)
    probationer.save()
    assert compute_roll("party_members", village, day).due == 7
    after = compute_roll("party_members", village, dt.date(2026, 11, 3))
    assert after.due == 8
    assert f"party_member:{probationer.pk}" in after.voters()
    # through the gate: a meeting held on the 2nd and recorded on the 4th has 7 voters
    d = general_meeting(demo)
    clock.move_to(dt.datetime(2026, 11, 4, 2, 0, tzinfo=dt.UTC))
    d.fresh()
    body = d.refused(SEC, "roll_mismatch", **review(d, m(8, present=8, yes=8, held_at=TODAY)))
    assert "7人" in body["detail"]
    d.do(SEC, **review(d, {"held_at": TODAY, "attendees": sorted(before.voters()), "yes": 7}))
    assert MeetingRecord.objects.get(case_id=d.id, step="members_review").due == 7


def test_a_village_meeting_of_adults_types_the_present_number(demo, clock):
    """The roll of a 村(居)民会议 is a population figure: nobody is named, present is typed
    and may not exceed the figure."""
    village = demo["dc_th"]
    adults = compute_roll("villagers_adults", village, dt.date(2026, 11, 2))
    assert adults.members is None and adults.due >= 1
    assert "十八周岁以上村民" in adults.source
    households = compute_roll("villagers_households", village, dt.date(2026, 11, 2))
    assert households.unit == "户" and households.due >= 1


# --- every procedure, every village -----------------------------------------------------------


# 清泉社区 is a community without a collective economic organisation in the demo (decisions'
# demo seeds none there): its 集体经济组织成员(代表)大会 has nobody on its roll, and the gate
# refuses such a meeting (roll_empty, test_a_body_with_nobody_on_its_roll_cannot_meet)
WITHOUT = {("xh_qq", "collective_members")}


def _villages():
    return [p for p in PLACES if p.level == Level.VILLAGE]


@pytest.mark.parametrize("code", registry.codes())
def test_every_meeting_rule_names_a_source_with_a_roll_in_every_demo_village(demo, code):
    spec = registry.get(code)
    rules = [(step.code, action, rule) for step in spec.steps for action in step.actions
             for rule in action.meeting_rules()]
    for step_code, action, rule in rules:
        assert rule.roll in roll_codes(), (code, step_code, rule.body)
        for place in _villages():
            village = demo[place.slug]
            narrows = [""]
            if rule.roll_by is not None:
                chooser = next(f for f in action.fields if f.name == rule.roll_by)
                narrows = [c.value for c in ref_choices(chooser, village)]
                assert narrows, (code, step_code, place.slug, "nothing to narrow the roll by")
            for narrow in narrows:
                roll = compute_roll(rule.roll, village, dt.date(2026, 11, 2), narrow)
                assert roll.source
                if (place.slug, rule.roll) in WITHOUT:
                    assert roll.due == 0, (code, place.slug, roll.source)  # see WITHOUT
                    continue
                assert roll.due >= 1, (code, step_code, rule.body, place.slug, roll.source)


def test_a_body_with_nobody_on_its_roll_cannot_meet(demo, clock):
    d = open_case("04.3", demo["xh_qq"], "xh_qq_committee_member", title="集体资产处置用印")
    d.do("xh_qq_committee_member", purpose="资产处置", matter="major", copies=1)
    assert d.step == "collective_decision"
    field = meeting_field_json(d, "xh_qq_collective_head", "decide")
    assert field["roll"]["due"] == 0
    body = d.refused("xh_qq_collective_head", "roll_empty", action="decide",
                     meeting={"held_at": TODAY, "attendees": [], "yes": 0})
    assert "集体经济组织成员名册" in body["detail"]


def test_the_lint_refuses_a_meeting_without_a_known_roll_source():
    def spec(rule):
        step = StepSpec("a", "甲", (Role.BRANCH_SECRETARY,), Level.VILLAGE, (
            ActionSpec("go", "走", to=None, fields=(meeting_field(),), meeting=rule),))
        return ProcedureSpec(code="99.9", name="测试", category="测试",
                             guiding_units=("区委组织部",), guiding_roles=(Role.DISTRICT_ORG,),
                             supervisor="上级党组织", risks=(Risk("风险", "控制"),),
                             measures=("措施",), steps=(step,))

    assert any("names no roll source" in p
               for p in lint(spec(simple_majority("会议", name="x", roll=""))))
    assert any("unknown roll source nobody" in p
               for p in lint(spec(simple_majority("会议", name="x", roll="nobody"))))
    assert lint(spec(simple_majority("会议", name="x", roll="two_committees"))) == []
    bare = StepSpec("a", "甲", (Role.BRANCH_SECRETARY,), Level.VILLAGE, (
        ActionSpec("go", "走", to=None, fields=(meeting_field(),)),))
    alone = ProcedureSpec(code="99.9", name="测试", category="测试", guiding_units=("区委组织部",),
                          guiding_roles=(Role.DISTRICT_ORG,), supervisor="上级党组织",
                          risks=(Risk("风险", "控制"),), measures=("措施",), steps=(bare,))
    assert any("has no meeting rule" in p for p in lint(alone))


def test_membership_rolls_follow_the_offices_held_on_the_day(demo):
    """支委会 and 两委会 rolls are the memberships of the day: a cadre who left before the
    meeting is not on it; one person in two offices counts once."""
    village = demo["dc_th"]
    day = dt.date(2026, 11, 2)
    assert compute_roll("branch_committee", village, day).due == 3
    assert compute_roll("two_committees", village, day).due == 5
    deputy = Membership.objects.get(region=village, role=Role.BRANCH_DEPUTY)
    deputy.end = dt.date(2026, 10, 31)
    deputy.save()
    assert compute_roll("branch_committee", village, day).due == 2
    assert compute_roll("branch_committee", village, dt.date(2026, 10, 31)).due == 3
    director = person("dc_th_committee_director")
    Membership.objects.create(user=director, region=village, role=Role.BRANCH_COMMITTEE,
                              start=dt.date(2026, 1, 1))
    roll = compute_roll("two_committees", village, day)
    assert roll.due == 4  # the deputy left; the director sits on both committees, once
    assert any("村(居)委会主任" in str(c.label) and "支委委员" in str(c.label)
               for c in roll.members or ())
