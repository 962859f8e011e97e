"""A case's record made readable: labelled fields, what changed on a redo, hashes, checks.

Shared by the supervisory audit page and the 全程纪实 PDF. The raw data are the
chained case events; labels come from the procedure spec the case runs under.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.roles import Role
from workflows.choices import EventAction
from workflows.fields import display_value
from workflows.models import Attachment, Case, CaseEvent, MeetingRecord, PublicityNotice
from workflows.spec import FieldSpec, FieldType, Kind, ProcedureSpec
from workflows.verify import verify_case_events

OK_TEXT = "校验通过"


@dataclass
class FieldLine:
    label: str
    text: str
    changed: bool = False
    old: str | None = None
    file: dict[str, Any] | None = None


@dataclass
class EventView:
    seq: int
    at: dt.datetime
    actor: str
    role: str
    step: str
    action: str
    kind: str  # "open", "return", "withdraw", "side" or "forward"
    comment: str
    to_step: str
    lines: list[FieldLine]
    attachments: list[dict[str, Any]]  # those not already shown as a field
    all_files: list[dict[str, Any]]
    hash: str
    redo_of: int | None = None
    changes: int = 0


@dataclass
class CaseRecord:
    case: Case
    spec: ProcedureSpec | None
    events: list[EventView]
    problem: str | None
    notices: list[PublicityNotice] = field(default_factory=list)
    meetings: list[MeetingRecord] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.problem is None

    @property
    def verdict(self) -> str:
        return OK_TEXT if self.problem is None else self.problem

    @property
    def current_step_name(self) -> str:
        return step_name(self.spec, self.case.current_step)


def role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code or "系统"


def step_name(spec: ProcedureSpec | None, code: str) -> str:
    if spec is not None and code and spec.has_step(code):
        return spec.step(code).name
    return code


def _action_fields(spec: ProcedureSpec | None, event: CaseEvent) -> tuple[list[FieldSpec], Kind]:
    if spec is None or not spec.has_step(event.from_step):
        return [], Kind.FORWARD
    action = spec.step(event.from_step).action(event.action)
    if action is None:
        return [], Kind.FORWARD
    return list(action.fields), action.kind


def show(value: Any, spec: FieldSpec | None) -> str:
    """A recorded value as a cadre would write it."""
    if value is None or value == "":
        return "(未填写)"
    kind = spec.type if spec else None
    if isinstance(value, bool) or kind in (FieldType.CHOICE, FieldType.MULTICHOICE):
        return display_value(spec, value)  # the engine's labels, the same as the case page
    if kind == FieldType.MEETING and isinstance(value, dict):
        text = (f"应到{value.get('due', '?')}人,实到{value.get('present', '?')}人;"
                f"赞成{value.get('yes', '?')},反对{value.get('no', '?')},"
                f"弃权{value.get('abstain', '?')}")
        if value.get("attendees"):
            text += f"\n参会人员:{value['attendees']}"
        if value.get("minutes"):
            text += f"\n记录摘要:{value['minutes']}"
        return text
    if kind == FieldType.USER and isinstance(value, dict):
        return str(value.get("name") or value.get("id"))
    if kind == FieldType.DATE and isinstance(value, str):
        day = parse_date(value)
        return f"{day.year}年{day.month}月{day.day}日" if day else value
    if kind == FieldType.DATETIME and isinstance(value, str):
        moment = parse_datetime(value)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else value
    if kind == FieldType.FILE and isinstance(value, dict):
        return str(value.get("name", ""))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    return str(value)


def _file_info(value: Any, by_sha: dict[str, Attachment]) -> dict[str, Any] | None:
    if not isinstance(value, dict) or "sha256" not in value:
        return None
    att = by_sha.get(value["sha256"])
    return {
        "name": value.get("name", ""),
        "sha256": value["sha256"],
        "url": reverse("workflows:attachment", args=[att.pk]) if att else "",
        "size": size_text(att.size) if att else "",
    }


def size_text(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _kind(event: CaseEvent, action_kind: Kind) -> str:
    if event.action in (EventAction.OPEN, EventAction.RETURN, EventAction.WITHDRAW):
        return str(event.action)
    return "side" if action_kind == Kind.SIDE else "forward"


def event_views(spec: ProcedureSpec | None, events: Sequence[CaseEvent],
                attachments: Iterable[Attachment]) -> list[EventView]:
    """Each event with its fields labelled; a redone step is compared with its last doing."""
    by_event: dict[int, list[Attachment]] = defaultdict(list)
    by_sha: dict[str, Attachment] = {}
    for att in attachments:
        if att.event_id:
            by_event[att.event_id].append(att)
        by_sha.setdefault(att.sha256, att)
    last_done: dict[tuple[str, str], CaseEvent] = {}
    out: list[EventView] = []
    for event in events:
        specs, action_kind = _action_fields(spec, event)
        kind = _kind(event, action_kind)
        data = event.data if isinstance(event.data, dict) else {}
        known = {fs.name: fs for fs in specs}
        names = [fs.name for fs in specs if fs.name in data]
        names += [k for k in data if k not in known]
        previous = last_done.get((event.from_step, event.action)) if kind == "forward" else None
        previous_data = previous.data if previous is not None else {}
        lines: list[FieldLine] = []
        changes = 0
        for name in names:
            fs = known.get(name)
            value = data.get(name)
            line = FieldLine(label=fs.label if fs else name, text=show(value, fs),
                             file=_file_info(value, by_sha))
            if previous is not None:
                before = previous_data.get(name)
                same = (before.get("sha256") == value.get("sha256")
                        if isinstance(before, dict) and isinstance(value, dict)
                        and "sha256" in value else before == value)
                if not same:
                    line.changed = True
                    line.old = show(before, fs) if name in previous_data else "(上次未填写)"
                    changes += 1
            lines.append(line)
        all_files = [
            {"name": a.original_name, "field": (known[a.field].label if a.field in known
                                                 else a.field),
             "sha256": a.sha256, "size": size_text(a.size),
             "url": reverse("workflows:attachment", args=[a.pk])}
            for a in by_event.get(event.pk, [])
        ] or [
            {"name": a.get("name", ""),
             "field": known[a["field"]].label if a.get("field") in known else a.get("field", ""),
             "sha256": a.get("sha256", ""), "size": "", "url": ""}
            for a in (event.attachments or []) if isinstance(a, dict)
        ]
        shown = {line.file["sha256"] for line in lines if line.file}
        out.append(EventView(
            seq=event.seq, at=event.at, actor=event.actor_name or "系统",
            role=role_label(event.role), step=step_name(spec, event.from_step or event.to_step),
            action=event.action_name or event.action, kind=kind, comment=event.comment,
            to_step=step_name(spec, event.to_step), lines=lines,
            attachments=[f for f in all_files if f["sha256"] not in shown], all_files=all_files,
            hash=event.hash, redo_of=previous.seq if previous is not None else None,
            changes=changes,
        ))
        if kind == "forward":
            last_done[(event.from_step, event.action)] = event
    return out


def case_record(case: Case) -> CaseRecord:
    """Everything about one case, in five queries (events, attachments, notices, objections,
    meetings)."""
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    attachments = list(Attachment.objects.filter(case=case).order_by("pk"))
    notices = list(PublicityNotice.objects.filter(case=case).order_by("start")
                   .prefetch_related("objections"))
    meetings = list(MeetingRecord.objects.filter(case=case).order_by("held_at", "pk"))
    spec = case.spec
    return CaseRecord(case=case, spec=spec, events=event_views(spec, events, attachments),
                      problem=verify_case_events(case, events), notices=notices,
                      meetings=meetings)
