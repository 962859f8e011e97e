"""Smoke test of the bench data generator: a tiny district, checked for consistency."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min

from bench.generate import VILLAGE_SEATS
from bench.generate_district import Command
from core.models import Membership, Region
from core.roles import Level
from workflows.choices import CaseState, NoticeState, TaskState
from workflows.models import Case, CaseEvent, Deadline, PublicityNotice, Task
from workflows.registry import registry
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
