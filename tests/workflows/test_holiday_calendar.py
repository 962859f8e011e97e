"""The calendar (issue 11, point 11): a holiday entered while a working-day notice runs
lengthens it, recorded on its case, and never shortens it; a year nobody entered is
warned about on the district's and townships' home pages from October of the year before,
whatever single dates were entered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.errors import RuleError
from core.roles import Level, Role
from workflows import gate
from workflows.calendar import missing_holiday_years
from workflows.chaincheck import check_village
from workflows.choices import EventAction
from workflows.models import CaseEvent, DayKind, HolidayOverride, HolidayYear, PublicityNotice
from workflows.registry import registry
from workflows.spec import (
    ActionSpec,
    ProcedureSpec,
    Publicity,
    Risk,
    StepSpec,
    field,
    publicity_side_actions,
    working_days,
)
from workflows.sweep import sweep

ACTORS = (Role.COMMITTEE_MEMBER, Role.COMMITTEE_DIRECTOR)


def sh(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def _spec() -> ProcedureSpec:
    return ProcedureSpec(
        code="98.3", name="工作日公示测试", category="测试", guiding_units=("区委组织部",),
        guiding_roles=(Role.DISTRICT_ORG,), supervisor="村务监督委员会",
        risks=(Risk("测试风险", "测试控制"),), measures=("测试措施",), steps=(
            StepSpec("apply", "申请", roles=ACTORS, level=Level.VILLAGE, actions=(
                ActionSpec("apply", "提交", to="publicity", fields=(field("note", "说明"),)),)),
            StepSpec("publicity", "公示", roles=ACTORS, level=Level.VILLAGE,
                     publicity=Publicity(working_days("t_wdays", "公示工作日", 7), "测试公示"),
                     actions=(ActionSpec("finish", "公示期满", to=None),
                              *publicity_side_actions())),
        ))


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Monday 2026-11-02 10:00 in Shanghai."""
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.fixture
def posted(clock, demo, user, django_capture_on_commit_callbacks):
    with registry.override(_spec()):
        actor = user("dc_th_committee_member")
        case = gate.open_case(actor=actor, procedure="98.3", region=demo["dc_th"], title="测试")
        gate.perform_action(actor=actor, case_id=case.pk, action="apply", data={"note": "x"})
        yield case, actor


def _notice(case) -> PublicityNotice:
    return PublicityNotice.objects.get(case=case)


def test_a_holiday_entered_during_a_window_lengthens_it_on_the_record(
        posted, demo, django_capture_on_commit_callbacks):
    case, actor = posted
    assert _notice(case).earliest_end == sh("2026-11-12T00:00")  # 11-03..06, 09..11
    with django_capture_on_commit_callbacks(execute=True):
        HolidayOverride.objects.create(date=dt.date(2026, 11, 4), kind=DayKind.HOLIDAY,
                                       name="临时放假")
    assert _notice(case).earliest_end == sh("2026-11-13T00:00")
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == EventAction.NOTICE_EXTENDED
    assert event.actor_id is None and "2026-11-04" in event.comment
    assert event.facts["notice_extended"]["was"].startswith("2026-11-11T16:00")
    # the record still verifies: the later end is the one its events say
    assert check_village(demo["dc_th"]).problems == {}
    with registry.override(_spec()):
        gate._check_notice_record(actor, case, _notice(case))  # no record_altered


def test_the_case_cannot_end_the_window_on_its_old_end(posted, clock,
                                                      django_capture_on_commit_callbacks):
    case, actor = posted
    with django_capture_on_commit_callbacks(execute=True):
        HolidayOverride.objects.create(date=dt.date(2026, 11, 4), kind=DayKind.HOLIDAY)
    clock.move_to(dt.datetime(2026, 11, 12, 2, 0, tzinfo=dt.UTC))
    with registry.override(_spec()), pytest.raises(RuleError) as err:
        gate.perform_action(actor=actor, case_id=case.pk, action="finish", data={})
    assert err.value.code == "publicity_open"
    clock.move_to(dt.datetime(2026, 11, 13, 1, 0, tzinfo=dt.UTC))
    with registry.override(_spec()):
        gate.perform_action(actor=actor, case_id=case.pk, action="finish", data={})


def test_a_make_up_working_day_never_shortens_a_posted_window(
        posted, django_capture_on_commit_callbacks):
    case, _ = posted
    with django_capture_on_commit_callbacks(execute=True):
        HolidayOverride.objects.create(date=dt.date(2026, 11, 7), kind=DayKind.WORKDAY)
    assert _notice(case).earliest_end == sh("2026-11-12T00:00")
    assert not CaseEvent.objects.filter(case=case, action=EventAction.NOTICE_EXTENDED).exists()


def test_the_sweep_lengthens_windows_for_dates_loaded_without_a_save(posted, clock):
    case, _ = posted
    HolidayOverride.objects.bulk_create([HolidayOverride(date=dt.date(2026, 11, 5),
                                                         kind=DayKind.HOLIDAY)])
    assert _notice(case).earliest_end == sh("2026-11-12T00:00")
    with registry.override(_spec()):
        sweep()
        sweep()  # once only
    assert _notice(case).earliest_end == sh("2026-11-13T00:00")
    assert CaseEvent.objects.filter(case=case, action=EventAction.NOTICE_EXTENDED).count() == 1


@pytest.mark.django_db
def test_single_dates_do_not_make_a_year_known():
    """Before issue 11 one date entered for 2027 silenced the warning."""
    with time_machine.travel(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC), tick=False):
        assert missing_holiday_years() == [2027]
        HolidayOverride.objects.create(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY)
        assert missing_holiday_years() == [2027]
        HolidayYear.objects.create(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知")
        assert missing_holiday_years() == []


@pytest.mark.django_db
def test_next_year_is_warned_about_from_october_only():
    with time_machine.travel(dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC), tick=False):
        assert missing_holiday_years() == []
    with time_machine.travel(dt.datetime(2026, 10, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        assert missing_holiday_years() == [2027]


@pytest.mark.parametrize(("username", "warned"), [
    ("sfq_district_org", True), ("dc_township_party", True),
    ("dc_th_branch_secretary", False)])
def test_the_home_pages_of_the_district_and_townships_warn(client, user, username, warned):
    client.force_login(user(username))
    with time_machine.travel(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC), tick=False):
        # a district user lands on the dashboard: warned there
        html = client.get(reverse("home"), follow=True).content.decode()
    assert ("尚未录入2027年的法定节假日和调休安排" in html) is warned
