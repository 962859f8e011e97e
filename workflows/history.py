"""Reading a case's own history: who did a step, what a step recorded, when it was done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workflows.choices import EventAction
from workflows.fields import typed_values
from workflows.models import Case, CaseEvent
from workflows.spec import ProcedureSpec

# actions that undo rather than do a step
UNDOING = (EventAction.RETURN, EventAction.WITHDRAW)


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
        .exclude(action__in=UNDOING)
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )


def step_values(spec: ProcedureSpec, case: Case, step_code: str) -> dict[str, Any]:
    """What ``step_code`` recorded on the case, typed as its fields say."""
    value = case.data.get(step_code, {}) if isinstance(case.data, dict) else {}
    if not isinstance(value, dict) or not spec.has_step(step_code):
        return {}
    fields = {fs.name: fs for a in spec.step(step_code).actions for fs in a.fields}
    return typed_values(fields, value)
