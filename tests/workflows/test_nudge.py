"""催办 (issue 12, point 2): one who acts for the village or supervises it, but does not hold
the task, reminds its holders. A chained event of the case, at most once a local day per
person and task; every holder is told; the step's notices close when anyone does the step."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import AlreadyNudged, NotAllowed, OutOfScope, RuleError
from core.models import Membership
from core.places import kind_of
from tests.driver import GATE, drive, person
from workflows import gate, history
from workflows.choices import EventAction
from workflows.models import Case, CaseEvent, Notification
from workflows.record import event_views
from workflows.verify import verify_case_events
from workflows.visibility import may_nudge

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _holders(case: Case) -> set[int]:
    task = case.tasks.get(state="open")
    return set(Membership.objects.active().filter(region_id=task.region_id,
                                                  role__in=task.role_list)
               .values_list("user_id", flat=True))


def _nudges(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, action=EventAction.NUDGE).order_by("seq"))


def test_a_cadre_nudges_the_holders_and_the_chain_still_verifies(waiting):
    member = person("dc_th_committee_member")
    before = waiting.event_count
    event = gate.nudge(actor=member, case_id=waiting.pk)
    waiting.refresh_from_db()
    assert event.action == EventAction.NUDGE and event.seq == before + 1
    assert waiting.current_step == "approve" and waiting.state == "open"
    assert waiting.last_hash == event.hash
    assert {p["user"] for p in event.data["to"]} == _holders(waiting)
    assert event.data["task"] == waiting.tasks.get(state="open").pk
    events = list(waiting.events.order_by("seq"))
    assert verify_case_events(waiting, events) is None
    # every holder is told, in their notifications, who asks
    notes = Notification.objects.filter(case=waiting, message__startswith="【催办】")
    assert set(notes.values_list("user_id", flat=True)) == _holders(waiting)
    assert all(member.get_full_name() in n.message for n in notes)
    # the timeline says 催办 and whom
    view = event_views(waiting.spec, events, [], place=kind_of(waiting.region))[-1]
    assert view.action == "催办" and view.kind == "nudge"
    director = person("dc_th_committee_director")
    assert [(line.label, line.text) for line in view.lines] == [
        ("催办对象", f"{director.get_full_name()}(村委会主任)")]
    # a nudge does not count as doing the step
    assert history.done_at(waiting, "approve") is None


def test_once_a_local_day_per_person_and_task(waiting, clock):
    member = person("dc_th_committee_member")
    gate.nudge(actor=member, case_id=waiting.pk)
    with pytest.raises(AlreadyNudged) as refused:
        gate.nudge(actor=member, case_id=waiting.pk)
    assert refused.value.http_status == 409 and refused.value.code == "already_nudged"
    assert "2026年11月3日起可再次催办" in refused.value.detail
    assert refused.value.not_before == dt.datetime(2026, 11, 3, tzinfo=SHANGHAI)
    assert refused.value.as_body()["not_before"].startswith("2026-11-03T00:00:00+08:00")
    # late that evening, Shanghai time: still the same day
    clock.move_to(dt.datetime(2026, 11, 2, 23, 59, tzinfo=SHANGHAI))
    with pytest.raises(AlreadyNudged):
        gate.nudge(actor=member, case_id=waiting.pk)
    # just after midnight in Shanghai (still 2 November in UTC): a new day
    clock.move_to(dt.datetime(2026, 11, 3, 0, 1, tzinfo=SHANGHAI))
    gate.nudge(actor=member, case_id=waiting.pk)
    assert len(_nudges(waiting)) == 2
    waiting.refresh_from_db()
    assert verify_case_events(waiting, list(waiting.events.order_by("seq"))) is None


def test_another_person_may_nudge_the_same_day(waiting):
    gate.nudge(actor=person("dc_th_committee_member"), case_id=waiting.pk)
    gate.nudge(actor=person("dc_township_party"), case_id=waiting.pk)
    gate.nudge(actor=person("dc_township_government"), case_id=waiting.pk)
    assert [e.actor.username for e in _nudges(waiting)] == [
        "dc_th_committee_member", "dc_township_party", "dc_township_government"]


def test_a_holder_cannot_nudge_himself(waiting):
    director = person("dc_th_committee_director")
    assert not may_nudge(director, waiting, waiting.tasks.get(state="open"))
    with pytest.raises(NotAllowed) as refused:
        gate.nudge(actor=director, case_id=waiting.pk)
    assert refused.value.http_status == 403
    assert "不能催办自己" in refused.value.detail
    assert _nudges(waiting) == []


@pytest.mark.parametrize("username", [
    "dc_th_supervisory_member",  # reads every case of the village, acts for none
    "dc_th_party_member",  # holds no post
    "dc_township_discipline",  # the township's discipline body supervises conduct, not work
])
def test_who_neither_acts_for_the_village_nor_supervises_it_may_not(waiting, username):
    user = person(username)
    assert not may_nudge(user, waiting, waiting.tasks.get(state="open"))
    with pytest.raises(NotAllowed):
        gate.nudge(actor=user, case_id=waiting.pk)
    assert _nudges(waiting) == []


@pytest.mark.parametrize("username", ["dc_yl_committee_director", "xh_township_party"])
def test_out_of_scope_is_not_found(waiting, username):
    with pytest.raises(OutOfScope):
        gate.nudge(actor=person(username), case_id=waiting.pk)
    with pytest.raises(OutOfScope):
        gate.nudge(actor=person("dc_th_committee_member"), case_id=999999)
    assert _nudges(waiting) == []


def test_a_closed_case_has_nothing_to_nudge(waiting):
    gate.withdraw(actor=person("dc_th_committee_member"), case_id=waiting.pk, reason="不需要了")
    with pytest.raises(RuleError) as refused:
        gate.nudge(actor=person("dc_th_committee_member"), case_id=waiting.pk)
    assert refused.value.code == "case_closed" and refused.value.http_status == 400


def test_the_nudge_notices_close_when_the_step_is_done(waiting):
    gate.nudge(actor=person("dc_th_committee_member"), case_id=waiting.pk)
    notes = Notification.objects.filter(case=waiting, message__startswith="【催办】")
    assert notes.exists() and not notes.filter(read_at__isnull=False).exists()
    drive(waiting.pk, via=GATE).do("dc_th_committee_director", "approve")
    assert not notes.filter(read_at__isnull=True).exists()


def test_the_api_answers_the_event_then_409(waiting, api):
    url = f"/api/cases/{waiting.pk}/nudge/"
    member = api("dc_th_committee_member")
    first = member.post(url)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["action"] == "nudge" and body["action_name"] == "催办"
    assert body["actor"] == "dc_th_committee_member"
    again = member.post(url)
    assert again.status_code == 409
    assert again.json()["code"] == "already_nudged" and again.json()["not_before"]
    assert api("dc_th_committee_director").post(url).status_code == 403
    assert api("dc_yl_committee_director").post(url).status_code == 404
    assert api(None).post(url).status_code == 401
    assert len(_nudges(waiting)) == 1
