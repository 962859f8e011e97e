"""Read-side helpers of the browser pages. Everything starts from the scoped queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from core.models import Region
from core.roles import Level
from core.scope import visible_regions
from workflows.choices import DeadlineKind, NoticeState, TaskState
from workflows.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseQuerySet,
    Deadline,
    MeetingRecord,
    PublicityNotice,
    Task,
)
from workflows.spec import ActionSpec, Kind, ProcedureSpec, StepSpec
from workflows.visibility import inbox, urgency, visible_cases

# Procedures whose steps the model text says must be decided one case at a time (逐个审议).
ONE_BY_ONE = frozenset({"01.1"})


def my_villages(user: Any) -> list[Region]:
    return list(visible_regions(user).filter(level=Level.VILLAGE).select_related("parent")
                .order_by("path"))


def batch_action(spec: ProcedureSpec | None, step: StepSpec | None) -> ActionSpec | None:
    """The forward action by which a step may be approved in a batch, or None (逐个审议).

    Only when the usual way forward asks for nothing (no required field, no meeting,
    no checklist or condition, no minimum wait), and never for a procedure the model
    text wants reviewed one by one.
    """
    if spec is None or step is None or spec.code in ONE_BY_ONE:
        return None
    forward = [a for a in step.actions if a.kind == Kind.FORWARD]
    if not forward:
        return None
    act = forward[0]
    if (act.meeting_rules() or act.checklist or act.requires or act.wait
            or any(fs.required for fs in act.fields)):
        return None
    return act


def review_tasks(user: Any) -> list[Task]:
    """Open township-level tasks of the user's roles: emergencies first, then overdue and
    escalated ones."""
    escalated = Deadline.objects.filter(
        task=OuterRef("pk"), kind__in=[DeadlineKind.ESCALATION, DeadlineKind.HARD_LIMIT],
        fired_at__isnull=False,
    )
    tasks: list[Task] = list(
        inbox(user).filter(region__level=Level.TOWNSHIP)
        .annotate(escalated=Exists(escalated), urgent=urgency())
        .order_by("urgent", "due_at", "opened_at")[:300]
    )
    now = timezone.now()
    far = now + dt.timedelta(days=36500)

    def key(task: Any) -> tuple[int, int, dt.datetime]:
        late = bool(task.due_at and task.due_at < now)
        return (task.urgent, 0 if (late or task.escalated) else 1, task.due_at or far)

    tasks.sort(key=key)
    return tasks


@dataclass
class VillageRow:
    village: Region
    open: int = 0
    overdue: int = 0
    publicity: int = 0
    meetings: int = 0


def village_overview(user: Any, villages: list[Region]) -> list[VillageRow]:
    """Per village: open cases, overdue, publicity running, meetings held this month."""
    if not villages:
        return []
    ids = [v.pk for v in villages]
    cases: CaseQuerySet = visible_cases(user).filter(region_id__in=ids).open()

    def counts(qs: QuerySet[Any]) -> dict[int, int]:
        return {row["region"]: row["n"]
                for row in qs.values("region").annotate(n=Count("pk")).order_by()}

    opened = counts(cases)
    late = counts(cases.overdue())
    notices = counts(PublicityNotice.objects.filter(
        state=NoticeState.RUNNING, case__in=visible_cases(user), region_id__in=ids))
    month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    meetings = counts(MeetingRecord.objects.filter(
        region_id__in=ids, held_at__gte=month, case__in=visible_cases(user)))
    return [VillageRow(v, opened.get(v.pk, 0), late.get(v.pk, 0), notices.get(v.pk, 0),
                       meetings.get(v.pk, 0)) for v in villages]


def with_open_tasks(qs: CaseQuerySet) -> CaseQuerySet:
    return qs.select_related("region").prefetch_related(
        Prefetch("tasks", queryset=Task.objects.filter(state=TaskState.OPEN),
                 to_attr="open_tasks"))


def case_for_page(case: Case) -> Case:
    """The case with everything its page shows, in a fixed number of queries."""
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("region", "region__parent", "opened_by")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.order_by("pk")),
            Prefetch("events", queryset=CaseEvent.objects.order_by("seq")),
            Prefetch("notices", queryset=PublicityNotice.objects.prefetch_related("objections")
                     .order_by("start")),
            Prefetch("attachment_set", queryset=Attachment.objects.order_by("pk")),
            "meetings",
        )
        .get()
    )
