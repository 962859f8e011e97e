"""What the case page says first: who must act next, since when and until when, and which
of this user's ways forward it opens (issue 12, point 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core.dates import local_moment
from core.places import PlaceKind, kind_of
from workflows.attachments import PREVIEWABLE_TYPES
from workflows.choices import CaseState, NoticeState
from workflows.history import nudged_on_day
from workflows.models import Attachment, Case, CaseEvent, MeetingRecord, PublicityNotice, Task
from workflows.notify import task_holders
from workflows.record import event_views, moment_text, role_label, size_text, step_name
from workflows.spec import ProcedureSpec
from workflows.visibility import may_nudge
from workflows.web.display import duration, listed

# the ways back: never opened by default, and done only with their confirmation ticked
BACKWARD = ("return", "withdraw")

# How long a rendered row of a timeline is kept (a week, as the whole timeline); bump ROW_FORM
# when the row's template or what a row shows changes, so that no row of the old form is shown.
ROW_SECONDS = 7 * 24 * 3600
ROW_FORM = 1


def holders(task: Task, kind: PlaceKind | None) -> list[dict[str, str]]:
    """Who holds the task's roles today at the office that acts: their names and role."""
    return [{"name": m.user.get_full_name() or m.user.get_username(),
             "role": role_label(m.role, kind)} for m in task_holders(task)]


def nudge_button(user: Any, case: Case, task: Task | None, band: Mapping[str, Any],
                 now: dt.datetime) -> dict[str, bool] | None:
    """The band's 催办 button: None when this user may not nudge the task's holders (or no
    one holds it); ``done`` once they have nudged it today (it then reads 今日已催办)."""
    if task is None or band.get("kind") not in ("waiting", "late") or not band.get("holders"):
        return None
    if not may_nudge(user, case, task):
        return None
    return {"done": nudged_on_day(case, task.pk, user, now)}


def band(case: Case, task: Task | None, notices: Iterable[PublicityNotice],
         now: dt.datetime, kind: PlaceKind | None) -> dict[str, Any]:
    """The line at the top of the case page, in plain words:
    "等待 丁金凤(村委会主任)办理,已等待 2天,剩余 5天"."""
    if case.state != CaseState.OPEN:
        when = local_moment(case.closed_at) if case.closed_at else ""
        return {"kind": "closed", "text": gettext("已办结 于 %(when)s") % {"when": when}
                if when else gettext("已办结")}
    running = [n for n in notices if n.state == NoticeState.RUNNING and n.earliest_end > now]
    if running:
        notice = running[0]
        return {"kind": "publicity",
                "text": gettext("公示中,最早于 %(end)s 期满(%(left)s)") % {
                    "end": local_moment(notice.earliest_end, end=True),
                    "left": gettext("剩余%(amount)s") % {
                        "amount": duration((notice.earliest_end - now).total_seconds())}}}
    if task is None:
        return {"kind": "none", "text": ""}
    people = holders(task, kind)
    if people:
        who = listed(gettext("%(name)s(%(role)s)") % p for p in people)
        text = gettext("等待 %(who)s 办理") % {"who": who}
    else:
        roles = listed(role_label(r, kind) for r in task.roles.split(",") if r)
        text = gettext("等待 %(roles)s 办理(目前无人担任该职务,请联系上级)") % {"roles": roles}
    text += gettext(",已等待 %(waited)s") % {
        "waited": duration((now - task.opened_at).total_seconds())}
    late = bool(task.due_at and task.due_at < now)
    if task.due_at:
        amount = duration((task.due_at - now).total_seconds())
        text += (gettext(",已逾期 %(amount)s") if late else gettext(",剩余 %(amount)s")) % {
            "amount": amount}
    return {"kind": "late" if late else "waiting", "text": text, "holders": people}


def default_action(actions: Sequence[Mapping[str, Any]], *, publicity_running: bool) -> str:
    """The code of the form the page opens for this user: the usual way forward that can be
    taken now (the API lists it first). During a running 公示 the way that ends it cannot be
    taken yet: a side action (登记张贴情况, 登记异议) is opened instead. Never a way back;
    nothing when this user has only ways back."""
    ahead = [a for a in actions if a["kind"] not in BACKWARD]
    if publicity_running:
        side = [a for a in ahead if a["kind"] == "side"]
        return str(side[0]["code"]) if side else ""
    return str(ahead[0]["code"]) if ahead else ""


def submitted_files(spec: ProcedureSpec | None, events: Iterable[CaseEvent],
                    attachments: Iterable[Attachment]) -> list[dict[str, Any]]:
    """"已提交的材料": every file the case's steps recorded so far, in the order submitted,
    with the field it was given for, the step, who and when; a PDF or a picture with its
    preview (opened in the browser), any other file to download. The same attachment view
    and checks as every download (the user sees the case; the bytes match the record)."""
    by_pk = {e.pk: e for e in events}
    rows = []
    for att in attachments:
        event = by_pk.get(att.event_id) if att.event_id else None
        if event is None:
            continue  # not (yet) recorded by an event: nothing submitted
        act = (spec.step(event.from_step).action(event.action)
               if spec is not None and event.from_step and spec.has_step(event.from_step)
               else None)
        fs = next((f for f in act.fields if f.name == att.field), None) if act else None
        url = reverse("workflows:attachment", args=[att.pk])
        rows.append({
            "seq": event.seq, "name": att.original_name, "label": fs.label if fs else att.field,
            "step": step_name(spec, event.from_step), "who": event.actor_name,
            "at": moment_text(event.at), "size": size_text(att.size), "url": url,
            "preview": f"{url}?inline=1" if att.mime in PREVIEWABLE_TYPES else "",
        })
    return sorted(rows, key=lambda r: (r["seq"], r["label"]))


def row_key(case: Case, event: CaseEvent) -> str:
    """The cache key of one event's rendered row: the event's chain hash (it covers the event
    and every event before it, hence the earlier doing a redone step is compared with), the
    reader's language and time zone. The row shows nothing that differs per reader, and what
    it shows besides the event (its files, its meeting) is written with the event, in the
    gate's transaction, and never changed after."""
    return (f"case-timeline-row:{ROW_FORM}:{case.pk}:{event.hash}:{get_language()}:"
            f"{timezone.get_current_timezone_name()}")


def timeline(case: Case, spec: ProcedureSpec | None, events: Sequence[CaseEvent],
             attachments: Iterable[Attachment], meetings: Iterable[MeetingRecord]) -> SafeString:
    """The rows of the case's 办理记录, oldest first. Events never change: each row is kept
    per event (``row_key``), so the first view after a new event renders that event alone."""
    keys = [row_key(case, e) for e in events]
    rows: dict[str, str] = cache.get_many(keys)
    missing = [e for e, key in zip(events, keys, strict=True) if key not in rows]
    if missing:
        # a missing row needs only itself and the earlier doings of its step (redo_of)
        wanted = {e.pk for e in missing}
        doings = {(e.from_step, e.action) for e in missing}
        last = max(e.seq for e in missing)
        needed = [e for e in events if e.pk in wanted
                  or (e.seq < last and (e.from_step, e.action) in doings)]
        views = {v.seq: v for v in event_views(spec, needed, attachments, meetings,
                                               place=kind_of(case.region))}
        template = get_template("workflows/_timeline_row.html")
        made = {row_key(case, e): template.render({"e": views[e.seq]}) for e in missing}
        cache.set_many(made, ROW_SECONDS)
        rows.update(made)
    return mark_safe("".join(rows[key] for key in keys))  # noqa: S308 - rendered, escaped rows
