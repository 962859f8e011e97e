"""Plain-words display of cases for the browser: timelines, values, time left."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from core.roles import Role
from workflows.choices import EventAction
from workflows.fields import display_value
from workflows.models import Attachment, Case, CaseEvent, MeetingRecord
from workflows.spec import FieldSpec, FieldType, ProcedureSpec


def role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def step_name(spec: ProcedureSpec | None, code: str) -> str:
    if spec is not None and code and spec.has_step(code):
        return spec.step(code).name
    return code


def time_left(due: dt.datetime | None, now: dt.datetime) -> str:
    """"剩余2天3小时" or "已逾期1天2小时"; empty when there is no due time."""
    if due is None:
        return ""
    delta = due - now
    late = delta.total_seconds() < 0
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        amount = f"{days}天{hours}小时" if hours else f"{days}天"
    elif hours:
        amount = f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    else:
        amount = f"{max(minutes, 1)}分钟"
    return f"已逾期{amount}" if late else f"剩余{amount}"


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


@dataclass
class Shown:
    """One recorded value: its label and text, or a file with its link."""

    label: str
    text: str = ""
    url: str = ""
    image: bool = False
    size: str = ""


@dataclass
class TimelineEntry:
    seq: int
    at: dt.datetime
    actor: str
    role: str
    what: str
    kind: str  # open | forward | side | return | withdraw
    from_step: str
    to_step: str
    comment: str
    values: list[Shown] = field(default_factory=list)


def _action_fields(spec: ProcedureSpec | None, event: CaseEvent) -> tuple[FieldSpec, ...]:
    if spec is None or not spec.has_step(event.from_step):
        return ()
    act = spec.step(event.from_step).action(event.action)
    return act.fields if act else ()


show_value = display_value


def _meeting_text(value: Mapping[str, Any], record: MeetingRecord | None) -> str:
    text = (f"应到{value.get('due')}人,实到{value.get('present')}人;赞成{value.get('yes')}票,"
            f"反对{value.get('no')}票,弃权{value.get('abstain')}票")
    if record is not None:
        text += f"(系统计算:{'达到' if record.quorum_met else '未达到'}法定人数,"
        text += f"{'通过' if record.passed else '未通过'})"
    return text


def event_values(spec: ProcedureSpec | None, event: CaseEvent,
                 attachments: Mapping[int, Attachment],
                 meetings: Mapping[int, MeetingRecord]) -> list[Shown]:
    fields = {fs.name: fs for fs in _action_fields(spec, event)}
    order = list(fields) + [k for k in event.data if k not in fields]
    shown: list[Shown] = []
    for name in order:
        if name not in event.data:
            continue
        value = event.data[name]
        fs = fields.get(name)
        label = fs.label if fs else name
        if fs is not None and fs.type == FieldType.FILE and isinstance(value, Mapping):
            att = attachments.get(int(value.get("id") or 0))
            shown.append(Shown(
                label, text=str(value.get("name", "")),
                url=reverse("workflows:attachment", args=[att.pk]) if att else "",
                image=bool(att and att.mime.startswith("image/")),
                size=human_size(att.size) if att else "",
            ))
            continue
        if fs is not None and fs.type == FieldType.MEETING and isinstance(value, Mapping):
            shown.append(Shown(label, text=_meeting_text(value, meetings.get(event.pk))))
            continue
        text = show_value(fs, value)
        if text:
            shown.append(Shown(label, text=text))
    return shown


def _kind(event: CaseEvent, spec: ProcedureSpec | None) -> str:
    if event.action in (EventAction.OPEN, EventAction.RETURN, EventAction.WITHDRAW):
        return str(event.action)
    return "side" if event.from_step == event.to_step else "forward"


def timeline(case: Case, spec: ProcedureSpec | None, events: Iterable[CaseEvent],
             attachments: Iterable[Attachment],
             meetings: Iterable[MeetingRecord]) -> list[TimelineEntry]:
    by_id = {a.pk: a for a in attachments}
    by_event = {m.event_id: m for m in meetings}
    out = []
    for e in events:
        out.append(TimelineEntry(
            seq=e.seq, at=e.at, actor=e.actor_name, role=role_label(e.role),
            what=e.action_name or e.action, kind=_kind(e, spec),
            from_step=step_name(spec, e.from_step), to_step=step_name(spec, e.to_step),
            comment=e.comment, values=event_values(spec, e, by_id, by_event),
        ))
    return out


@dataclass
class StepState:
    code: str
    name: str
    actors: str
    state: str  # done | current | todo | skipped
    far: bool = False  # more than NEAR steps from the current one (folded on a phone)


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
    for step in spec.steps:
        state = ("current" if step.code == case.current_step
                 else "done" if step.code in done else "todo")
        out.append(StepState(step.code, step.name, "、".join(role_label(r) for r in step.roles),
                             state))
    # a step not taken while a later one was (a route chosen by the data), or a closed case
    reached = case.state != "open"
    for row in reversed(out):
        if row.state in ("done", "current"):
            reached = True
        elif reached:
            row.state = "skipped"
    if len(out) >= FOLD_FROM:
        here = next((i for i, r in enumerate(out) if r.state == "current"), None)
        if here is None:
            here = max((i for i, r in enumerate(out) if r.state == "done"), default=0)
        for i, row in enumerate(out):
            row.far = abs(i - here) > NEAR
    return out
