"""Effects of 02.1–02.5: the registers of the branch's organisational life."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.errors import RuleError
from party.choices import (
    ACTIVE_MEMBER_STATUSES,
    AppraisalForm,
    AppraisalGrade,
    MeetingKind,
    ReportGrade,
)
from party.effects.common import find_member, lines, not_in_future, require_day, split_line
from party.effects.recruitment import param_value
from party.models import (
    BranchMeeting,
    MemberAppraisal,
    PartyMember,
    RectificationItem,
    ReportAppraisal,
    ThemedPartyDay,
)
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext
from workflows.spec import Param


def roll(data: dict[str, Any]) -> tuple[int, int]:
    meeting = data.get("meeting")
    if isinstance(meeting, dict):
        return int(meeting["due"]), int(meeting["present"])
    return int(data.get("due", 0)), int(data.get("present", 0))


def check_absences(data: dict[str, Any]) -> str:
    """Everyone due who did not come is listed with the reason of the leave (请销假)."""
    due, present = roll(data)
    if present > due:
        raise RuleError("invalid_field", "实到人数不能多于应到人数。", field="present")
    listed = lines(data.get("absentees"))
    if len(listed) != due - present:
        raise RuleError("absence_unexplained",
                        f"应到{due}人、实到{present}人,须逐一登记{due - present}名缺席人员及"
                        f"请假事由(已登记{len(listed)}人)。", field="absentees")
    for line in listed:
        parts = re.split(r"[::]", line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise RuleError("absence_unexplained", f"“{line}”应写作“姓名:请假事由”。",
                            field="absentees")
    return "\n".join(listed)


def record_meeting(ctx: EffectContext, kind: MeetingKind) -> None:
    held = require_day(ctx, "held_on")
    not_in_future(held, "held_on", "召开日期")
    absentees = check_absences(ctx.data)
    due, present = roll(ctx.data)
    prepared = ctx.step_data("prepare")
    BranchMeeting.objects.create(
        region=ctx.case.region, case=ctx.case, kind=kind, held_on=held,
        topics=str(prepared.get("topics", "")), chair=str(prepared.get("chair", "")),
        due=due, present=present, absentees=absentees,
        decisions=str(ctx.data.get("decisions", ctx.data.get("reactions", ""))))


def follow_up_meeting(ctx: EffectContext) -> None:
    row = BranchMeeting.objects.select_for_update().get(case=ctx.case)
    row.followed_up = str(ctx.data.get("implementation", ""))
    row.save()


# --- 02.2 ------------------------------------------------------------------------------------


def check_forms(ctx: EffectContext, at_least: Param) -> None:
    need = param_value(ctx, at_least)
    forms = ctx.data.get("forms") or []
    if len(forms) < need:
        raise RuleError("forms_too_few", f"述职评议形式不少于{need}种,本次只有{len(forms)}种。",
                        field="forms")


def grade_report(ctx: EffectContext) -> None:
    start = ctx.step_data("field_assessment")
    report = ctx.actor_of("report")
    labels = dict(AppraisalForm.choices)
    forms = "、".join(str(labels.get(v, v))
                     for v in ctx.step_data("appraisal").get("forms", []))
    ReportAppraisal.objects.create(
        region=ctx.case.region, case=ctx.case, year=int(start.get("year", 0)),
        reporter=report.get_full_name() if report else "", forms=forms,
        grade=ctx.data["grade"])


def use_report_result(ctx: EffectContext) -> None:
    row = ReportAppraisal.objects.select_for_update().get(case=ctx.case)
    if row.grade == ReportGrade.POOR and not ctx.data.get("interviewed"):
        raise RuleError("interview_required", "评价等次为“差”的,须对党支部书记进行约谈。",
                        field="interviewed")
    row.use_of_result = str(ctx.data.get("use", ""))
    row.save()


def rectify_report(ctx: EffectContext) -> None:
    row = ReportAppraisal.objects.select_for_update().get(case=ctx.case)
    row.rectification = str(ctx.data.get("rectification", ""))
    row.save()


# --- 02.3 ------------------------------------------------------------------------------------


def record_themed_day(ctx: EffectContext, repeat_limit: Param) -> None:
    held = require_day(ctx, "held_on")
    not_in_future(held, "held_on", "开展日期")
    published = require_day_from(ctx.step_data("publish"), "published_on")
    if held < published:
        raise RuleError("invalid_date", "活动须在发布活动内容之后开展。", field="held_on")
    theme = ctx.step_data("theme")
    absentees = check_absences(ctx.data)
    due, present = roll(ctx.data)
    form = str(theme.get("form", ""))
    row = ThemedPartyDay.objects.create(
        region=ctx.case.region, case=ctx.case, month=str(theme.get("month", "")),
        theme=str(theme.get("theme", "")), form=form, held_on=held, due=due, present=present,
        absentees=absentees, content=str(ctx.data.get("record", "")))
    limit = param_value(ctx, repeat_limit)
    recent = list(ThemedPartyDay.objects.filter(region=ctx.case.region).exclude(pk=row.pk)
                  .order_by("-held_on", "-pk").values_list("form", flat=True)[:limit - 1])
    if len(recent) == limit - 1 and all(f == form for f in recent):
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=f"{ctx.case.region.name}主题党日活动连续{limit}次采用同一形式"
                            f"({row.get_form_display()}),形式单一。",
                    key=f"party-themed-form:{ctx.case.pk}")


def require_day_from(data: dict[str, Any], field: str) -> dt.date:
    raw = data.get(field)
    return dt.date.fromisoformat(raw) if isinstance(raw, str) and raw else dt.date.min


# --- 02.4 ------------------------------------------------------------------------------------


def check_life_meeting(ctx: EffectContext) -> None:
    held = require_day(ctx, "held_on")
    not_in_future(held, "held_on", "召开日期")
    check_absences(ctx.data)
    _due, present = roll(ctx.data)
    if int(ctx.data.get("self_criticisms", 0)) < present:
        raise RuleError("criticism_incomplete",
                        f"到会{present}名党员均应开展批评与自我批评,"
                        f"本次登记{ctx.data.get('self_criticisms')}人。", field="self_criticisms")
    if not lines(ctx.data.get("problems")):
        raise RuleError("missing_field", "请逐条列出查摆的问题。", field="problems")


def plan_rectification(ctx: EffectContext) -> None:
    """Each line "问题序号|整改措施|责任人|完成时限"; every problem gets a measure."""
    problems = lines(ctx.step_data("meeting").get("problems"))
    covered: set[int] = set()
    for number, line in enumerate(lines(ctx.data.get("measures")), 1):
        parts = split_line(line)
        if len(parts) != 4:
            raise RuleError("invalid_field", f"“{line}”应写作“问题序号|整改措施|责任人|完成时限”。",
                            field="measures")
        ref, measure, owner, due_raw = parts
        if not ref.isdigit() or not 1 <= int(ref) <= len(problems):
            raise RuleError("measure_unrelated",
                            f"“{line}”须对应会上查摆的第1至{len(problems)}条问题。",
                            field="measures")
        try:
            due_on = dt.date.fromisoformat(due_raw)
        except ValueError:
            raise RuleError("invalid_field", f"“{line}”的完成时限应为日期(如2027-03-31)。",
                            field="measures") from None
        if not measure or not owner:
            raise RuleError("invalid_field", f"“{line}”须写明整改措施和责任人。",
                            field="measures")
        covered.add(int(ref))
        RectificationItem.objects.create(
            region=ctx.case.region, case=ctx.case, number=number,
            problem=problems[int(ref) - 1], measure=measure, owner=owner, due_on=due_on)
    missing = sorted(set(range(1, len(problems) + 1)) - covered)
    if missing:
        raise RuleError("problem_without_measure",
                        f"第{'、'.join(map(str, missing))}条问题没有整改措施。", field="measures")


def complete_rectification(ctx: EffectContext) -> None:
    """Each line "措施序号|完成情况|完成日期"; every measure must be done before closing."""
    items = {i.number: i for i in RectificationItem.objects.select_for_update()
             .filter(case=ctx.case)}
    for line in lines(ctx.data.get("results")):
        parts = split_line(line)
        if len(parts) != 3 or not parts[0].isdigit() or int(parts[0]) not in items:
            raise RuleError("invalid_field", f"“{line}”应写作“措施序号|完成情况|完成日期”。",
                            field="results")
        try:
            done = dt.date.fromisoformat(parts[2])
        except ValueError:
            raise RuleError("invalid_field", f"“{line}”的完成日期不正确。",
                            field="results") from None
        not_in_future(done, "results", "完成日期")
        item = items[int(parts[0])]
        item.result, item.done_on = parts[1], done
        item.save()
    open_items = sorted(n for n, i in items.items() if i.done_on is None)
    if open_items:
        raise RuleError("rectification_open",
                        f"第{'、'.join(map(str, open_items))}项整改措施尚未落实,不能归档。",
                        field="results")


# --- 02.5 ------------------------------------------------------------------------------------


def record_grades(ctx: EffectContext) -> None:
    """Each line "姓名:等次"; every member of the branch gets exactly one grade."""
    year = int(ctx.step_data("convene").get("year", 0))
    grades = {g.value for g in AppraisalGrade}
    graded: set[int] = set()
    for line in lines(ctx.data.get("grades")):
        parts = re.split(r"[::]", line, maxsplit=1)
        if len(parts) != 2 or parts[1].strip() not in grades:
            raise RuleError("invalid_field",
                            f"“{line}”应写作“姓名:等次”,等次为优秀、合格、基本合格、不合格。",
                            field="grades")
        member = find_member(ctx.case.region, parts[0], field="grades")
        if member.pk in graded or MemberAppraisal.objects.filter(member=member,
                                                                 year=year).exists():
            raise RuleError("graded_twice", f"{member.name}{year}年度已评定等次。",
                            field="grades")
        graded.add(member.pk)
        MemberAppraisal.objects.create(region=ctx.case.region, case=ctx.case, member=member,
                                       year=year, grade=parts[1].strip())
    missing = list(PartyMember.objects.filter(region=ctx.case.region,
                                              status__in=ACTIVE_MEMBER_STATUSES)
                   .exclude(pk__in=graded).values_list("name", flat=True))
    if missing:
        raise RuleError("ungraded_members", f"以下党员尚未评定等次:{'、'.join(missing)}。",
                        field="grades")


def record_follow_ups(ctx: EffectContext) -> None:
    """Each line "姓名:处理情况"; a member graded 不合格 must have one before closing."""
    rows = {a.member.name: a for a in MemberAppraisal.objects.select_for_update()
            .select_related("member").filter(case=ctx.case)}
    for line in lines(ctx.data.get("follow_ups")):
        parts = re.split(r"[::]", line, maxsplit=1)
        name = parts[0].strip()
        if len(parts) != 2 or name not in rows or not parts[1].strip():
            raise RuleError("invalid_field",
                            f"“{line}”应写作“姓名:处理情况”(姓名须是本次评议的党员)。",
                            field="follow_ups")
        rows[name].follow_up = parts[1].strip()
        rows[name].save()
    missing = [n for n, a in rows.items()
               if a.grade == AppraisalGrade.UNQUALIFIED and not a.follow_up]
    if missing:
        raise RuleError("follow_up_missing",
                        f"评为“不合格”的党员{'、'.join(missing)}须有教育转化或组织处置记录。",
                        field="follow_ups")


def check_study(ctx: EffectContext, at_least: Param) -> None:
    need = param_value(ctx, at_least)
    if int(ctx.data.get("study_sessions", 0)) < need:
        raise RuleError("study_too_little", f"组织生活会前集中学习不少于{need}次。",
                        field="study_sessions")


def check_convened(ctx: EffectContext) -> None:
    held = require_day(ctx, "held_on")
    not_in_future(held, "held_on", "召开日期")
    check_absences(ctx.data)


def check_ballots(ctx: EffectContext) -> None:
    if int(ctx.data.get("returned", 0)) > int(ctx.data.get("issued", 0)):
        raise RuleError("invalid_field", "收回的测评票不能多于发出的。", field="returned")


def check_month(ctx: EffectContext) -> None:
    from party.effects.dues import check_period

    check_period(ctx.data.get("month"), field="month")
