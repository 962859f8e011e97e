"""Plain-words display of cases for the browser: time left, the procedure's steps.

A case's record (its timeline of events, values, files, meetings) is rendered by
``workflows.record``, the one renderer shared with the audit view and the 全程纪实 PDF;
``role_label`` and ``step_name`` are its words, named here for the pages that use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language, gettext, pgettext

from core.places import kind_of
from workflows.choices import EventAction
from workflows.messages import Quantity
from workflows.models import Case, CaseEvent
from workflows.record import role_label, step_name
from workflows.spec import ProcedureSpec

__all__ = ["StageGroup", "StepState", "duration", "listed", "role_label", "stage_groups",
           "step_name", "step_states", "time_left"]


def listed(items: Iterable[str]) -> str:
    """Items of a list in one line: "村委会主任、村委会委员" / "director, member"."""
    return pgettext("list separator", "、").join(items)


def duration(seconds: float) -> str:
    """"2天3小时", "3小时5分钟", "5分钟" (English "2 days 3 hours"…), to the minute."""
    seconds = int(abs(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        parts = [Quantity(days, "days")] + ([Quantity(hours, "hours")] if hours else [])
    elif hours:
        parts = [Quantity(hours, "hours")] + ([Quantity(minutes, "minutes")] if minutes else [])
    else:
        parts = [Quantity(max(minutes, 1), "minutes")]
    # Chinese writes "2天3小时" as one word; other languages put a space between the parts
    joiner = "" if (get_language() or "zh-hans").startswith("zh") else " "
    return joiner.join(part.render() for part in parts)


def time_left(due: dt.datetime | None, now: dt.datetime) -> str:
    """"剩余2天3小时" or "已逾期1天2小时"; empty when there is no due time."""
    if due is None:
        return ""
    delta = (due - now).total_seconds()
    if delta < 0:
        return gettext("已逾期%(amount)s") % {"amount": duration(delta)}
    return gettext("剩余%(amount)s") % {"amount": duration(delta)}


@dataclass
class StepState:
    code: str
    name: str
    actors: str
    state: str  # done | current | todo | skipped
    far: bool = False  # more than NEAR steps from the current one (folded on a phone)
    stage: str = ""  # the stage of a long procedure (StepSpec.stage)
    number: int = 0  # its place in the whole procedure, from 1


@dataclass
class StageGroup:
    """A run of steps of one stage, as the stepper draws it: a collapsible group that
    says how many of its steps are done, open when the case is in it."""

    name: str
    steps: list[StepState]
    current: bool
    done: int

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def first(self) -> int:
        return self.steps[0].number

    @property
    def finished(self) -> bool:
        return all(s.state in ("done", "skipped") for s in self.steps) and self.done > 0


NEAR = 2  # steps either side of the current one shown on a phone
FOLD_FROM = 7  # procedures with this many steps fold the far ones on a phone


def step_states(case: Case, spec: ProcedureSpec | None,
                events: Iterable[CaseEvent]) -> list[StepState]:
    """Every step of the procedure, marked done (left forward), current, or still to come."""
    if spec is None:
        return []
    done = {
        e.from_step for e in events
        if e.from_step and e.to_step != e.from_step
        and e.action not in (EventAction.RETURN, EventAction.WITHDRAW)
    }
    out = []
    place = kind_of(case.region)
    for number, step in enumerate(spec.steps, start=1):
        state = ("current" if step.code == case.current_step
                 else "done" if step.code in done else "todo")
        out.append(StepState(step.code, step.name,
                             listed(role_label(r, place) for r in step.roles), state,
                             stage=step.stage, number=number))
    # a step not taken while a later one was (a route chosen by the data), or a closed case
    reached = case.state != "open"
    for row in reversed(out):
        if row.state in ("done", "current"):
            reached = True
        elif reached:
            row.state = "skipped"
    # a procedure in stages folds by stage (stage_groups), not by distance
    if len(out) >= FOLD_FROM and not spec.staged:
        here = next((i for i, r in enumerate(out) if r.state == "current"), None)
        if here is None:
            here = max((i for i, r in enumerate(out) if r.state == "done"), default=0)
        for i, row in enumerate(out):
            row.far = abs(i - here) > NEAR
    return out


def stage_groups(steps: Iterable[StepState]) -> list[StageGroup]:
    """The steps in runs of one stage (empty when the procedure has no stages): the
    stepper of a long procedure draws each as a group, the current one open."""
    rows = list(steps)
    if not any(r.stage for r in rows):
        return []
    groups: list[StageGroup] = []
    for row in rows:
        if not groups or groups[-1].name != row.stage:
            groups.append(StageGroup(row.stage, [], current=False, done=0))
        group = groups[-1]
        group.steps.append(row)
        group.current = group.current or row.state == "current"
        group.done += row.state == "done"
    return groups
