"""Verification of one case's record: its chain, its head on the case row, and every stored
row that shows what the chain says (contract 8).

The chain (``workflows.audit``) proves the events were written by the portal and not
changed since. What people read comes also from other rows, and each is compared with
the events here, so that a change made behind the portal's back is named:

- the case row: procedure, version, village, title as opened; state, step, outcome,
  opening, closing and last times as the events leave them;
- publicity notices: the window each event opened (``facts.notice``: start, days,
  working days or not, earliest end, title, content), its end (ended or cancelled, and
  when) from the event that left the step, where it was posted and its photo from the
  actions at the step, its objections and their answers from the side actions;
- meeting records: every field of ``MeetingRecord`` that the event knows — its figures
  (the event's data of the meeting field, held_at included when the value carries it,
  else the event's time), its body and computed result (``facts.meeting``);
- attachments: the field, SHA-256 and name each event recorded (``--files`` also
  re-hashes the stored bytes);
- a domain's rows (the seal register line): through the registered
  ``workflows.facts.FactCheck`` of each fact an effect put into the event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from workflows.audit import verify_chain
from workflows.choices import CaseState, EventAction, NoticeState
from workflows.facts import (
    CASE,
    CLOSED,
    MEETING,
    NOTICE,
    NOTICE_FIELDS,
    difference,
    fact_checks,
    notice_fact,
    same_value,
    shown,
    window_in_force,
)
from workflows.models import Attachment, MeetingRecord, Objection, PublicityNotice

# the case row's fields these checks read (chaincheck loads only these)
CASE_FIELDS = ("pk", "event_count", "last_hash", "procedure", "version", "region_id", "title",
               "state", "current_step", "outcome", "opened_at", "opened_by_id", "closed_at",
               "updated_at")
# the built-in side actions of a publicity step (workflows.gate._apply_side_records)
RECORD_OBJECTION, ANSWER_OBJECTION = "record_objection", "answer_objection"
SHOWN_PROBLEMS = 3

CASE_LABELS = {"procedure": "事项", "version": "流程版本", "region": "所属村(社区)",
               "title": "标题", "state": "状态", "outcome": "办理结果"}
NOTICE_LABELS = {"step": "公示环节", "title": "公示标题", "content": "公示内容",
                 "start": "公示开始", "earliest_end": "最早结束", "days": "公示天数",
                 "working_days": "按工作日计算"}
STATE_LABELS = {str(v): str(label) for v, label in CaseState.choices}
NOTICE_STATE_LABELS = {str(v): str(label) for v, label in NoticeState.choices}
# MeetingRecord's fields that are the row's place in the record, not what it says
_MEETING_OWN = {"id", "case", "event"}


@dataclass
class Stored:
    """The rows of one case that show what its events say."""

    notices: list[PublicityNotice] = field(default_factory=list)  # in the order written
    objections: dict[int, list[Objection]] = field(default_factory=dict)  # by notice
    meetings: list[MeetingRecord] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    domain: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by fact name


def load_stored(case_ids: Sequence[int]) -> dict[int, Stored]:
    """The stored rows of these cases: one query per kind of row (and one per domain fact)."""
    ids = list(case_ids)
    out = {pk: Stored() for pk in ids}
    if not ids:
        return out
    objections = Prefetch("objections", queryset=Objection.objects.order_by("received_at", "pk"))
    for notice in (PublicityNotice.objects.filter(case_id__in=ids).order_by("case_id", "pk")
                   .prefetch_related(objections)):
        out[notice.case_id].notices.append(notice)
        out[notice.case_id].objections[notice.pk] = list(notice.objections.all())
    for meeting in MeetingRecord.objects.filter(case_id__in=ids).order_by("pk"):
        out[meeting.case_id].meetings.append(meeting)
    for att in Attachment.objects.filter(case_id__in=ids).order_by("pk"):
        out[att.case_id].attachments.append(att)
    for pk, rows in domain_rows(ids).items():
        out[pk].domain = rows
    return out


def domain_rows(case_ids: Sequence[int]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """The domains' stored rows of these cases, by case and fact (one query per fact)."""
    ids = list(case_ids)
    out: dict[int, dict[str, list[dict[str, Any]]]] = {pk: {} for pk in ids}
    for check in fact_checks() if ids else ():
        for pk, rows in check.rows(ids).items():
            if pk in out:
                out[pk][check.name] = list(rows)
    return out


def verify_case_events(case: Any, events: Sequence[Any], stored: Stored | None = None, *,
                       files: bool = False) -> str | None:
    """None when the case's record holds, else what is wrong (the first few problems).

    Always: the chain, its head and length on the case row, the case row against its
    events. With ``stored`` (``load_stored``): every row that shows what the events say.
    With ``files``: every stored file re-hashed against its SHA-256."""
    problems: list[str] = []
    chain = verify_chain(events)
    if chain:
        problems.append(chain)
    elif len(events) != case.event_count:
        problems.append(f"记录条数不符:应有{case.event_count}条,实有{len(events)}条")
    elif (events[-1].hash if events else "") != case.last_hash:
        problems.append("最后一条记录的哈希与事项不符(记录可能被删除或替换)")
    if events:
        problems += case_row_problems(case, events)
        if stored is not None:
            problems += stored_problems(case, events, stored)
    if files and stored is not None:
        problems += file_problems(stored.attachments)
    if not problems:
        return None
    if len(problems) > SHOWN_PROBLEMS:
        problems = [*problems[:SHOWN_PROBLEMS], f"等{len(problems)}处问题"]
    return ";".join(problems)


# --- the case row ------------------------------------------------------------------------------


def _facts(event: Any) -> Mapping[str, Any]:
    return event.facts if isinstance(event.facts, Mapping) else {}


def _data(event: Any) -> Mapping[str, Any]:
    return event.data if isinstance(event.data, Mapping) else {}


def case_row_problems(case: Any, events: Sequence[Any]) -> list[str]:
    first, last = events[0], events[-1]
    problems: list[str] = []
    opened = _facts(first).get(CASE)
    if first.action != EventAction.OPEN or not isinstance(opened, Mapping):
        problems.append("第1条记录不是事项的发起记录")
    else:
        row = {"procedure": case.procedure, "version": case.version, "region": case.region_id,
               "title": case.title}
        diff = difference(opened, row, CASE_LABELS, keys=list(row))
        if diff:
            problems.append(f"事项登记信息与发起记录不符({diff})")
        if not same_value(first.at, case.opened_at) or first.actor_id != case.opened_by_id:
            problems.append("发起人或发起时间与发起记录不符")
    if last.action == EventAction.WITHDRAW:
        state = str(CaseState.WITHDRAWN)
    elif not last.to_step:
        state = str(CaseState.CLOSED)
    else:
        state = str(CaseState.OPEN)
    if str(case.state) != state or case.current_step != last.to_step:
        problems.append(f"事项状态与最后一条记录不符:记录为“{STATE_LABELS.get(state, state)}”,"
                        f"现为“{STATE_LABELS.get(str(case.state), case.state)}”")
    closed = _facts(last).get(CLOSED)
    if state != CaseState.OPEN:
        if isinstance(closed, Mapping):
            diff = difference(closed, {"state": str(case.state), "outcome": case.outcome},
                              CASE_LABELS, keys=("state", "outcome"))
            if diff:
                problems.append(f"办结信息与第{last.seq}条记录不符({diff})")
        if case.closed_at is None or not same_value(last.at, case.closed_at):
            problems.append(f"办结时间与第{last.seq}条记录不符")
    elif case.closed_at is not None:
        problems.append("事项仍在办理,却登记了办结时间")
    if not same_value(last.at, case.updated_at):
        problems.append("最近办理时间与最后一条记录不符")
    # the village copied onto each event (not in the hash: the case is) must be the case's
    moved = [e.seq for e in events if getattr(e, "village_id", case.region_id) != case.region_id]
    if moved:
        problems.append(f"第{moved[0]}条记录所属村(社区)与事项不符")
    return problems


# --- the rows that show what events say ----------------------------------------------------------


def stored_problems(case: Any, events: Sequence[Any], stored: Stored) -> list[str]:
    problems = notice_problems(events, stored)
    problems += meeting_problems(case, events, stored.meetings)
    problems += attachment_problems(events, stored.attachments)
    problems += domain_problems(events, stored.domain)
    return problems


def _left(events: Sequence[Any], opening: Any, step: str) -> Any | None:
    """The event that ended (forward) or cancelled (return, withdraw) the notice opened by
    ``opening`` at ``step``: the first later one that left the step, or opened it anew."""
    for event in events:
        if event.seq <= opening.seq or event.from_step != step:
            continue
        if (event.action in (EventAction.RETURN, EventAction.WITHDRAW)
                or event.to_step != step or NOTICE in _facts(event)):
            return event
    return None


def notice_problems(events: Sequence[Any], stored: Stored) -> list[str]:
    opened = [(e, f) for e in events if isinstance(f := _facts(e).get(NOTICE), Mapping)]
    rows = stored.notices
    if len(opened) != len(rows):
        return [f"公示与办理记录不符:记录中开启公示{len(opened)}次,现有公示{len(rows)}条"]
    problems: list[str] = []
    for (event, opening), notice in zip(opened, rows, strict=True):
        fact = window_in_force(opening, event.seq, events)
        name = f"公示“{fact.get('title', notice.title)}”"
        diff = difference(fact, notice_fact(notice), NOTICE_LABELS, keys=NOTICE_FIELDS)
        if diff:
            problems.append(f"{name}与第{event.seq}条记录不符({diff})")
        step = str(fact.get("step", ""))
        end = _left(events, event, step)
        if end is None:
            state, ended = str(NoticeState.RUNNING), None
        elif end.action in (EventAction.RETURN, EventAction.WITHDRAW):
            state, ended = str(NoticeState.CANCELLED), end.at
        else:
            state, ended = str(NoticeState.ENDED), end.at
        if str(notice.state) != state or (
                ended is None) != (notice.ended_at is None) or (
                ended is not None and not same_value(ended, notice.ended_at)):
            problems.append(f"{name}的状态与办理记录不符:记录为"
                            f"“{NOTICE_STATE_LABELS.get(state, state)}”"
                            f"{'(' + shown(ended) + ')' if ended else ''},现为"
                            f"“{NOTICE_STATE_LABELS.get(str(notice.state), notice.state)}”"
                            f"{'(' + shown(notice.ended_at) + ')' if notice.ended_at else ''}")
        span = [e for e in events if e.seq > event.seq and e.from_step == step
                and (end is None or e.seq <= end.seq)
                and e.action not in (EventAction.RETURN, EventAction.WITHDRAW)]
        problems += _posting_problems(name, notice, span)
        problems += _objection_problems(name, stored.objections.get(notice.pk, []), span)
    return problems


def _posting_problems(name: str, notice: PublicityNotice, span: Iterable[Any]) -> list[str]:
    location: Any = ""
    photo: int | None = None
    for event in span:
        data = _data(event)
        if "location" in data:
            location = data["location"]
        picture = data.get("photo")
        if isinstance(picture, Mapping) and picture.get("id"):
            photo = int(picture["id"])
    if (location or "") != (notice.location or ""):
        return [f"{name}的张贴地点与办理记录不符:记录为{shown(location)},"
                f"现为{shown(notice.location)}"]
    if photo != notice.photo_id:
        return [f"{name}的张贴照片与办理记录不符"]
    return []


def _objection_problems(name: str, rows: list[Objection], span: Iterable[Any]) -> list[str]:
    expected: list[dict[str, Any]] = []
    for event in span:
        data = _data(event)
        if event.action == RECORD_OBJECTION:
            expected.append({"content": data.get("content", ""),
                             "raised_by": data.get("raised_by", ""), "received_at": event.at,
                             "phone": data.get("phone", ""), "online": bool(data.get("online")),
                             "answer": "", "answered_at": None, "answered_by": None,
                             "seq": event.seq})
        elif event.action == ANSWER_OBJECTION:
            waiting = next((o for o in expected if o["answered_at"] is None), None)
            if waiting is not None:
                waiting.update(answer=data.get("answer", ""), answered_at=event.at,
                               answered_by=event.actor_id, answered_seq=event.seq)
    if len(expected) != len(rows):
        return [f"{name}的异议与办理记录不符:记录中{len(expected)}条,现有{len(rows)}条"]
    labels = {"content": "异议内容", "raised_by": "异议人", "received_at": "收到时间",
              "phone": "联系电话", "online": "网上提交",
              "answer": "答复", "answered_at": "答复时间", "answered_by": "答复人"}
    for want, row in zip(expected, rows, strict=True):
        have = {"content": row.content, "raised_by": row.raised_by, "phone": row.phone,
                "online": row.online,
                "received_at": row.received_at, "answer": row.answer,
                "answered_at": row.answered_at, "answered_by": row.answered_by_id}
        diff = difference(want, have, labels, keys=list(labels))
        if diff:
            return [f"{name}的异议与第{want['seq']}条记录不符({diff})"]
    return []


def meeting_problems(case: Any, events: Sequence[Any],
                     meetings: Iterable[MeetingRecord]) -> list[str]:
    """Each meeting record against its event: the fields of ``MeetingRecord`` the event
    knows (whatever fields the model has: its figures and roll from the meeting value,
    held_at from the value or else the event's time, body and result from the facts)."""
    by_pk = {e.pk: e for e in events}
    fields = [f for f in MeetingRecord._meta.concrete_fields if f.name not in _MEETING_OWN]
    labels = {f.name: str(f.verbose_name) for f in fields}
    labels["region"] = "所属村(社区)"
    problems: list[str] = []
    seen: set[int] = set()
    for record in meetings:
        event = by_pk.get(record.event_id)
        fact = _facts(event).get(MEETING) if event is not None else None
        if event is None or not isinstance(fact, Mapping):
            problems.append(f"会议记录“{record.body}”没有对应的办理记录")
            continue
        seen.add(event.pk)
        chained: dict[str, Any] = {"held_at": event.at, "step": event.from_step,
                                   "region": case.region_id}
        chained.update({k: v for k, v in fact.items() if k != "field"})
        figures = _data(event).get(str(fact.get("field", "")))
        if isinstance(figures, Mapping):
            chained.update(figures)
        have = {f.name: getattr(record, f.attname) for f in fields}
        diff = difference(chained, have, labels, keys=[f.name for f in fields])
        if diff:
            problems.append(f"会议记录“{record.body}”与第{event.seq}条记录不符({diff})")
    for event in events:
        if isinstance(_facts(event).get(MEETING), Mapping) and event.pk not in seen:
            problems.append(f"第{event.seq}条记录的会议记录已不存在")
    return problems


def attachment_problems(events: Sequence[Any], attachments: Iterable[Attachment]) -> list[str]:
    recorded: dict[tuple[int, str], tuple[Any, Mapping[str, Any]]] = {}
    for event in events:
        for entry in event.attachments or []:
            if isinstance(entry, Mapping):
                recorded[(event.pk, str(entry.get("field", "")))] = (event, entry)
    problems: list[str] = []
    seen: set[tuple[int, str]] = set()
    for att in attachments:
        key = (att.event_id or 0, att.field)
        if key not in recorded:
            problems.append(f"附件“{att.original_name}”没有对应的办理记录")
            continue
        seen.add(key)
        event, entry = recorded[key]
        if att.sha256 != entry.get("sha256") or att.original_name != entry.get("name"):
            problems.append(f"附件“{att.original_name}”与第{event.seq}条记录登记的文件不符")
    for key, (event, entry) in recorded.items():
        if key not in seen:
            problems.append(f"第{event.seq}条记录的附件“{entry.get('name', '')}”已不存在")
    return problems


def domain_problems(events: Sequence[Any], rows: Mapping[str, list[dict[str, Any]]]
                    ) -> list[str]:
    problems: list[str] = []
    for check in fact_checks():
        chained = [(e, f) for e in events if isinstance(f := _facts(e).get(check.name), Mapping)]
        have = rows.get(check.name, [])
        if len(chained) != len(have):
            problems.append(f"{check.label}与办理记录不符:记录中{len(chained)}条,"
                            f"现有{len(have)}条")
            continue
        labels = dict(check.labels)
        for (event, fact), row in zip(chained, have, strict=True):
            # in the domain's own order (a JSON column may keep the keys in another)
            diff = difference(fact, row, labels, keys=list(row))
            if diff:
                problems.append(f"{check.label}与第{event.seq}条记录不符({diff})")
    return problems


# --- files --------------------------------------------------------------------------------------


def rehash(att: Attachment) -> tuple[str, int] | None:
    """SHA-256 and size of the stored bytes; None when the file is gone."""
    digest = hashlib.sha256()
    size = 0
    try:
        with att.file.storage.open(att.file.name, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest(), size


def file_problem(att: Attachment) -> str | None:
    found = rehash(att)
    if found is None:
        return f"附件“{att.original_name}”的文件已不存在"
    sha, size = found
    if sha != att.sha256 or size != att.size:
        return (f"附件“{att.original_name}”的文件已被替换或改动"
                f"(SHA-256 应为 {att.sha256[:12]}…,现为 {sha[:12]}…)")
    return None


def file_problems(attachments: Iterable[Attachment]) -> list[str]:
    return [p for att in attachments if (p := file_problem(att))]


__all__ = ["CASE_FIELDS", "Stored", "attachment_problems", "case_row_problems",
           "domain_problems", "domain_rows", "file_problem", "file_problems", "load_stored",
           "meeting_problems", "notice_problems", "rehash", "stored_problems",
           "verify_case_events"]
