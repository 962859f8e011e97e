"""What the gate and the sweep would have written, from the engine's own functions (bench).

The generator writes years of cases without passing through the gate (a transaction
per action would take days at district scale), so it needs the gate's decisions as
functions of values rather than of rows. Where the engine has such a function it is
called directly: ``gate.add_period``, ``calendar.window_end`` and ``add_months``, the
meeting checks of ``workflows.meetings``, ``audit.event_hash`` (on an unsaved
``CaseEvent``), ``Task.pack_roles``, ``acting.acting_region_id``, ``fields.display_value``,
and the sweep's message and recipients (fed unsaved rows).

Where the gate computes a thing inline while it writes rows, the smallest adapter sits
here, each naming the engine code it follows and the function the engine could offer
instead (then the adapter goes):

- :func:`step_deadlines` follows ``gate._open_step`` (wanted: ``gate.step_deadlines(step,
  values, *, entered, case_opened)`` answering the due times and the unsaved deadlines);
- :func:`notice_text` follows ``gate._open_notice`` (wanted: ``notice_title`` and
  ``notice_content`` beside it);
- :class:`Meetings` chooses figures that pass with the engine's ``smallest_present`` and
  ``smallest_yes``, and :func:`meeting_result` is ``check_meeting``;
- :func:`closed_message` follows ``notify.queue_closed_notice`` (wanted: its message as
  a function);
- :class:`FiredDeadlines` calls ``sweep._message`` and ``sweep._Recipients``, private
  names (wanted: public ``deadline_message`` and ``deadline_recipients``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils import timezone

from core.models import Region
from workflows import calendar, gate
from workflows.choices import DeadlineKind, TaskState
from workflows.fields import display_value, field_of
from workflows.meetings import check_meeting, ratios, smallest_present, smallest_yes
from workflows.models import Case, Deadline, Task
from workflows.spec import DueFrom, MeetingRule, ProcedureSpec, StepSpec, Unit

Values = Mapping[str, int | Fraction]


class Periods:
    """``gate.add_period`` and ``calendar.window_end``, memoised where they read the database.

    A window end is local midnight after the last counted day: it depends only on the
    local start date, the count, calendar or working days, and the holiday table (with
    the ``chinesecalendar`` package), which does not change during a load. So the ends
    are memoised by (local date, count, working days), and so is ``add_period`` for a
    period of working days (the gate counts those with ``window_end``). Calendar days and
    months are arithmetic on the start itself, no database: the engine is called every
    time. The first answers from the memo and every ``CHECK``-th are computed again by
    the engine and compared, so that an engine whose ends came to depend on more than the
    date stops the load instead of writing wrong rows.

    Cost: one entry per distinct key, i.e. at most the days of the generated years
    (about 1,100) × the few counts of the specs — a few thousand entries, well under a
    megabyte — and as many engine calls per worker process (a working-day window reads
    the holiday table once per year it touches) instead of one per notice: the `small`
    preset asks the engine 2,700 times and the memo 12,800 times.
    """

    CHECK = 10_000

    def __init__(self) -> None:
        self._tz = timezone.get_current_timezone()
        self._memo: dict[tuple[Any, ...], dt.datetime] = {}
        self.hits = 0
        self.misses = 0

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], dt.datetime]) -> dt.datetime:
        end = self._memo.get(key)
        if end is None:
            self.misses += 1
            end = self._memo[key] = compute()
            return end
        self.hits += 1
        if (self.hits <= 3 or self.hits % self.CHECK == 0) and (fresh := compute()) != end:
            raise RuntimeError(f"{key[0]} is no longer a function of the start's date "
                               f"({key}: {fresh} != {end}): drop the memo of bench.rules")
        return end

    def window_end(self, start: dt.datetime, days: int, *, working_days: bool) -> dt.datetime:
        """``workflows.calendar.window_end``."""
        n = int(days)
        return self._cached(("window_end", start.astimezone(self._tz).date(), n, working_days),
                            lambda: calendar.window_end(start, n, working_days=working_days))

    def add_period(self, start: dt.datetime, value: int | Fraction, unit: Unit) -> dt.datetime:
        """``workflows.gate.add_period``."""
        if unit != Unit.WORKING_DAYS:
            return gate.add_period(start, value, unit)
        return self._cached(("add_period", start.astimezone(self._tz).date(), int(value)),
                            lambda: gate.add_period(start, value, unit))

    @staticmethod
    def add_months(start: dt.datetime, months: int) -> dt.datetime:
        return calendar.add_months(start, months)


# --- the deadlines of a step (gate._open_step) ----------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A deadline row the gate writes when a step is entered."""

    kind: str
    due_at: dt.datetime
    message: str = ""
    repeat_months: int | None = None


def step_deadlines(step: StepSpec, values: Values, *, entered: dt.datetime,
                   case_opened: dt.datetime, periods: Periods
                   ) -> tuple[dt.datetime | None, dt.datetime | None, list[Planned]]:
    """(due, hard limit, deadlines) of a task opened at ``entered``, as ``gate._open_step``
    computes them; the window end of a publicity step is added by the notice."""
    due_at = hard_due = None
    planned: list[Planned] = []
    if step.deadline:
        base = entered if step.deadline.due_from == DueFrom.STEP_ENTERED else case_opened
        period = step.deadline.period
        due_at = periods.add_period(base, values[period.name], period.unit)
        for lead in sorted(set(step.deadline.remind_days), reverse=True):
            at = due_at - dt.timedelta(days=max(1, lead))
            if at > entered:
                planned.append(Planned(DeadlineKind.REMINDER, at))
        planned.append(Planned(DeadlineKind.OVERDUE, due_at))
        if step.deadline.escalate:
            planned.append(Planned(DeadlineKind.ESCALATION, due_at))
        if step.deadline.hard_limit:
            hard = step.deadline.hard_limit
            hard_due = periods.add_period(base, values[hard.name], hard.unit)
            planned.append(Planned(DeadlineKind.HARD_LIMIT, hard_due))
    for rec in step.recurring:
        every = int(values[rec.every.name])
        planned.append(Planned(DeadlineKind.RECURRING, periods.add_months(entered, every),
                               rec.message, every))
    return due_at, hard_due, planned


def next_recurring(deadline: Planned, periods: Periods) -> Planned:
    """The follow-up the sweep writes when a recurring reminder fires (``sweep.sweep``)."""
    assert deadline.repeat_months
    return Planned(deadline.kind, periods.add_months(deadline.due_at, deadline.repeat_months),
                   deadline.message, deadline.repeat_months)


# --- publicity (gate._open_notice) --------------------------------------------------------


def notice_text(spec: ProcedureSpec, step: StepSpec, case_title: str,
                case_data: Mapping[str, Any]) -> tuple[str, str]:
    """(title, content) of the notice the gate posts when ``step`` is entered."""
    assert step.publicity is not None
    pub = step.publicity
    lines = []
    for key in pub.content_fields:
        step_code, _, field_name = key.partition(".")
        text = display_value(field_of(spec, step_code, field_name),
                             case_data.get(step_code, {}).get(field_name))
        if text:
            lines.append(text)
    return f"{pub.title}:{case_title}", "\n".join(lines)


# --- meetings -----------------------------------------------------------------------------


class Meetings:
    """Figures of meetings that the gate accepts, and its verdict on them.

    The fewest present and the fewest yes votes that pass are the engine's
    (``smallest_present``, ``smallest_yes``), counted once per rule and roll: they
    depend on nothing else (the ratios in force are fixed for a load).
    """

    def __init__(self) -> None:
        self._least: dict[tuple[int, int], int] = {}
        self._fewest: dict[tuple[int, int, int], int | None] = {}

    def passing(self, rule: MeetingRule, values: Values, due: int,
                rng: random.Random) -> dict[str, int]:
        """Quorum met and motion passed, anywhere between the least that would do and
        everyone present agreeing."""
        quorum_ratio, pass_ratio = ratios(rule, values)
        key = (id(rule), due)
        least = self._least.get(key)
        if least is None:
            found = smallest_present(rule.quorum, quorum_ratio, due=due)
            if found is None:
                raise ValueError(f"{rule.body}: no quorum is possible with {due} due")
            least = self._least[key] = max(found, 1)
        for present in range(rng.randint(least, due), due + 1):
            # a pass line of those due may need more present than the quorum does
            pkey = (id(rule), due, present)
            if pkey not in self._fewest:
                self._fewest[pkey] = smallest_yes(rule.pass_line, pass_ratio, due=due,
                                                  present=present)
            fewest = self._fewest[pkey]
            if fewest is not None:
                break
        else:
            raise ValueError(f"{rule.body}: no vote passes with {due} due")
        yes = rng.randint(fewest, present)
        no = rng.randint(0, present - yes)
        return {"due": due, "present": present, "yes": yes, "no": no,
                "abstain": present - yes - no}


def meeting_result(rule: MeetingRule, meeting: Mapping[str, int],
                   values: Values) -> tuple[bool, bool]:
    """(quorum met, passed), as the gate records them."""
    return check_meeting(rule, meeting, values)


# --- notifications --------------------------------------------------------------------------


def closed_message(case_title: str, outcome: str) -> str:
    """The opener's notice when a case closes (``notify.queue_closed_notice``)."""
    return f"【办结】“{case_title}”已办结:{outcome}。"


class FiredDeadlines:
    """The message and the recipients of a deadline the sweep fires, from the sweep's own
    functions fed unsaved rows. Recipients are read from the memberships in the database
    (one query per place, the first time a place is asked about)."""

    def __init__(self) -> None:
        from workflows.sweep import _message, _Recipients

        self._message = _message
        self._recipients = _Recipients()

    def __call__(self, *, kind: str, message: str, repeat_months: int | None, case: Case,
                 task_region: Region, roles: str, due_at: dt.datetime | None
                 ) -> tuple[str, list[int]]:
        task = Task(case=case, region=task_region, roles=roles, state=TaskState.OPEN,
                    due_at=due_at)
        deadline = Deadline(case=case, task=task, kind=kind, message=message,
                            repeat_months=repeat_months)
        self._recipients.prefetch([deadline])
        return self._message(deadline).chinese(), self._recipients(deadline)
