"""Moving the time of a case's open step, for a rule that allows it (e.g. a petition's
handling period extended within the law's limit): the task's due time and every
reminder, escalation and overdue notice still to fire move with it."""

from __future__ import annotations

import datetime as dt

from workflows.choices import TaskState
from workflows.models import Case, Deadline, Task


def shift_open_task(case: Case, by: dt.timedelta) -> Task | None:
    """Move the open task's due time (and its pending deadlines) by ``by``; None when the
    case has no open task with a due time."""
    task = Task.objects.filter(case=case, state=TaskState.OPEN).first()
    if task is None or task.due_at is None:
        return None
    task.due_at = task.due_at + by
    if task.hard_due_at is not None:
        task.hard_due_at = task.hard_due_at + by
    task.save(update_fields=["due_at", "hard_due_at"])
    pending = list(Deadline.objects.filter(task=task, fired_at__isnull=True, cancelled=False,
                                           notice__isnull=True))
    for deadline in pending:
        deadline.due_at = deadline.due_at + by
    Deadline.objects.bulk_update(pending, ["due_at"])
    return task
