"""Reading a case's own history: who did a step, what a step recorded, when it was done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.dates import start_of
from workflows.choices import EventAction
from workflows.fields import typed_values
from workflows.models import Case, CaseEvent
from workflows.spec import ProcedureSpec

# actions that undo rather than do a step
UNDOING = (EventAction.RETURN, EventAction.WITHDRAW)
# actions recorded at a step that neither do nor undo it
NOT_DOING = (*UNDOING, EventAction.NUDGE)


def last_done(case: Case, step_code: str) -> CaseEvent | None:
    """The event by which ``step_code`` was most recently completed (left forward)."""
    return (
        CaseEvent.objects.filter(case=case, from_step=step_code)
        .exclude(to_step=step_code)
        .exclude(action__in=UNDOING)
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def actor_of(case: Case, step_code: str) -> Any:
    """The user who completed ``step_code`` most recently in this case, if any."""
    event = last_done(case, step_code)
    return event.actor if event else None


def done_at(case: Case, step_code: str) -> dt.datetime | None:
    """When ``step_code`` was most recently completed."""
    return (
        CaseEvent.objects.filter(case=case, from_step=step_code)
        .exclude(action__in=NOT_DOING)
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )


def local_day(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the local (Asia/Shanghai) day of ``moment`` and of the next."""
    day = timezone.localtime(moment).date()
    return start_of(day), start_of(day + dt.timedelta(days=1))


def nudged_on_day(case: Case, task_id: int, actor: Any, moment: dt.datetime) -> bool:
    """Whether ``actor`` has nudged the holders of task ``task_id`` on the local day of
    ``moment`` (a 催办 event of the case naming the task)."""
    start, end = local_day(moment)
    return CaseEvent.objects.filter(case=case, action=EventAction.NUDGE, actor=actor,
                                    at__gte=start, at__lt=end, data__task=task_id).exists()


def step_values(spec: ProcedureSpec, case: Case, step_code: str) -> dict[str, Any]:
    """What ``step_code`` recorded on the case, typed as its fields say."""
    value = case.data.get(step_code, {}) if isinstance(case.data, dict) else {}
    if not isinstance(value, dict) or not spec.has_step(step_code):
        return {}
    fields = {fs.name: fs for a in spec.step(step_code).actions for fs in a.fields}
    return typed_values(fields, value)
