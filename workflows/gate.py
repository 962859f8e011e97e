"""The one gate: every change to a case goes through these functions.

``open_case``, ``perform_action``, ``return_to_step`` and ``withdraw`` (and
``dispatch``, which chooses among the last three by the action's code) check
scope, role, step and the rules of the spec; lock the case row and re-read it
(409 when anything happened to the case in between, side actions included); run
the effects' checks; only then store files, write the chained event, move tasks
and deadlines, apply the effects and queue notifications on commit. A refusal at
any point changes nothing: the transaction rolls back and a file stored for the
action is removed. Views, the API, admin actions and Celery call these.

A case is driven by the spec of the version it was opened under (``Case.spec``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from core import dates
from core.errors import AlreadyNudged, Conflict, NotAllowed, OutOfScope, RuleError
from core.models import Region, User
from core.roles import Level, Role
from core.scope import Held, get_scope
from workflows import calendar as cal
from workflows import facts as chain_facts
from workflows import history, tallies, texts
from workflows import params as tenant_params
from workflows.acting import (
    acting_region,
    opening_roles_held,
    separation_problem,
    step_roles_held,
)
from workflows.alerts import raise_alert
from workflows.attachments import generated_name
from workflows.audit import event_hash, same
from workflows.choices import (
    AlertKind,
    CaseState,
    DeadlineKind,
    EventAction,
    NoticeState,
    TaskState,
)
from workflows.effects import EffectContext
from workflows.fields import (
    CleanData,
    clean_data,
    display_value,
    field_of,
    typed_meeting,
    with_recorded_choices,
)
from workflows.meetings import check_meeting, explain_meeting, meeting_result, meeting_rule
from workflows.messages import Text, spec_text, translate
from workflows.models import (
    Attachment,
    Case,
    CaseEvent,
    Deadline,
    MeetingRecord,
    Objection,
    PublicityNotice,
    Task,
)
from workflows.notify import (
    close_task_notices,
    queue_closed_notice,
    queue_nudge_notice,
    queue_objection_notice,
    queue_task_notice,
    task_holders,
)
from workflows.registry import registry
from workflows.spec import (
    ActionSpec,
    DueFrom,
    Kind,
    MeetingRule,
    ProcedureSpec,
    StepSpec,
    Unit,
)
from workflows.visibility import (
    SUPERVISORY_COMMITTEE,
    accepts_objections,
    can_see_case,
    holds_task,
    may_see,
    nudging_role,
)

logger = logging.getLogger(__name__)

# the engine's own actions, beside those a step declares
RETURN = str(EventAction.RETURN)
WITHDRAW = str(EventAction.WITHDRAW)
# the built-in side action of a publicity step that records an objection
RECORD_OBJECTION = "record_objection"
NUDGE = str(EventAction.NUDGE)

# --- reading a case for a change -----------------------------------------------------------


def _load(user: Any, case_id: int) -> tuple[Case, ProcedureSpec]:
    """The case and the spec of its own version; 404 when unseen, refusal when unknown."""
    try:
        case = Case.objects.select_related("region").get(pk=int(case_id))
    except (Case.DoesNotExist, TypeError, ValueError):
        raise OutOfScope from None
    if not may_see(user, case):
        raise OutOfScope
    spec = case.spec
    if spec is None:
        raise RuleError("unknown_procedure",
                        _("该事项开办时的流程(第%(version)s版)已不在系统中,请联系管理员。")
                        % {"version": case.version})
    return case, spec


def _lock(case: Case) -> Case:
    """Lock the case row and re-read it: 409 when anything was recorded on it since it was
    read (any action, side actions included), so every check made before holds."""
    locked = Case.objects.select_for_update().select_related("region").get(pk=case.pk)
    if (locked.event_count != case.event_count or locked.state != case.state
            or locked.current_step != case.current_step):
        raise Conflict
    return locked


def _require_open(case: Case, what: str, expected_step: str | None) -> None:
    """``what``: the refusal's whole sentence for a closed case, already translated."""
    if case.state == CaseState.OPEN:
        if expected_step and expected_step != case.current_step:
            raise Conflict
        return
    if expected_step:  # the client acted on a step that someone else has just closed
        raise Conflict(_("该事项已办结或已撤回(他人已办理),请刷新后查看。"))
    raise RuleError("case_closed", what)


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
    facts: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> CaseEvent:
    """The next event of the case, chained and signed (``workflows.audit``): written after
    everything it derives (the window it opened, the meeting's result, the effects'
    facts) is known, so that its hash covers them."""
    event = CaseEvent(
        case=case,
        village_id=case.region_id,
        seq=case.event_count + 1,
        actor=actor,
        actor_name=actor_name or (actor.get_full_name() if actor else "系统"),
        role=role,
        region=region,
        action=action,
        action_name=action_name,
        from_step=from_step,
        to_step=to_step,
        data=data or {},
        comment=comment,
        attachments=attachments or [],
        facts=chain_facts.jsonable(facts or {}),
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
    closing = list(
        Task.objects.filter(case=case, state=TaskState.OPEN).values_list("pk", "due_at"))
    if not closing:
        return
    open_ids = [pk for pk, _due in closing]
    if state == TaskState.DONE:
        tallies.steps_done(case, closing, now)
    Task.objects.filter(pk__in=open_ids).update(state=state, closed_at=now, closed_by=by)
    Deadline.objects.filter(task_id__in=open_ids, fired_at__isnull=True).update(cancelled=True)
    reminders = Deadline.objects.filter(
        task_id__in=open_ids, kind__in=(DeadlineKind.REMINDER, DeadlineKind.OVERDUE),
        fired_at__isnull=False).values_list("pk", flat=True)
    close_task_notices(case, list(reminders), at=now)


def add_period(start: dt.datetime, value: int | Fraction, unit: Unit) -> dt.datetime:
    """``start`` plus a period of a rule, in its unit (working days skip holidays)."""
    n = int(value)
    if unit == Unit.MONTHS:
        return cal.add_months(start, n)
    if unit == Unit.WORKING_DAYS:
        return cal.window_end(start, n, working_days=True)
    return cal.add_days(start, n)


def _open_step(case: Case, spec: ProcedureSpec, step: StepSpec, *, now: dt.datetime,
               facts: dict[str, Any], notice_content: str | None = None) -> Task:
    """The step's task, deadlines and notice; the window opened goes into ``facts`` (the
    event that opens the step is written after, and its hash covers it)."""
    values = tenant_params.effective_all(spec, case.region)
    region = acting_region(case.region, step.level)
    task = Task(case=case, step=step.code, roles=Task.pack_roles(step.roles), region=region,
                village_id=case.region_id, procedure=case.procedure, opened_at=now)
    deadlines: list[Deadline] = []
    if step.deadline:
        base = now if step.deadline.due_from == DueFrom.STEP_ENTERED else case.opened_at
        period = step.deadline.period
        task.due_at = add_period(base, values[period.name], period.unit)
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
            task.hard_due_at = add_period(base, values[hard.name], hard.unit)
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
        notice = _open_notice(case, spec, step, values, now=now, content=notice_content)
        facts[chain_facts.NOTICE] = chain_facts.notice_fact(notice)
        deadlines.append(Deadline(case=case, task=task, notice=notice,
                                  kind=DeadlineKind.WINDOW_END, due_at=notice.earliest_end))
    Deadline.objects.bulk_create(deadlines)
    return task


def _open_notice(case: Case, spec: ProcedureSpec, step: StepSpec,
                 values: Mapping[str, int | Fraction], *, now: dt.datetime,
                 content: str | None = None) -> PublicityNotice:
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
        procedure=case.procedure,
        step=step.code,
        title=f"{pub.title}:{case.title}",
        content="\n".join(lines) if content is None else content,
        start=now,
        earliest_end=cal.window_end(now, n, working_days=pub.working_days),
        days=n,
        working_days=pub.working_days,
    )


def _store_files(case: Case, clean: CleanData, actor: User,
                 stored: dict[str, Attachment]) -> None:
    """Store the checked uploads; ``stored`` is filled as they go, for clean-up on failure."""
    for name, (upload, checked) in clean.files.items():
        att = Attachment(
            case=case, field=name, original_name=checked.original_name[:200], mime=checked.mime,
            size=checked.size, sha256=checked.sha256, uploaded_by=actor,
            storage_name=generated_name(checked.sha256, checked.extension),
        )
        upload.seek(0)
        att.file.save(att.storage_name, upload, save=False)
        stored[name] = att
        att.save()


def _remove_files(stored: Mapping[str, Attachment]) -> None:
    """Delete the files of an action that did not happen (its rows are rolled back)."""
    for att in stored.values():
        try:
            att.file.storage.delete(att.file.name)
        except OSError:  # never hide the refusal behind a clean-up error
            logger.exception("could not remove the file %s of a refused action", att.file.name)


def _wait_until(case: Case, spec: ProcedureSpec, action: ActionSpec,
                values: Mapping[str, int | Fraction]) -> dt.datetime | None:
    wait = action.wait
    if wait is None:
        return None
    since = history.done_at(case, wait.since_step)
    if since is None:
        return None
    if wait.since_field:
        day = history.step_values(spec, case, wait.since_step).get(wait.since_field)
        if isinstance(day, Mapping):  # a meeting: the day it was held
            day = day.get("held_on")
        if isinstance(day, dt.date):
            since = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    until = add_period(since, values.get(wait.period.name, wait.period.value), wait.period.unit)
    if wait.extension:
        extra = case.data.get(wait.extension.key, {}).get(wait.extension.field)
        if isinstance(extra, int) and extra > 0:
            until = cal.add_months(until, extra)
    return until


def _running_notice(case: Case, step: StepSpec) -> PublicityNotice | None:
    return (
        PublicityNotice.objects.filter(case=case, step=step.code, state=NoticeState.RUNNING)
        .order_by("-start")
        .first()
    )


# --- the checks made before the lock (their reads are held by the lock's re-read) -----------


def _choose_action(case: Case, spec: ProcedureSpec, action: str) -> tuple[StepSpec, ActionSpec]:
    step = spec.step(case.current_step)
    act = step.action(str(action))
    if act is not None:
        return step, act
    previous = (
        CaseEvent.objects.filter(case=case, to_step=case.current_step)
        .exclude(from_step=case.current_step)
        .order_by("-seq")
        .values_list("from_step", flat=True)
        .first()
    )
    if previous and spec.has_step(previous) and spec.step(previous).action(str(action)):
        raise Conflict  # the action of the step someone else has just completed
    raise RuleError("wrong_step", _("当前环节是“%(step)s”,不能执行“%(action)s”。")
                    % {"step": texts.translate(step.name), "action": action})


def _actor_role(actor: User, case: Case, step: StepSpec, role: str | None) -> Held:
    held = step_roles_held(actor, step, case.region)
    if role:
        held = [h for h in held if h.role == role]
    if not held:
        actors = pgettext("list separator", "、").join(str(Role(r).label) for r in step.roles)
        raise NotAllowed(_("“%(step)s”须由%(actors)s办理。")
                         % {"step": texts.translate(step.name), "actors": actors})
    problem = separation_problem(actor, case, step)
    if problem:
        raise_alert(kind=AlertKind.SEPARATION_REFUSED, case=case, actor=actor,
                    message=Text(gettext_noop("{actor}试图办理“{title}”的“{step}”,"
                                              "因不相容岗位分离被拒绝:{problem}"),
                                 actor=actor.get_full_name(), title=case.title,
                                 step=spec_text(step.name), problem=spec_text(problem)),
                    key=f"sep:{case.pk}:{step.code}:{actor.pk}")
        raise RuleError("separation_of_duties", translate(problem))
    return held[0]


def _check_time(actor: User, case: Case, spec: ProcedureSpec, step: StepSpec,
                act: ActionSpec, values: Mapping[str, int | Fraction],
                now: dt.datetime) -> None:
    """Minimum waits, publicity windows and unanswered objections of a way forward."""
    if act.kind != Kind.FORWARD:
        return
    not_before = _wait_until(case, spec, act, values)
    if not_before is not None and now < not_before:
        assert act.wait is not None
        raise RuleError("too_early", _("%(reason)s,最早可于%(day)s办理。") % {
            "reason": texts.translate(act.wait.reason),
            "day": dates.local_day(timezone.localtime(not_before).date())},
            not_before=not_before)
    if not step.publicity:
        return
    notice = _running_notice(case, step)
    if notice is None:
        return
    _check_notice_record(actor, case, notice)
    if now < notice.earliest_end:
        raise_alert(kind=AlertKind.PUBLICITY_CUT_SHORT, case=case, actor=actor,
                    message=Text(gettext_noop("{actor}试图在公示期满前结束“{title}”的公示"
                                              "(最早可于{earliest}结束)"),
                                 actor=actor.get_full_name(), title=case.title,
                                 earliest=notice.earliest_end),
                    key=f"pub:{notice.pk}:{actor.pk}:{timezone.localdate()}")
        raise RuleError(
            "publicity_open",
            (ngettext("公示期未满:公示不少于%(days)s个工作日,%(end)s后方可进行下一步。",
                      "公示期未满:公示不少于%(days)s个工作日,%(end)s后方可进行下一步。",
                      notice.days) if notice.working_days else
             ngettext("公示期未满:公示不少于%(days)s天,%(end)s后方可进行下一步。",
                      "公示期未满:公示不少于%(days)s天,%(end)s后方可进行下一步。", notice.days))
            % {"days": notice.days, "end": dates.local_moment(notice.earliest_end)},
            not_before=notice.earliest_end,
        )
    if notice.objections.filter(answered_at__isnull=True).exists():
        raise RuleError("objection_unanswered",
                        _("公示期间收到的异议尚未答复,答复后方可进行下一步。"))


def _check_notice_record(actor: User, case: Case, notice: PublicityNotice) -> None:
    """The running window is the one its event recorded (``facts.notice``, under the
    event's hash): a window changed behind the portal's back — cut short in the database
    — cannot let a case go on early; the supervisors are alerted."""
    event = (CaseEvent.objects.filter(case=case, at=notice.start,
                                      facts__has_key=chain_facts.NOTICE)
             .order_by("-seq").first())
    fact = event.facts.get(chain_facts.NOTICE) if event is not None else None
    if event is not None and isinstance(fact, Mapping) and same(event_hash(event), event.hash):
        later = [e for e in CaseEvent.objects.filter(
            case=case, seq__gt=event.seq, facts__has_key=chain_facts.EXTENDED).order_by("seq")
            if same(event_hash(e), e.hash)]
        fact = chain_facts.window_in_force(fact, event.seq, later)
        if not chain_facts.difference(fact, chain_facts.notice_fact(notice), {}):
            return
    raise_alert(kind=AlertKind.RECORD_ALTERED, case=case, actor=actor,
                message=Text(gettext_noop("“{title}”的公示“{notice}”与办理记录不符(公示期可能在"
                                          "系统之外被改动),{actor}的下一步办理已被拒绝"),
                             title=case.title, notice=notice.title,
                             actor=actor.get_full_name()),
                key=f"notice:{notice.pk}")
    raise RuleError("record_altered",
                    _("公示记录与办理记录不符(公示期可能在系统之外被改动),不能进行下一步;"
                      "已向村务监督委员会和乡镇(街道)纪委预警,请联系管理员核查。"))


def extend_running_notices(*, reason: str, now: dt.datetime | None = None) -> int:
    """Move the earliest end of every running working-day notice later where the holiday
    table now makes its window end later (a holiday entered after it was posted); never
    earlier (a make-up working day entered afterwards does not cut a posted window). Each
    move is an event of its case (公示期顺延, by the system), chained like any other, so the
    record says when and why the window grew. Returns how many notices moved."""
    moved = 0
    running = PublicityNotice.objects.filter(state=NoticeState.RUNNING, working_days=True)
    check = cal.WorkingDays()  # the holiday table read once per year for all the notices
    for notice in running.order_by("pk"):
        end = cal.window_end(notice.start, notice.days, working_days=True, check=check)
        if end <= notice.earliest_end:
            continue
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=notice.case_id)
            current = PublicityNotice.objects.select_for_update().get(pk=notice.pk)
            if current.state != NoticeState.RUNNING or end <= current.earliest_end:
                continue
            opening = (CaseEvent.objects.filter(case=case, at=current.start,
                                                facts__has_key=chain_facts.NOTICE)
                       .order_by("-seq").first())
            if opening is None:
                continue
            _write_event(
                case, actor=None, role="", region=None, action=EventAction.NOTICE_EXTENDED,
                action_name=str(EventAction.NOTICE_EXTENDED.label),
                from_step=case.current_step, to_step=case.current_step,
                comment=f"{reason}:公示“{current.title}”最早结束时间由"
                        f"{dates.moment_text(current.earliest_end)}顺延至"
                        f"{dates.moment_text(end)}。",
                at=now, facts={chain_facts.EXTENDED: chain_facts.notice_extended(
                    opened_seq=opening.seq, earliest_end=end, was=current.earliest_end,
                    reason=reason)})
            case.save(update_fields=["event_count", "last_hash", "updated_at"])
            current.earliest_end = end
            current.save(update_fields=["earliest_end"])
            moved += 1
    return moved


def _check_publicity_side(case: Case, step: StepSpec, act: ActionSpec) -> None:
    """The built-in side actions of a publicity step need a running notice (and an
    objection to answer)."""
    if not step.publicity or act.kind != Kind.SIDE:
        return
    notice = _running_notice(case, step)
    if act.code == "answer_objection" and (
            notice is None or not notice.objections.filter(answered_at__isnull=True).exists()):
        raise RuleError("no_objection", _("没有待答复的异议。"))


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
        objection = (notice.objections.filter(answered_at__isnull=True)
                     .order_by("received_at").first())
        assert objection is not None  # checked before anything was written
        objection.answer = values.get("answer", "")
        objection.answered_at = now
        objection.answered_by = actor
        objection.save(update_fields=["answer", "answered_at", "answered_by"])


def _record_meeting(case: Case, event: CaseEvent, step: StepSpec, rule: MeetingRule,
                    meeting: Mapping[str, Any], values: Mapping[str, int | Fraction]) -> None:
    """The meeting's row, copied from what the event recorded: the day it was held, the
    roll computed for that day, who attended, the votes and the verdict."""
    quorum, passed = check_meeting(rule, meeting, values)
    held = typed_meeting(meeting)["held_at"]
    timed = isinstance(held, dt.datetime)
    roll: Mapping[str, Any] = meeting["roll"] if isinstance(meeting.get("roll"), Mapping) else {}
    MeetingRecord.objects.create(
        case=case, event=event, region=case.region, step=step.code, body=rule.body,
        held_at=held if timed else dates.start_of(held), held_time=timed,
        quorum_met=quorum, passed=passed, due=meeting["due"], present=meeting["present"],
        **{k: int(meeting.get(k, 0)) for k in ("yes", "no", "abstain")},
        roll_code=str(roll.get("code", "")), roll_source=str(roll.get("source", ""))[:300],
        roll_members=list(roll.get("members") or []),
        non_voting=list(roll.get("non_voting") or []),
        attendees=list(meeting.get("attendees") or []),
    )


def _step_opened_at(case: Case, step: StepSpec) -> dt.datetime | None:
    """When the step's open task was opened: a meeting held at it is not earlier."""
    return (Task.objects.filter(case=case, step=step.code, state=TaskState.OPEN)
            .order_by("-opened_at").values_list("opened_at", flat=True).first())


def _effect_facts(ctx: EffectContext) -> dict[str, Any]:
    """What the effects' checks derived for the event: each under a registered fact check
    (``workflows.facts``), so that verify_audit compares its stored row with it."""
    for name in ctx.facts:
        if chain_facts.fact_check(name) is None:
            raise ValueError(f"effect fact {name!r}: no FactCheck of that name is registered")
    return dict(ctx.facts)


# --- the entry points -----------------------------------------------------------------------


def open_case(*, actor: User, procedure: str, region: Region | int, title: str,
              role: str | None = None) -> Case:
    spec = registry.get(str(procedure))
    if spec is None:
        raise RuleError("unknown_procedure", _("没有编号为“%(code)s”的事项。")
                        % {"code": procedure}, field="procedure")
    if not isinstance(region, Region):
        try:
            region = Region.objects.get(pk=int(region))
        except (Region.DoesNotExist, TypeError, ValueError):
            raise OutOfScope from None
    if not can_see_case(actor, region=region, procedure=spec.code):
        raise OutOfScope
    if region.level != Level.VILLAGE:
        raise RuleError("invalid_region", _("事项只能在村(社区)发起,请选择村(社区)。"),
                        field="region")
    title = (title or "").strip()
    if not title:
        raise RuleError("missing_field", _("请填写标题。"), field="title")
    if len(title) > 200:
        raise RuleError("invalid_field", _("标题不能超过%(n)s个字。") % {"n": 200}, field="title")
    first = spec.first_step
    held = opening_roles_held(actor, spec, region)
    if role:
        held = [h for h in held if h.role == role]
    if not held:
        raise NotAllowed(_("您在该村(社区)没有发起此事项的职务。"))
    chosen = held[0]
    with transaction.atomic():
        now = timezone.now()
        case = Case.objects.create(
            procedure=spec.code, version=spec.version, region=region, title=title,
            current_step=first.code, opened_by=actor, opened_at=now, updated_at=now,
        )
        facts: dict[str, Any] = {chain_facts.CASE: chain_facts.case_opened(
            procedure=case.procedure, version=case.version, region=region.pk, title=title)}
        _open_step(case, spec, first, now=now, facts=facts)
        _write_event(case, actor=actor, role=chosen.role, region=Region(pk=chosen.region_id),
                     action=EventAction.OPEN, action_name="发起", from_step="",
                     to_step=first.code, at=now, facts=facts)
        case.save(update_fields=["event_count", "last_hash", "updated_at"])
        tallies.opened(case)
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
    _require_open(case, _("该事项已办结或已撤回,不能再办理。"), expected_step)
    step, act = _choose_action(case, spec, action)
    chosen = _actor_role(actor, case, step, role)
    values = tenant_params.effective_all(spec, case.region)
    now = timezone.now()
    _check_time(actor, case, spec, step, act, values, now)
    _check_publicity_side(case, step, act)
    clean = clean_data(with_recorded_choices(act, case.data), data, files, region=case.region,
                       opened_at=_step_opened_at(case, step), params=values)
    rule = meeting_rule(act, clean.values)
    meeting = clean.values.get(rule.field) if rule else None
    if rule and meeting is not None:
        refusal = explain_meeting(rule, meeting, values)
        if refusal is not None:
            raise refusal
        meeting["result"] = meeting_result(rule, meeting, values)
    comment = (comment or "").strip()[:2000]

    stored: dict[str, Attachment] = {}
    ctx: EffectContext | None = None
    try:
        with transaction.atomic():
            case = _lock(case)
            ctx = EffectContext(
                case=case, spec=spec, step=step, action=act, actor=actor, role=chosen.role,
                acting_region=acting_region(case.region, step.level), now=now,
                data=clean.typed, raw=clean.values, params=values, uploads=dict(clean.files))
            for eff in act.effects:
                if eff.check is not None:
                    eff.check(ctx)
            facts = _effect_facts(ctx)
            _store_files(case, clean, actor, stored)
            target = act.next_step(clean.values) if act.kind == Kind.FORWARD else None
            to_step = step.code if act.kind == Kind.SIDE else (target or "")
            record = dict(clean.values)
            for name, att in stored.items():
                record[name] = {"sha256": att.sha256, "name": att.original_name, "id": att.pk}
            if rule and meeting is not None:
                quorum, passed = check_meeting(rule, meeting, values)
                facts[chain_facts.MEETING] = chain_facts.meeting_fact(
                    field=rule.field, body=rule.body, quorum_met=quorum, passed=passed)
            _apply_side_records(case, step, act, clean.values, stored, actor, now)
            if act.kind == Kind.SIDE:
                case.data = {**case.data, f"{step.code}:{act.code}": record}
            else:
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
                    facts[chain_facts.CLOSED] = chain_facts.case_closed(
                        state=case.state, outcome=case.outcome)
                    tallies.finished(case)
                else:
                    case.current_step = target
                    _open_step(case, spec, spec.step(target), now=now, facts=facts,
                               notice_content=ctx.notice_content)
            # written last: its hash covers the window it opened, the meeting's result and
            # the effects' facts, all known by now
            event = _write_event(
                case, actor=actor, role=chosen.role, region=Region(pk=chosen.region_id),
                action=act.code, action_name=act.name, from_step=step.code, to_step=to_step,
                data=record, comment=comment,
                attachments=[{"field": n, "sha256": a.sha256, "name": a.original_name}
                             for n, a in stored.items()],
                at=now, facts=facts,
            )
            Attachment.objects.filter(pk__in=[a.pk for a in stored.values()]).update(
                event=event)
            if rule and meeting is not None:
                _record_meeting(case, event, step, rule, meeting, values)
            case.save()
            ctx.event = event
            ctx.attachments = stored
            for eff in act.effects:
                if eff.apply is not None:
                    eff.apply(ctx)
            if act.kind == Kind.FORWARD:
                if target is None:
                    queue_closed_notice(case, exclude=actor)
                else:
                    queue_task_notice(case, spec.step(target), exclude=actor)
    except IntegrityError:
        # a unique row (a register's number, a version) was taken by another action that
        # committed first: the same as losing the race on the case row
        _remove_files(stored)
        raise Conflict from None
    except BaseException as refused:
        _remove_files(stored)
        if isinstance(refused, RuleError) and ctx is not None:
            for alert in ctx.refusal_alerts:  # after the rollback: they stay
                raise_alert(**alert)
        raise
    return case


def return_to_step(*, actor: User, case_id: int, step: str, reason: str,
                   expected_step: str | None = None) -> Case:
    case, spec = _load(actor, case_id)
    _require_open(case, _("该事项已办结或已撤回,不能退回。"), expected_step)
    current = spec.step(case.current_step)
    held = step_roles_held(actor, current, case.region)
    if not held:
        raise NotAllowed(_("只有本环节的办理人可以退回。"))
    if step not in current.back_to:
        raise RuleError("wrong_step", _("“%(step)s”不能退回到该环节。")
                        % {"step": texts.translate(current.name)}, field="step")
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("missing_field", _("退回须说明理由。"), field="reason")
    now = timezone.now()
    with transaction.atomic():
        case = _lock(case)
        notice = _running_notice(case, current) if current.publicity else None
        if notice:
            notice.state = NoticeState.CANCELLED
            notice.ended_at = now
            notice.save(update_fields=["state", "ended_at"])
        _close_open_task(case, by=actor, state=TaskState.CANCELLED)
        case.current_step = step
        facts: dict[str, Any] = {}
        _open_step(case, spec, spec.step(step), now=now, facts=facts)
        _write_event(case, actor=actor, role=held[0].role, region=Region(pk=held[0].region_id),
                     action=EventAction.RETURN, action_name="退回", from_step=current.code,
                     to_step=step, comment=reason[:2000], at=now, facts=facts)
        case.save()
        queue_task_notice(case, spec.step(step), exclude=actor, returned_reason=reason)
    return case


def withdraw(*, actor: User, case_id: int, reason: str,
             expected_step: str | None = None) -> Case:
    case, _spec = _load(actor, case_id)
    _require_open(case, _("该事项已办结或已撤回,不能撤回。"), expected_step)
    if case.opened_by_id != actor.pk:
        raise NotAllowed(_("只有发起人可以撤回。"))
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("missing_field", _("撤回须说明理由。"), field="reason")
    now = timezone.now()
    with transaction.atomic():
        case = _lock(case)
        role = next((h.role for h in get_scope(actor).over(case.region)), "")
        from_step = case.current_step
        running = PublicityNotice.objects.filter(case=case, state=NoticeState.RUNNING)
        running.update(state=NoticeState.CANCELLED, ended_at=now)
        _close_open_task(case, by=actor, state=TaskState.CANCELLED)
        case.state = CaseState.WITHDRAWN
        case.current_step = ""
        case.closed_at = now
        case.outcome = "已撤回"
        _write_event(case, actor=actor, role=role, region=case.region,
                     action=EventAction.WITHDRAW, action_name="撤回",
                     from_step=from_step, to_step="", comment=reason[:2000], at=now,
                     facts={chain_facts.CLOSED: chain_facts.case_closed(
                         state=case.state, outcome=case.outcome)})
        case.save()
        tallies.finished(case)
    return case


def record_public_objection(*, notice_id: int, name: str, phone: str, content: str
                            ) -> Objection:
    """A villager's objection to a running notice, raised on the public board (no account):
    the same record as a cadre's 登记异议 — an event of the case under its chain, the
    notice's objection row — written for the villager, and the step's holders and the
    village's supervisory committee told. Refused when the notice no longer takes
    objections (ended, withdrawn, its window over)."""
    name, phone, content = name.strip()[:64], phone.strip(), content.strip()[:2000]
    now = timezone.now()
    with transaction.atomic():
        try:
            notice = PublicityNotice.objects.select_related("case").get(pk=int(notice_id))
        except (PublicityNotice.DoesNotExist, TypeError, ValueError):
            raise OutOfScope from None
        case = Case.objects.select_for_update().select_related("region").get(
            pk=notice.case_id)
        notice.case = case
        notice.refresh_from_db(fields=["state", "earliest_end"])
        if not accepts_objections(notice, now):
            raise RuleError("notice_closed", _("该公示已结束,不再受理网上异议。"))
        spec = case.spec
        if spec is None or not spec.has_step(notice.step):
            raise RuleError("notice_closed", _("该公示已结束,不再受理网上异议。"))
        step = spec.step(notice.step)
        act = step.action(RECORD_OBJECTION)
        objection = notice.objections.create(content=content, raised_by=name, phone=phone,
                                             online=True, received_at=now)
        _write_event(
            case, actor=None, role="", region=None, action=RECORD_OBJECTION,
            action_name=act.name if act else "登记异议",
            from_step=step.code, to_step=step.code,
            data={"content": content, "raised_by": name, "phone": phone, "online": True},
            comment="村民通过公开栏网上提交", at=now, actor_name=f"{name}(村民,网上提交)")
        case.save(update_fields=["event_count", "last_hash", "updated_at"])
        queue_objection_notice(case, step, also=SUPERVISORY_COMMITTEE)
    return objection


def nudge(*, actor: User, case_id: int, comment: str = "",
          expected_step: str | None = None) -> CaseEvent:
    """催办: remind the holders of the case's open task to do it. An event of the case under
    its chain (the case stays at its step), naming the task and whom it reminded; every
    holder is told. Allowed to one who reads the case and acts for its village or supervises
    it but does not hold the task (``visibility.nudging_role``); at most once a local day
    per person and task (``AlreadyNudged``, 409, says from when it can be sent again)."""
    case, spec = _load(actor, case_id)
    _require_open(case, _("该事项已办结或已撤回,无需催办。"), expected_step)
    comment = (comment or "").strip()[:200]
    with transaction.atomic():
        # under the case's lock: two nudges of one person at the same moment write one
        case = Case.objects.select_for_update().select_related("region").get(pk=case.pk)
        _require_open(case, _("该事项已办结或已撤回,无需催办。"), expected_step)
        task = (Task.objects.filter(case=case, state=TaskState.OPEN).order_by("pk").first())
        if task is None or not spec.has_step(task.step):
            raise RuleError("nothing_to_nudge", _("该事项当前没有待办的环节,无需催办。"))
        step = spec.step(task.step)
        if holds_task(actor, task):
            raise NotAllowed(_("“%(step)s”由您办理,不能催办自己。") % {"step": step.name})
        held = nudging_role(actor, case, task)
        if held is None:
            raise NotAllowed(_("只有本村(社区)干部或上级镇(街道)党(工)委、政府可以催办。"))
        now = timezone.now()
        if history.nudged_on_day(case, task.pk, actor, now):
            _start, again = history.local_day(now)
            raise AlreadyNudged(
                _("您今天已催办过“%(step)s”,每人每天只能催办一次;%(day)s起可再次催办。") % {
                    "step": step.name, "day": dates.local_day(again)}, not_before=again)
        holders = task_holders(task)
        if not holders:
            raise RuleError("no_holder", _("“%(step)s”目前无人担任办理职务,无法催办,"
                                           "请联系上级调整人员。") % {"step": step.name})
        event = _write_event(
            case, actor=actor, role=held.role, region=Region(pk=held.region_id),
            action=NUDGE, action_name=str(EventAction.NUDGE.label),
            from_step=case.current_step, to_step=case.current_step,
            data={"task": task.pk, "to": [{"user": m.user_id, "name": m.user.get_full_name()
                                           or m.user.get_username(), "role": m.role}
                                          for m in holders]},
            comment=comment, at=now)
        case.save(update_fields=["event_count", "last_hash", "updated_at"])
        queue_nudge_notice(case, step, [m.user_id for m in holders],
                           by=actor.get_full_name() or actor.get_username())
    return event


def dispatch(*, actor: User, case_id: int, action: str, data: Mapping[str, Any] | None = None,
             comment: str = "", files: Mapping[str, UploadedFile] | None = None,
             expected_step: str | None = None) -> Case:
    """One action of a case as pages and the API send it: ``return`` (with ``data.step``),
    ``withdraw``, or an action of the current step."""
    if action == RETURN:
        target = (data or {}).get("step", "")
        return return_to_step(actor=actor, case_id=case_id, step=str(target or ""),
                              reason=comment, expected_step=expected_step)
    if action == WITHDRAW:
        return withdraw(actor=actor, case_id=case_id, reason=comment,
                        expected_step=expected_step)
    return perform_action(actor=actor, case_id=case_id, action=action, data=data or {},
                          comment=comment, files=files, expected_step=expected_step)


__all__ = [
    "dispatch",
    "nudge",
    "open_case",
    "perform_action",
    "record_public_objection",
    "return_to_step",
    "withdraw",
]
