"""The one gate: every change to a case goes through these four functions.

``open_case``, ``perform_action``, ``return_to_step`` and ``withdraw`` lock the
case row, re-check its state after the lock, check scope, role, step and the
rules of the spec, write the chained event, move tasks and deadlines, and queue
notifications on commit. Views, the API, admin actions and Celery call them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, NotAllowed, OutOfScope, RuleError
from core.models import Region, User
from core.roles import ROLE_LEVEL, Level, Role
from core.scope import Held, can_see_case, get_scope, holds_role_over
from workflows import calendar as cal
from workflows import params as tenant_params
from workflows import tallies
from workflows.alerts import raise_alert
from workflows.attachments import generated_name
from workflows.audit import event_hash
from workflows.choices import (
    AlertKind,
    CaseState,
    DeadlineKind,
    EventAction,
    NoticeState,
    TaskState,
)
from workflows.effects import EffectContext
from workflows.fields import CleanData, clean_data, display_value, field_of
from workflows.models import (
    Attachment,
    Case,
    CaseEvent,
    Deadline,
    MeetingRecord,
    PublicityNotice,
    Task,
)
from workflows.registry import registry
from workflows.spec import ActionSpec, DueFrom, Kind, MeetingRule, ProcedureSpec, StepSpec, Unit

# --- where a step is done, and by whom ----------------------------------------------------


def acting_region(village: Region, level: Level | str) -> Region:
    """The region whose office-holders do a step of this level for a village's case."""
    if level == Level.VILLAGE:
        return village
    ids = village.ancestor_ids
    index = 1 if level == Level.TOWNSHIP else 0
    return Region.objects.get(pk=ids[index])


def _acting_region_id(village: Region, level: Level | str) -> int:
    ids = village.ancestor_ids
    return {Level.VILLAGE: ids[-1], Level.TOWNSHIP: ids[1], Level.DISTRICT: ids[0]}[Level(level)]


def step_roles_held(user: Any, spec: ProcedureSpec, step: StepSpec, village: Region) -> list[Held]:
    """The memberships by which ``user`` may act on ``step`` of a case in ``village``."""
    region_id = _acting_region_id(village, step.level)
    return [h for h in get_scope(user).held if h.region_id == region_id and h.role in step.roles]


def _done_by(case: Case, step_codes: tuple[str, ...]) -> set[int]:
    """Users who completed (moved the case out of) any of these steps."""
    if not step_codes:
        return set()
    return set(
        CaseEvent.objects.filter(case=case, from_step__in=step_codes)
        .exclude(action__in=[EventAction.RETURN, EventAction.WITHDRAW])
        .exclude(actor__isnull=True)
        .values_list("actor_id", flat=True)
    )


def separation_problem(user: Any, case: Case, step: StepSpec) -> str | None:
    rule = step.separation
    if rule is None:
        return None
    if rule.not_actor_of and user.pk in _done_by(case, rule.not_actor_of):
        return rule.reason or "同一人不能既办理前一环节又办理本环节。"
    if rule.not_roles:
        held = {h.role for h in get_scope(user).held if h.region_id == case.region_id}
        if held & set(rule.not_roles):
            return rule.reason or "您担任的职务不能办理本环节。"
    return None


@dataclass(frozen=True)
class Offer:
    """An action a user may take now (subject to data and time)."""

    action: ActionSpec
    role: Role


def available_actions(user: Any, case: Case) -> list[Offer]:
    """What the gate would accept from ``user`` now, apart from data and time rules."""
    if case.state != CaseState.OPEN:
        return []
    spec = registry.get(case.procedure)
    if spec is None or not spec.has_step(case.current_step):
        return []
    step = spec.step(case.current_step)
    held = step_roles_held(user, spec, step, case.region)
    if not held or separation_problem(user, case, step) is not None:
        return []
    role = held[0].role
    forward = [a for a in step.actions if a.kind == Kind.FORWARD]
    side = [a for a in step.actions if a.kind == Kind.SIDE]
    return [Offer(a, role) for a in forward + side]


def can_return(user: Any, case: Case) -> list[str]:
    spec = registry.get(case.procedure)
    if case.state != CaseState.OPEN or spec is None or not spec.has_step(case.current_step):
        return []
    step = spec.step(case.current_step)
    if not step.back_to or not step_roles_held(user, spec, step, case.region):
        return []
    return list(step.back_to)


def can_withdraw(user: Any, case: Case) -> bool:
    return case.state == CaseState.OPEN and case.opened_by_id == user.pk


# --- reading a case for a change -----------------------------------------------------------


def _load(user: Any, case_id: int) -> tuple[Case, ProcedureSpec]:
    try:
        case = Case.objects.select_related("region").get(pk=int(case_id))
    except (Case.DoesNotExist, TypeError, ValueError):
        raise OutOfScope from None
    if not can_see_case(user, region=case.region, procedure=case.procedure):
        from core.scope import case_q

        if not Case.objects.filter(case_q(user), pk=case.pk).exists():
            raise OutOfScope
    spec = registry.get(case.procedure)
    if spec is None:
        raise RuleError("unknown_procedure", "该事项的流程定义已不存在。")
    return case, spec


def _lock(case: Case) -> Case:
    """Lock the case row and re-read it; 409 if someone moved it meanwhile."""
    locked = Case.objects.select_for_update().select_related("region").get(pk=case.pk)
    if locked.state != case.state or locked.current_step != case.current_step:
        raise Conflict
    return locked


# --- writing ------------------------------------------------------------------------------


def _write_event(
    case: Case,
    *,
    actor: User | None,
    role: str,
    region: Region | None,
    action: str,
    action_name: str,
    from_step: str,
    to_step: str,
    data: dict[str, Any] | None = None,
    comment: str = "",
    attachments: list[dict[str, Any]] | None = None,
    at: dt.datetime | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        seq=case.event_count + 1,
        actor=actor,
        actor_name=actor.get_full_name() if actor else "系统",
        role=role,
        region=region,
        action=action,
        action_name=action_name,
        from_step=from_step,
        to_step=to_step,
        data=data or {},
        comment=comment,
        attachments=attachments or [],
        at=at or timezone.now(),
        prev_hash=case.last_hash,
    )
    event.hash = event_hash(event)
    event.save()
    case.event_count = event.seq
    case.last_hash = event.hash
    case.updated_at = event.at
    return event


def _close_open_task(case: Case, *, by: User | None, state: str = TaskState.DONE) -> None:
    now = timezone.now()
    open_ids = list(
        Task.objects.filter(case=case, state=TaskState.OPEN).values_list("pk", flat=True))
    if not open_ids:
        return
    Task.objects.filter(pk__in=open_ids).update(state=state, closed_at=now, closed_by=by)
    Deadline.objects.filter(task_id__in=open_ids, fired_at__isnull=True).update(cancelled=True)


def _add_period(start: dt.datetime, value: int | Fraction, unit: Unit) -> dt.datetime:
    n = int(value)
    if unit == Unit.MONTHS:
        return cal.add_months(start, n)
    if unit == Unit.WORKING_DAYS:
        return cal.window_end(start, n, working_days=True)
    return cal.add_days(start, n)


def _open_step(case: Case, spec: ProcedureSpec, step: StepSpec, *, now: dt.datetime) -> Task:
    values = tenant_params.effective_all(spec, case.region)
    region = acting_region(case.region, step.level)
    task = Task(case=case, step=step.code, roles=Task.pack_roles(step.roles), region=region,
                opened_at=now)
    deadlines: list[Deadline] = []
    if step.deadline:
        base = now if step.deadline.due_from == DueFrom.STEP_ENTERED else case.opened_at
        period = step.deadline.period
        task.due_at = _add_period(base, values[period.name], period.unit)
        for lead in sorted(set(step.deadline.remind_days), reverse=True):
            at = task.due_at - dt.timedelta(days=max(1, lead))
            if at > now:
                deadlines.append(Deadline(case=case, kind=DeadlineKind.REMINDER, due_at=at))
        deadlines.append(Deadline(case=case, kind=DeadlineKind.OVERDUE, due_at=task.due_at))
        if step.deadline.escalate:
            deadlines.append(Deadline(case=case, kind=DeadlineKind.ESCALATION,
                                      due_at=task.due_at))
        if step.deadline.hard_limit:
            hard = step.deadline.hard_limit
            task.hard_due_at = _add_period(base, values[hard.name], hard.unit)
            deadlines.append(Deadline(case=case, kind=DeadlineKind.HARD_LIMIT,
                                      due_at=task.hard_due_at))
    for rec in step.recurring:
        every = int(values[rec.every.name])
        deadlines.append(Deadline(case=case, kind=DeadlineKind.RECURRING,
                                  due_at=cal.add_months(now, every), message=rec.message,
                                  repeat_months=every))
    task.save()
    for deadline in deadlines:
        deadline.task = task
    if step.publicity:
        notice = _open_notice(case, spec, step, values, now=now)
        deadlines.append(Deadline(case=case, task=task, notice=notice,
                                  kind=DeadlineKind.WINDOW_END, due_at=notice.earliest_end))
    Deadline.objects.bulk_create(deadlines)
    return task


def _open_notice(case: Case, spec: ProcedureSpec, step: StepSpec,
                 values: Mapping[str, int | Fraction], *, now: dt.datetime) -> PublicityNotice:
    assert step.publicity is not None
    pub = step.publicity
    n = int(values[pub.days.name])
    lines = []
    for key in pub.content_fields:
        step_code, _, field_name = key.partition(".")
        text = display_value(field_of(spec, step_code, field_name),
                             case.data.get(step_code, {}).get(field_name))
        if text:
            lines.append(text)
    return PublicityNotice.objects.create(
        case=case,
        region=case.region,
        step=step.code,
        title=f"{pub.title}:{case.title}",
        content="\n".join(lines),
        start=now,
        earliest_end=cal.window_end(now, n, working_days=pub.working_days),
        days=n,
        working_days=pub.working_days,
    )


def _store_files(case: Case, clean: CleanData, actor: User) -> dict[str, Attachment]:
    stored: dict[str, Attachment] = {}
    for name, (upload, checked) in clean.files.items():
        att = Attachment(
            case=case, field=name, original_name=checked.original_name[:200], mime=checked.mime,
            size=checked.size, sha256=checked.sha256, uploaded_by=actor,
            storage_name=generated_name(checked.sha256, checked.extension),
        )
        upload.seek(0)
        att.file.save(att.storage_name, upload, save=False)
        att.save()
        stored[name] = att
    return stored


def _meeting_rule(action: ActionSpec, values: Mapping[str, Any]) -> MeetingRule | None:
    if action.meeting_by:
        field, rules = action.meeting_by
        return rules.get(str(values.get(field)))
    return action.meeting


def check_meeting(rule: MeetingRule, meeting: Mapping[str, int],
                  values: Mapping[str, int | Fraction]) -> tuple[bool, bool]:
    """(quorum met, passed) in integers against the roll; the numbers are never typed in."""
    due, present = meeting["due"], meeting["present"]
    quorum_ratio = Fraction(values.get(rule.quorum.ratio.name, rule.quorum.ratio.value))
    pass_ratio = Fraction(values.get(rule.pass_line.ratio.name, rule.pass_line.ratio.value))
    quorum = rule.quorum.met(present, due=due, present=present, ratio=quorum_ratio)
    passed = quorum and rule.pass_line.met(meeting["yes"], due=due, present=present,
                                           ratio=pass_ratio)
    return quorum, passed


def explain_meeting(rule: MeetingRule, meeting: Mapping[str, int],
                    values: Mapping[str, int | Fraction]) -> RuleError | None:
    quorum, passed = check_meeting(rule, meeting, values)
    q_ratio = Fraction(values.get(rule.quorum.ratio.name, rule.quorum.ratio.value))
    p_ratio = Fraction(values.get(rule.pass_line.ratio.name, rule.pass_line.ratio.value))
    if not quorum:
        return RuleError(
            "quorum_not_met",
            f"{rule.body}未达到法定人数:应到{meeting['due']}人,实到{meeting['present']}人,"
            f"须达到{rule.quorum.describe(q_ratio)}方可开会。",
            field=rule.field,
        )
    if not passed:
        return RuleError(
            "vote_failed",
            f"{rule.body}表决未通过:赞成{meeting['yes']}票,"
            f"须达到{rule.pass_line.describe(p_ratio)}。",
            field=rule.field,
        )
    return None


def _wait_until(case: Case, action: ActionSpec, values: Mapping[str, int | Fraction]
                ) -> dt.datetime | None:
    wait = action.wait
    if wait is None:
        return None
    since = (
        CaseEvent.objects.filter(case=case, from_step=wait.since_step)
        .exclude(action__in=[EventAction.RETURN, EventAction.WITHDRAW])
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    if since is None:
        return None
    if wait.since_field:
        raw = case.data.get(wait.since_step, {}).get(wait.since_field)
        day = dt.date.fromisoformat(raw) if isinstance(raw, str) and raw else None
        if day is not None:
            since = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    until = _add_period(since, values.get(wait.period.name, wait.period.value), wait.period.unit)
    if wait.extension:
        key, field = wait.extension
        extra = case.data.get(key, {}).get(field)
        if isinstance(extra, int) and extra > 0:
            until = cal.add_months(until, extra)
    return until


def _running_notice(case: Case, step: StepSpec) -> PublicityNotice | None:
    return (
        PublicityNotice.objects.filter(case=case, step=step.code, state=NoticeState.RUNNING)
        .order_by("-start")
        .first()
    )


# --- the four entry points ----------------------------------------------------------------


def open_case(*, actor: User, procedure: str, region: Region | int, title: str,
              role: str | None = None) -> Case:
    spec = registry.get(str(procedure))
    if spec is None:
        raise RuleError("unknown_procedure", f"没有编号为“{procedure}”的事项。", field="procedure")
    if not isinstance(region, Region):
        try:
            region = Region.objects.get(pk=int(region))
        except (Region.DoesNotExist, TypeError, ValueError):
            raise OutOfScope from None
    if not can_see_case(actor, region=region, procedure=spec.code):
        raise OutOfScope
    if region.level != Level.VILLAGE:
        raise RuleError("invalid_region", "事项只能在村(社区)发起,请选择村(社区)。",
                        field="region")
    title = (title or "").strip()
    if not title:
        raise RuleError("missing_field", "请填写标题。", field="title")
    if len(title) > 200:
        raise RuleError("invalid_field", "标题不能超过200个字。", field="title")
    first = spec.first_step
    held = step_roles_held(actor, spec, first, region)
    if not held:
        openers = [Role(r) for r in spec.openers]
        held = [h for r in openers if (h := holds_role_over(actor, r, region)) is not None]
    if role:
        held = [h for h in held if h.role == role]
    if not held:
        raise NotAllowed("您在该村(社区)没有发起此事项的职务。")
    chosen = held[0]
    with transaction.atomic():
        now = timezone.now()
        case = Case.objects.create(
            procedure=spec.code, version=spec.version, region=region, title=title,
            current_step=first.code, opened_by=actor, opened_at=now, updated_at=now,
        )
        _write_event(case, actor=actor, role=chosen.role, region=Region(pk=chosen.region_id),
                     action=EventAction.OPEN, action_name="发起", from_step="",
                     to_step=first.code, at=now)
        _open_step(case, spec, first, now=now)
        case.save(update_fields=["event_count", "last_hash", "updated_at"])
        tallies.opened(case)
        from workflows.notify import queue_task_notice

        queue_task_notice(case, first, exclude=actor)
    return case


def perform_action(
    *,
    actor: User,
    case_id: int,
    action: str,
    data: Mapping[str, Any] | None = None,
    comment: str = "",
    files: Mapping[str, UploadedFile] | None = None,
    role: str | None = None,
    expected_step: str | None = None,
) -> Case:
    case, spec = _load(actor, case_id)
    if case.state != CaseState.OPEN:
        raise RuleError("case_closed", "该事项已办结或已撤回,不能再办理。")
    if expected_step and expected_step != case.current_step:
        raise Conflict
    step = spec.step(case.current_step)
    act = step.action(str(action))
    if act is None:
        previous = (
            CaseEvent.objects.filter(case=case, to_step=case.current_step)
            .exclude(from_step=case.current_step)
            .order_by("-seq")
            .values_list("from_step", flat=True)
            .first()
        )
        if previous and spec.has_step(previous) and spec.step(previous).action(str(action)):
            raise Conflict
        raise RuleError("wrong_step", f"当前环节是“{step.name}”,不能执行“{action}”。")
    held = step_roles_held(actor, spec, step, case.region)
    if role:
        held = [h for h in held if h.role == role]
    if not held:
        actors = "、".join(str(Role(r).label) for r in step.roles)
        raise NotAllowed(f"“{step.name}”须由{actors}办理。")
    chosen = held[0]
    problem = separation_problem(actor, case, step)
    if problem:
        raise_alert(kind=AlertKind.SEPARATION_REFUSED, case=case, actor=actor,
                    message=f"{actor.get_full_name()}试图办理“{case.title}”的“{step.name}”,"
                            f"因不相容岗位分离被拒绝:{problem}",
                    key=f"sep:{case.pk}:{step.code}:{actor.pk}")
        raise RuleError("separation_of_duties", problem)
    values = tenant_params.effective_all(spec, case.region)
    now = timezone.now()
    if act.kind == Kind.FORWARD:
        not_before = _wait_until(case, act, values)
        if not_before is not None and now < not_before:
            assert act.wait is not None
            raise RuleError("too_early", f"{act.wait.reason},最早可于"
                            f"{timezone.localtime(not_before):%Y年%m月%d日}办理。",
                            not_before=not_before)
        if step.publicity:
            notice = _running_notice(case, step)
            if notice and now < notice.earliest_end:
                raise_alert(kind=AlertKind.PUBLICITY_CUT_SHORT, case=case, actor=actor,
                            message=f"{actor.get_full_name()}试图在公示期满前结束“{case.title}”"
                                    f"的公示(最早可于"
                                    f"{timezone.localtime(notice.earliest_end):%m月%d日%H:%M}结束)",
                            key=f"pub:{notice.pk}:{actor.pk}:{timezone.localdate()}")
                raise RuleError(
                    "publicity_open",
                    f"公示期未满:公示不少于{notice.days}"
                    f"{'个工作日' if notice.working_days else '天'},"
                    f"{timezone.localtime(notice.earliest_end):%Y年%m月%d日%H:%M}后方可进行下一步。",
                    not_before=notice.earliest_end,
                )
            if notice and notice.objections.filter(answered_at__isnull=True).exists():
                raise RuleError("objection_unanswered",
                                "公示期间收到的异议尚未答复,答复后方可进行下一步。")
    clean = clean_data(act, data, files, region=case.region)
    rule = _meeting_rule(act, clean.values)
    meeting = clean.values.get(rule.field) if rule else None
    if rule and meeting is not None:
        refusal = explain_meeting(rule, meeting, values)
        if refusal is not None:
            raise refusal
    comment = (comment or "").strip()[:2000]

    with transaction.atomic():
        case = _lock(case)
        stored = _store_files(case, clean, actor)
        target = _next_step(act, clean.values)
        to_step = step.code if act.kind == Kind.SIDE else (target or "")
        record = dict(clean.values)
        for name, att in stored.items():
            record[name] = {"sha256": att.sha256, "name": att.original_name, "id": att.pk}
        event = _write_event(
            case, actor=actor, role=chosen.role, region=Region(pk=chosen.region_id),
            action=act.code, action_name=act.name, from_step=step.code, to_step=to_step,
            data=record, comment=comment,
            attachments=[{"field": n, "sha256": a.sha256, "name": a.original_name}
                         for n, a in stored.items()],
            at=now,
        )
        Attachment.objects.filter(pk__in=[a.pk for a in stored.values()]).update(event=event)
        if rule and meeting is not None:
            quorum, passed = check_meeting(rule, meeting, values)
            MeetingRecord.objects.create(
                case=case, event=event, region=case.region, step=step.code, body=rule.body,
                held_at=now, quorum_met=quorum, passed=passed,
                **{k: meeting[k] for k in ("due", "present", "yes", "no", "abstain")},
            )
        _apply_side_records(case, step, act, clean.values, stored, actor, now)
        if act.kind == Kind.SIDE:
            case.data = {**case.data, f"{step.code}:{act.code}": record}
        if act.kind == Kind.FORWARD:
            case.data = {**case.data, step.code: record}
            notice = _running_notice(case, step) if step.publicity else None
            if notice:
                notice.state = NoticeState.ENDED
                notice.ended_at = now
                notice.save(update_fields=["state", "ended_at"])
            _close_open_task(case, by=actor)
            if target is None:
                case.state = CaseState.CLOSED
                case.current_step = ""
                case.closed_at = now
                case.outcome = act.outcome or act.name
                tallies.finished(case)
            else:
                case.current_step = target
                _open_step(case, spec, spec.step(target), now=now)
        case.save()
        ctx = EffectContext(case=case, event=event, step=step, action=act, actor=actor,
                            role=chosen.role, acting_region=acting_region(case.region, step.level),
                            data=clean.values, attachments=stored)
        for effect in act.effects:
            effect(ctx)
        from workflows.notify import queue_closed_notice, queue_task_notice

        if act.kind == Kind.FORWARD:
            if target is None:
                queue_closed_notice(case, exclude=actor)
            else:
                queue_task_notice(case, spec.step(target), exclude=actor)
    return case


def _next_step(act: ActionSpec, values: Mapping[str, Any]) -> str | None:
    if act.route_by:
        field, routes = act.route_by
        return routes.get(str(values.get(field)), act.to)
    return act.to


def _apply_side_records(case: Case, step: StepSpec, act: ActionSpec, values: Mapping[str, Any],
                        stored: Mapping[str, Attachment], actor: User, now: dt.datetime) -> None:
    """Built-in side actions of a publicity step: where posted, objections, answers."""
    if not step.publicity:
        return
    notice = _running_notice(case, step)
    if notice is None:
        return
    if "location" in values or "photo" in stored:
        notice.location = values.get("location", notice.location)
        if "photo" in stored:
            notice.photo = stored["photo"]
        notice.save(update_fields=["location", "photo"])
    if act.code == "record_objection":
        notice.objections.create(content=values.get("content", ""),
                                 raised_by=values.get("raised_by", ""), received_at=now)
    if act.code == "answer_objection":
        pending = notice.objections.filter(answered_at__isnull=True).order_by("received_at")
        objection = pending.first()
        if objection is None:
            raise RuleError("no_objection", "没有待答复的异议。")
        objection.answer = values.get("answer", "")
        objection.answered_at = now
        objection.answered_by = actor
        objection.save(update_fields=["answer", "answered_at", "answered_by"])


def return_to_step(*, actor: User, case_id: int, step: str, reason: str,
                   expected_step: str | None = None) -> Case:
    case, spec = _load(actor, case_id)
    if case.state != CaseState.OPEN:
        raise RuleError("case_closed", "该事项已办结或已撤回,不能退回。")
    if expected_step and expected_step != case.current_step:
        raise Conflict
    current = spec.step(case.current_step)
    held = step_roles_held(actor, spec, current, case.region)
    if not held:
        raise NotAllowed("只有本环节的办理人可以退回。")
    if step not in current.back_to:
        raise RuleError("wrong_step", f"“{current.name}”不能退回到该环节。", field="step")
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("missing_field", "退回须说明理由。", field="reason")
    now = timezone.now()
    with transaction.atomic():
        case = _lock(case)
        _write_event(case, actor=actor, role=held[0].role, region=Region(pk=held[0].region_id),
                     action=EventAction.RETURN, action_name="退回", from_step=current.code,
                     to_step=step, comment=reason[:2000], at=now)
        notice = _running_notice(case, current) if current.publicity else None
        if notice:
            notice.state = NoticeState.CANCELLED
            notice.ended_at = now
            notice.save(update_fields=["state", "ended_at"])
        _close_open_task(case, by=actor, state=TaskState.CANCELLED)
        case.current_step = step
        _open_step(case, spec, spec.step(step), now=now)
        case.save()
        from workflows.notify import queue_task_notice

        queue_task_notice(case, spec.step(step), exclude=actor, returned_reason=reason)
    return case


def withdraw(*, actor: User, case_id: int, reason: str) -> Case:
    case, _spec = _load(actor, case_id)
    if case.state != CaseState.OPEN:
        raise RuleError("case_closed", "该事项已办结或已撤回。")
    if case.opened_by_id != actor.pk:
        raise NotAllowed("只有发起人可以撤回。")
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("missing_field", "撤回须说明理由。", field="reason")
    now = timezone.now()
    with transaction.atomic():
        case = _lock(case)
        role = next((h.role for h in get_scope(actor).held
                     if case.region.path.startswith(h.region_path)), "")
        _write_event(case, actor=actor, role=role, region=case.region,
                     action=EventAction.WITHDRAW, action_name="撤回",
                     from_step=case.current_step, to_step="", comment=reason[:2000], at=now)
        running = PublicityNotice.objects.filter(case=case, state=NoticeState.RUNNING)
        running.update(state=NoticeState.CANCELLED, ended_at=now)
        _close_open_task(case, by=actor, state=TaskState.CANCELLED)
        case.state = CaseState.WITHDRAWN
        case.current_step = ""
        case.closed_at = now
        case.outcome = "已撤回"
        case.save()
        tallies.finished(case)
    return case


__all__ = [
    "ROLE_LEVEL",
    "Offer",
    "acting_region",
    "available_actions",
    "can_return",
    "can_withdraw",
    "open_case",
    "perform_action",
    "return_to_step",
    "withdraw",
]
