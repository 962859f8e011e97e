"""A case's record made readable: the one renderer of its chained events.

Used by the case page's timeline, the supervisory audit view and the 全程纪实 PDF, so
that the three say the same thing about the same event: who did it under which role
(``core.roles.Role`` labels, "系统" for none), at which step, of which kind (open,
forward, side, return, withdraw), what was recorded (choices, yes/no, months and
roster entries through ``workflows.fields.display_value``; dates "2026年11月3日";
date-times in local time "2026-11-03 09:30"; people by name; tables one row a line;
files with their link, size and SHA-256; meetings with the computed result), and what
changed when a returned step was done again.

The raw data are the chained case events; labels come from the procedure spec the
case runs under. Nothing here queries the database except ``case_record``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.dates import local_day, local_moment
from core.places import PlaceKind, kind_of, place_words
from core.roles import Role
from workflows.choices import EventAction
from workflows.fields import display_value
from workflows.models import Attachment, Case, CaseEvent, MeetingRecord, PublicityNotice
from workflows.spec import ActionSpec, FieldSpec, FieldType, Kind, ProcedureSpec
from workflows.verify import verify_case_events

# --- words ------------------------------------------------------------------------------------


def role_label(code: str, kind: PlaceKind | None = None) -> str:
    """The role's label in the current language, in the words of a 村 or a 社区 (``kind``:
    村委会主任 / 居委会主任); "系统" when the portal itself acted."""
    if not code:
        return _("系统")
    try:
        return str(place_words(str(Role(code).label), kind))
    except ValueError:
        return code


def step_name(spec: ProcedureSpec | None, code: str) -> str:
    if spec is not None and code and spec.has_step(code):
        return spec.step(code).name
    return code


def size_text(size: int | None) -> str:
    """"850 B", "12.3 KB", "1.2 MB": the same on every page (and in the upload preview)."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def date_text(day: dt.date) -> str:
    """A day in the reader's language: "2026年11月3日" / "3 Nov 2026"."""
    return local_day(day)


def moment_text(moment: dt.datetime) -> str:
    """A time in the portal's time zone, to the minute, in the reader's language:
    "2026年11月3日 09:30" / "3 Nov 2026, 09:30"."""
    return local_moment(moment)


def held_text(held: Any) -> str:
    """The day (or moment) a meeting was held, as recorded in its value."""
    if not isinstance(held, str) or not held:
        return ""
    if len(held) == 10:
        day = _parse(parse_date, held)
        return date_text(day) if day else held
    moment = _parse(parse_datetime, held)
    return moment_text(moment) if moment else held


def meeting_text(value: Mapping[str, Any], record: MeetingRecord | None) -> str:
    """What the event recorded of a meeting, one fact a line: "召开日期:2026年11月2日", the
    roll and the figures with the verdict the portal computed ("应到7人(党员名册……),实到6人;
    赞成5票,反对1票,弃权0票(系统计算:达到法定人数,通过)"), who attended by name, the
    summary. Everything comes from the event's data (the chain covers it); a meeting recorded
    before the data held its verdict takes it from its row."""
    lines = []
    held = held_text(value.get("held_at"))
    if held:
        lines.append(_("召开日期:%(day)s") % {"day": held})
    roll: Mapping[str, Any] = value["roll"] if isinstance(value.get("roll"), Mapping) else {}
    numbers = {k: value.get(k, "?") for k in ("due", "present", "yes", "no", "abstain")}
    households = roll.get("unit") == "户"
    if roll.get("source"):
        text = (_("应到%(due)s户(%(source)s),实到%(present)s户") if households else
                _("应到%(due)s人(%(source)s),实到%(present)s人")) % {
            **numbers, "source": roll["source"]}
    else:
        text = (_("应到%(due)s户,实到%(present)s户") if households else
                _("应到%(due)s人,实到%(present)s人")) % numbers
    if "yes" in value:
        text += _(";赞成%(yes)s票,反对%(no)s票,弃权%(abstain)s票") % numbers
    result = value.get("result") if isinstance(value.get("result"), Mapping) else None
    quorum = result.get("quorum_met") if result else (record.quorum_met if record else None)
    passed = result.get("passed") if result else (record.passed if record else None)
    if quorum is not None:
        quorum_text = _("达到法定人数") if quorum else _("未达到法定人数")
        if "yes" in value or not result:
            text += _("(系统计算:%(quorum)s,%(result)s)") % {
                "quorum": quorum_text, "result": _("通过") if passed else _("未通过")}
        else:
            text += _("(系统计算:%(quorum)s)") % {"quorum": quorum_text}
    lines.append(text)
    attendees = value.get("attendees")
    if isinstance(attendees, list) and attendees:
        labels = {str(m.get("value")): str(m.get("label", "")) for m in
                  [*(roll.get("members") or []), *(roll.get("non_voting") or [])]
                  if isinstance(m, Mapping)}
        voters = {str(m.get("value")) for m in roll.get("members") or []
                  if isinstance(m, Mapping)}
        came = [labels.get(str(a), str(a)) for a in attendees if not voters or str(a) in voters]
        watched = [labels.get(str(a), str(a)) for a in attendees if voters and str(a) not in voters]
        if came:
            lines.append(_("到会人员:%(names)s") % {"names": "、".join(came)})
        if watched:
            lines.append(_("列席(无表决权):%(names)s") % {"names": "、".join(watched)})
        absent = [str(m.get("label", "")) for m in roll.get("members") or []
                  if isinstance(m, Mapping) and str(m.get("value")) not in set(map(str, attendees))]
        if absent:
            lines.append(_("未到会:%(names)s") % {"names": "、".join(absent)})
    elif isinstance(attendees, str) and attendees:
        lines.append(_("参会人员:%(names)s") % {"names": attendees})
    if value.get("minutes"):
        lines.append(_("会议记录摘要:%(text)s") % {"text": value["minutes"]})
    return "\n".join(lines)


def value_text(fs: FieldSpec | None, value: Any, meeting: MeetingRecord | None = None) -> str:
    """A recorded value as a cadre would write it; empty for a value left blank."""
    if value is None or value == "" or value == []:
        return ""
    kind = fs.type if fs is not None else None
    if kind == FieldType.DATE and isinstance(value, str):
        day = _parse(parse_date, value)
        return date_text(day) if day else value
    if kind == FieldType.DATETIME and isinstance(value, str):
        moment = _parse(parse_datetime, value)
        return moment_text(moment) if moment else value
    if kind == FieldType.MEETING and isinstance(value, Mapping):
        return meeting_text(value, meeting)
    if kind == FieldType.USER and isinstance(value, Mapping):
        return str(value.get("name") or value.get("id", ""))
    if fs is not None and kind == FieldType.TABLE and isinstance(value, list):
        return table_text(fs, value)
    # choices, yes/no, months, names of people, roster entries and files, lists: the engine's
    return display_value(fs, value)


def table_text(fs: FieldSpec, rows: list[Any]) -> str:
    """One line a row, "1. 姓名:张三,面积(亩):3.5"; each cell shown as a value of its own."""
    out = []
    for n, row in enumerate((r for r in rows if isinstance(r, Mapping)), start=1):
        cells = [f"{c.label}:{text}" for c in fs.columns
                 if (text := value_text(c, row.get(c.name))) != ""]
        out.append(f"{n}. " + ",".join(cells))
    return "\n".join(out)


def _parse(parser: Any, text: str) -> Any:
    try:
        return parser(text)
    except ValueError:  # a date that does not exist
        return None


# --- the view-model -------------------------------------------------------------------------


@dataclass
class FileView:
    """One stored file: what it was uploaded as, under which field, its link and hash."""

    name: str
    sha256: str
    field: str = ""  # the field's label
    url: str = ""
    size: str = ""
    image: bool = False


@dataclass
class Line:
    """One recorded value; on a redone step, whether it differs from the last doing."""

    label: str
    text: str
    file: FileView | None = None
    changed: bool = False
    old: str = ""


@dataclass
class EventView:
    seq: int
    at: dt.datetime
    actor: str
    role: str  # the role's label; empty for a person who acted without one
    action: str  # the action's name as recorded
    kind: str  # open | forward | side | return | withdraw
    step: str  # the step it happened at (the first step for the opening)
    from_step: str
    to_step: str  # empty when the event closed or withdrew the case
    comment: str
    lines: list[Line]
    files: list[FileView]  # every file this event stored
    hash: str
    redo_of: int | None = None  # the seq of the last doing of this step, when redone
    changes: int = 0

    @property
    def at_text(self) -> str:
        return moment_text(self.at)

    @property
    def who(self) -> str:
        """"张三(党支部书记)"; the name alone for someone acting without a role, and
        "系统" once when the portal itself acted."""
        if not self.role or self.role == self.actor:
            return self.actor
        return _("%(name)s(%(role)s)") % {"name": self.actor, "role": self.role}

    @property
    def comment_label(self) -> str:
        if self.kind == EventAction.RETURN:
            return _("退回理由")
        if self.kind == EventAction.WITHDRAW:
            return _("撤回理由")
        return _("说明")

    @property
    def extra_files(self) -> list[FileView]:
        """Files of the event that no line shows (the audit view lists them apart)."""
        shown = {line.file.sha256 for line in self.lines if line.file}
        return [f for f in self.files if f.sha256 not in shown]


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
    def current_step_name(self) -> str:
        return step_name(self.spec, self.case.current_step)

    @property
    def files(self) -> list[tuple[int, FileView]]:
        """Every stored file with the seq of the event that stored it."""
        return [(e.seq, f) for e in self.events for f in e.files]


# --- building it ------------------------------------------------------------------------------


def _action(spec: ProcedureSpec | None, event: CaseEvent) -> ActionSpec | None:
    """The spec's action that ``event`` did (None for the engine's own actions and for an
    action the spec no longer names)."""
    if spec is None or not event.from_step or not spec.has_step(event.from_step):
        return None
    return spec.step(event.from_step).action(event.action)


def action_shown(event: CaseEvent, act: ActionSpec | None) -> str:
    """The name of what an event did, in the reader's language: the engine's own actions
    (发起, 退回, 撤回 …) by their label, a procedure's by its spec's action ``act`` (placed
    and translated); the stored name only for an action the spec no longer names."""
    if event.action in EventAction.values:
        return str(EventAction(event.action).label)
    return str(act.name) if act is not None else event.action_name or event.action


def event_kind(event: CaseEvent, action_kind: Kind | None) -> str:
    """The engine's own actions (发起, 退回, 撤回, 催办) by their code; a procedure's action by
    its spec's kind (by whether it stayed on its step, for an action the spec no longer
    names)."""
    if event.action in (EventAction.OPEN, EventAction.RETURN, EventAction.WITHDRAW,
                        EventAction.NUDGE):
        return str(event.action)
    if action_kind is None:
        return "side" if event.from_step and event.from_step == event.to_step else "forward"
    return "side" if action_kind == Kind.SIDE else "forward"


def nudge_lines(event: CaseEvent, place: PlaceKind | None = None) -> list[Line]:
    """Whom a 催办 reminded, as its event recorded them: "丁金凤(村委会主任)"."""
    data = event.data if isinstance(event.data, Mapping) else {}
    people = [p for p in data.get("to") or [] if isinstance(p, Mapping)]
    named = pgettext("list separator", "、").join(
        _("%(name)s(%(role)s)") % {"name": p.get("name", ""),
                                   "role": role_label(str(p.get("role", "")), place)}
        if p.get("role") else str(p.get("name", "")) for p in people)
    return [Line(label=_("催办对象"), text=named)] if named else []


def _file_view(att: Attachment, label: str) -> FileView:
    return FileView(name=att.original_name, sha256=att.sha256, field=label,
                    url=reverse("workflows:attachment", args=[att.pk]), size=size_text(att.size),
                    image=att.mime.startswith("image/"))


def _same(before: Any, value: Any) -> bool:
    if isinstance(before, Mapping) and isinstance(value, Mapping) and "sha256" in value:
        return before.get("sha256") == value.get("sha256")
    return bool(before == value)


def event_views(spec: ProcedureSpec | None, events: Sequence[CaseEvent],
                attachments: Iterable[Attachment],
                meetings: Iterable[MeetingRecord] = (), *,
                place: PlaceKind | None = None) -> list[EventView]:
    """Each event with its values labelled and shown (roles in the words of ``place``); a
    step done again after a return is compared with its last doing (``redo_of``,
    ``changes`` and each line's ``old``)."""
    by_id: dict[int, Attachment] = {}
    by_sha: dict[str, Attachment] = {}
    by_event: dict[int, list[Attachment]] = defaultdict(list)
    for att in attachments:
        by_id[att.pk] = att
        by_sha.setdefault(att.sha256, att)
        if att.event_id:
            by_event[att.event_id].append(att)
    meeting_of = {m.event_id: m for m in meetings}
    last_done: dict[tuple[str, str], CaseEvent] = {}
    out: list[EventView] = []
    for event in events:
        act = _action(spec, event)
        kind = event_kind(event, act.kind if act is not None else None)
        specs = act.fields if act is not None else ()
        known = {fs.name: fs for fs in specs}
        label_of = {name: fs.label for name, fs in known.items()}
        data = event.data if isinstance(event.data, Mapping) else {}
        names = [fs.name for fs in specs if fs.name in data]
        names += [k for k in data if k not in known]
        previous = last_done.get((event.from_step, event.action)) if kind == "forward" else None
        before = previous.data if previous is not None else {}

        files = [_file_view(a, label_of.get(a.field, a.field)) for a in by_event[event.pk]]
        if not files:  # files not (or no longer) tied to their event: what the event says
            files = [
                (_file_view(by_sha[a["sha256"]], label_of.get(a.get("field", ""), ""))
                 if a.get("sha256") in by_sha else
                 FileView(name=str(a.get("name", "")), sha256=str(a.get("sha256", "")),
                          field=label_of.get(a.get("field", ""), str(a.get("field", "")))))
                for a in (event.attachments or []) if isinstance(a, Mapping)
            ]
        lines: list[Line] = []
        changes = 0
        for name in names:
            fs = known.get(name)
            value = data[name]
            line = Line(label=fs.label if fs else name,
                        text=value_text(fs, value, meeting_of.get(event.pk)))
            if isinstance(value, Mapping) and "sha256" in value:
                stored = (by_id.get(int(value.get("id") or 0))
                          or by_sha.get(str(value["sha256"])))
                line.file = (_file_view(stored, line.label) if stored is not None else
                             FileView(name=str(value.get("name", "")),
                                      sha256=str(value["sha256"]), field=line.label))
            if previous is not None and not _same(before.get(name), value):
                line.changed = True
                if name in before:
                    line.old = value_text(fs, before[name], meeting_of.get(previous.pk))
                line.old = line.old or _("(上次未填写)")
                line.text = line.text or _("(未填写)")
                changes += 1
            if line.text or line.file:
                lines.append(line)
        if kind == EventAction.NUDGE:  # whom it reminded, not the task's id
            lines = nudge_lines(event, place)
        if previous is not None:  # a value of the last doing left out this time
            for name in [k for k in before if k not in data]:
                fs = known.get(name)
                old = value_text(fs, before[name])
                if old:
                    lines.append(Line(label=fs.label if fs else name, text=_("(未填写)"),
                                      changed=True, old=old))
                    changes += 1
        out.append(EventView(
            seq=event.seq, at=event.at,
            actor=event.actor_name if event.actor_id is not None else _("系统"),
            # "系统" for the portal itself; a person without a role is named alone
            role=role_label(event.role, place) if event.role or event.actor_id is None else "",
            action=action_shown(event, act), kind=kind,
            step=step_name(spec, event.from_step or event.to_step),
            from_step=step_name(spec, event.from_step), to_step=step_name(spec, event.to_step),
            comment=event.comment, lines=lines, files=files, hash=event.hash,
            redo_of=previous.seq if previous is not None else None, changes=changes,
        ))
        if kind == "forward":
            last_done[(event.from_step, event.action)] = event
    return out


def build_record(case: Case, events: Sequence[CaseEvent], attachments: Iterable[Attachment],
                 notices: Iterable[PublicityNotice] = (),
                 meetings: Iterable[MeetingRecord] = ()) -> CaseRecord:
    """The record of a case from rows already read (the audit view reads a page of cases
    at once); the chain is verified against the case row."""
    spec = case.spec
    meetings = list(meetings)
    return CaseRecord(case=case, spec=spec,
                      events=event_views(spec, events, attachments, meetings,
                                         place=kind_of(case.region)),
                      problem=verify_case_events(case, events), notices=list(notices),
                      meetings=meetings)


def case_record(case: Case) -> CaseRecord:
    """Everything about one case, in five queries (events, attachments, notices, objections,
    meetings)."""
    return build_record(
        case,
        list(CaseEvent.objects.filter(case=case).order_by("seq")),
        Attachment.objects.filter(case=case).order_by("pk"),
        PublicityNotice.objects.filter(case=case).order_by("start")
        .prefetch_related("objections"),
        MeetingRecord.objects.filter(case=case).order_by("held_at", "pk"),
    )
