"""Smoke test of the bench data generator: a tiny district, checked for consistency."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from bench import generate
from bench.generate import VILLAGE_SEATS
from bench.generate_district import Command
from core.models import Membership, Region
from core.roles import Level, Role
from workflows.calendar import window_end
from workflows.choices import CaseState, DeadlineKind, NoticeState, TaskState
from workflows.gate import add_period
from workflows.meetings import check_meeting, meeting_rule
from workflows.models import (
    Case,
    CaseEvent,
    DayKind,
    Deadline,
    HolidayOverride,
    MeetingRecord,
    PublicityNotice,
    Task,
)
from workflows.params import effective_all
from workflows.registry import lint, registry
from workflows.spec import (
    ActionSpec,
    DueFrom,
    ProcedureSpec,
    Risk,
    StepSpec,
    notice_step,
    working_days,
)
from workflows.verify import verify_case_events

# transaction=True: on PostgreSQL the generator then loads with COPY, as in real use
pytestmark = pytest.mark.django_db(transaction=True)


def _generate(*extra: str) -> str:
    out = io.StringIO()
    call_command(Command(), "--preset", "small", "--villages", "2", "--cases", "200",
                 "--seed", "3", "--now", "2026-03-02T10:00:00+08:00", *extra, stdout=out)
    return out.getvalue()


def _signature() -> list[tuple[str, str, str, int, str]]:
    return list(Case.objects.order_by("opened_at", "pk").values_list(
        "title", "procedure", "state", "event_count", "current_step"))


def test_small_district_is_consistent() -> None:
    report = _generate()
    assert "done in" in report
    villages = Region.objects.filter(level=Level.VILLAGE, code__startswith="330399")
    assert villages.count() == 2
    for village in villages:
        held = Counter(Membership.objects.filter(region=village).values_list("role", flat=True))
        assert held == {str(role): n for role, n in VILLAGE_SEATS.items()}

    cases = list(Case.objects.select_related("region"))
    assert len(cases) == 200
    assert {c.procedure for c in cases} <= set(registry.codes())
    assert len({c.procedure for c in cases}) >= 5

    # every chain verifies, and the head on the case row matches (workflows.verify)
    for case in cases:
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        assert verify_case_events(case, events) is None, case.pk
        assert events[0].action == "open"
        assert case.updated_at == events[-1].at
    call_command("verify_audit", stdout=io.StringIO())

    open_tasks = Counter(Task.objects.filter(state=TaskState.OPEN).values_list("case_id",
                                                                              flat=True))
    for case in cases:
        if case.state == CaseState.OPEN:
            assert open_tasks[case.pk] == 1, case.pk
            task = Task.objects.get(case=case, state=TaskState.OPEN)
            step = registry.get(case.procedure).step(case.current_step)  # type: ignore[union-attr]
            assert task.step == case.current_step
            expected = {Level.VILLAGE: case.region_id,
                        Level.TOWNSHIP: case.region.ancestor_ids[1],
                        Level.DISTRICT: case.region.ancestor_ids[0]}[Level(step.level)]
            assert task.region_id == expected
            assert set(task.role_list) == {str(r) for r in step.roles}
            assert case.closed_at is None
        else:
            assert open_tasks[case.pk] == 0, case.pk
            assert case.closed_at is not None and case.current_step == ""

    # deadlines: pending ones hang on open tasks only; those of closed tasks are settled
    pending = Deadline.objects.filter(fired_at__isnull=True, cancelled=False)
    assert not pending.exclude(task__state=TaskState.OPEN).exists()
    assert not Deadline.objects.filter(fired_at__isnull=False, cancelled=True).exists()
    for deadline in Deadline.objects.filter(fired_at__isnull=False)[:200]:
        assert deadline.fired_at >= deadline.due_at  # type: ignore[operator]
    # running notices belong to open cases waiting at that very step
    for notice in PublicityNotice.objects.filter(state=NoticeState.RUNNING).select_related("case"):
        assert notice.case.state == CaseState.OPEN
        assert notice.case.current_step == notice.step

    # the seal register is numbered 1..n per seal
    from seals.models import SealUse

    for row in SealUse.objects.values("seal_id").annotate(n=Count("pk"), lo=Min("number"),
                                                          hi=Max("number")):
        assert (row["lo"], row["hi"]) == (1, row["n"])

    # deterministic from the seed
    first = _signature()
    _generate("--flush")
    assert _signature() == first


# --- the engine's own rules in the generated rows -------------------------------------------

WINDOW = working_days("bench_window_days", "测试公示期", 5)
NOTICE_SPEC = ProcedureSpec(
    code="99.1", name="测试:工作日公示", category="测试", guiding_units=("区委组织部",),
    guiding_roles=(Role.DISTRICT_ORG,), supervisor="村务监督委员会",
    risks=(Risk("公示期不足", "公示期满前不能进行下一步"),), measures=("公示",),
    steps=(
        notice_step("notice", "公示", days=WINDOW, title="测试公示", done="公示期满",
                    to="archive", description="公示5个工作日"),
        StepSpec("archive", "归档", (Role.COMMITTEE_DIRECTOR,), Level.VILLAGE,
                 (ActionSpec("archive", "归档", to=None),)),
    ),
)


def _wednesdays(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first + dt.timedelta(days=(2 - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def test_rows_follow_the_engines_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows end where ``window_end`` says, the holiday table included; due times are
    ``gate.add_period``; meetings are judged by ``check_meeting``; every chain verifies."""
    assert lint(NOTICE_SPEC) == []
    # every Wednesday of the generated years is a holiday: every 5-working-day window
    # posted then spans one, and is a day longer than Monday-to-Friday counting says
    holidays = _wednesdays(dt.date(2022, 12, 1), dt.date(2026, 3, 31))
    HolidayOverride.objects.bulk_create(
        [HolidayOverride(date=day, kind=DayKind.HOLIDAY, name="测试假日") for day in holidays])
    monkeypatch.setitem(generate.WEIGHTS, NOTICE_SPEC.code, 60.0)
    with registry.override(NOTICE_SPEC):
        _generate()
        call_command("verify_audit", stdout=io.StringIO())  # contract 8, on generated rows

        notices = list(PublicityNotice.objects.select_related("case"))
        assert len(notices) > 20
        for notice in notices:
            assert notice.earliest_end == window_end(notice.start, notice.days,
                                                     working_days=notice.working_days)
            assert notice.procedure == notice.case.procedure
            assert notice.state == NoticeState.RUNNING or notice.ended_at is not None
            if notice.state == NoticeState.ENDED:  # never cut short
                assert notice.ended_at >= notice.earliest_end  # type: ignore[operator]
        ours = [n for n in notices if n.procedure == NOTICE_SPEC.code]
        assert len(ours) > 20
        holiday_set = set(holidays)
        spanning = 0
        for notice in ours:
            assert notice.working_days and notice.days == 5
            first = timezone.localtime(notice.start).date()
            last = timezone.localtime(notice.earliest_end).date() - dt.timedelta(days=1)
            assert last not in holiday_set  # the last day counted is a working day
            # a table holiday inside the window was skipped (one posted on a Wednesday
            # before a make-up working day, e.g. 2025-04-27, may span none)
            spanning += bool(holiday_set & {first + dt.timedelta(days=i)
                                            for i in range(1, (last - first).days)})
        assert spanning > len(ours) * 3 // 4
        windows = dict(Deadline.objects.filter(kind=DeadlineKind.WINDOW_END)
                       .values_list("notice_id", "due_at"))
        assert windows == {n.pk: n.earliest_end for n in notices}

        # due times and hard limits: the gate's period arithmetic in the param's unit
        checked = 0
        for task in Task.objects.filter(due_at__isnull=False).select_related("case",
                                                                             "case__region"):
            spec = registry.get(task.case.procedure, task.case.version)
            assert spec is not None
            rule = spec.step(task.step).deadline
            assert rule is not None
            values = effective_all(spec, task.case.region)
            base = task.opened_at if rule.due_from == DueFrom.STEP_ENTERED \
                else task.case.opened_at
            assert task.due_at == add_period(base, values[rule.period.name], rule.period.unit)
            if rule.hard_limit:
                assert task.hard_due_at == add_period(base, values[rule.hard_limit.name],
                                                      rule.hard_limit.unit)
            checked += 1
        assert checked > 20

        # meetings: as the gate would have let them pass, with its verdict recorded
        meetings = list(MeetingRecord.objects.select_related("case", "event"))
        assert meetings
        for record in meetings:
            spec = registry.get(record.case.procedure, record.case.version)
            assert spec is not None
            act = spec.step(record.step).action(record.event.action)
            assert act is not None
            judged = meeting_rule(act, record.event.data)
            assert judged is not None and judged.body == record.body
            figures = {k: getattr(record, k) for k in ("due", "present", "yes", "no", "abstain")}
            assert record.event.data[judged.field] == figures
            values = effective_all(spec, record.case.region)
            assert check_meeting(judged, figures, values) == (True, True)
            assert (record.quorum_met, record.passed) == (True, True)
