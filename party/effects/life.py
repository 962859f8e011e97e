"""Effects of 02.1–02.5: the registers of the branch's organisational life.

Each check reads what was sent (and the registers) and refuses what the rules refuse;
what it parsed goes to its apply in ``ctx.scratch``, which writes the register's lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from core import dates
from core.errors import RuleError
from party.choices import (
    ACTIVE_MEMBER_STATUSES,
    AppraisalForm,
    AppraisalGrade,
    MeetingKind,
    ReportGrade,
)
from party.effects.common import find_member, lines, past_month, split_line
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
from workflows.effects import EffectContext, effect
from workflows.spec import Effect, Param


def roll(data: dict[str, Any]) -> tuple[int, int]:
    """Due and present: from the meeting field, or from the two counts of the action."""
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


def _check_absences(ctx: EffectContext) -> None:
    ctx.scratch["absentees"] = check_absences(ctx.data)


# --- 02.1 ------------------------------------------------------------------------------------


@cache
def record_meeting(kind: MeetingKind) -> Effect:
    """A meeting held: a line of the 三会一课 register, with the topics and chair prepared."""

    def apply(ctx: EffectContext) -> None:
        due, present = roll(ctx.data)
        prepared = ctx.step_data("prepare")
        BranchMeeting.objects.create(
            region=ctx.case.region, case=ctx.case, kind=kind, held_on=ctx.data["held_on"],
            topics=str(prepared.get("topics", "")), chair=str(prepared.get("chair", "")),
            due=due, present=present, absentees=ctx.scratch["absentees"],
            decisions=str(ctx.data.get("decisions", ctx.data.get("reactions", ""))))

    return effect(f"party.record_meeting.{kind.value}", check=_check_absences, apply=apply,
                  reads=("prepare",))


def _follow_up_meeting(ctx: EffectContext) -> None:
    row = BranchMeeting.objects.select_for_update().get(case=ctx.case)
    row.followed_up = str(ctx.data.get("implementation", ""))
    row.save()


FOLLOW_UP_MEETING = effect("party.follow_up_meeting", apply=_follow_up_meeting)


# --- 02.2 ------------------------------------------------------------------------------------


@cache
def check_forms(at_least: Param) -> Effect:
    """The appraisal uses at least ``at_least`` forms."""

    def check(ctx: EffectContext) -> None:
        need = int(ctx.param(at_least))
        forms = ctx.data.get("forms") or []
        if len(forms) < need:
            raise RuleError("forms_too_few",
                            f"述职评议形式不少于{need}种,本次只有{len(forms)}种。", field="forms")

    return effect(f"party.check_forms.{at_least.name}", check=check)


def _grade_report(ctx: EffectContext) -> None:
    reporter = ctx.actor_of("report")
    labels = dict(AppraisalForm.choices)
    forms = "、".join(str(labels.get(v, v)) for v in ctx.step_data("appraisal").get("forms", []))
    ReportAppraisal.objects.create(
        region=ctx.case.region, case=ctx.case,
        year=int(ctx.step_values("field_assessment").get("year", 0)),
        reporter=reporter.get_full_name() if reporter else "", forms=forms,
        grade=ctx.data["grade"])


GRADE_REPORT = effect("party.grade_report", apply=_grade_report,
                      reads=("field_assessment", "report", "appraisal"))


def _report_row(ctx: EffectContext) -> ReportAppraisal:
    if "report" not in ctx.scratch:
        ctx.scratch["report"] = ReportAppraisal.objects.select_for_update().get(case=ctx.case)
    row: ReportAppraisal = ctx.scratch["report"]
    return row


def _check_interview(ctx: EffectContext) -> None:
    if _report_row(ctx).grade == ReportGrade.POOR and not ctx.data.get("interviewed"):
        raise RuleError("interview_required", "评价等次为“差”的,须对党支部书记进行约谈。",
                        field="interviewed")


def _use_report_result(ctx: EffectContext) -> None:
    row = _report_row(ctx)
    row.use_of_result = str(ctx.data.get("use", ""))
    row.save()


USE_REPORT_RESULT = effect("party.use_report_result", check=_check_interview,
                           apply=_use_report_result)


def _rectify_report(ctx: EffectContext) -> None:
    row = _report_row(ctx)
    row.rectification = str(ctx.data.get("rectification", ""))
    row.save()


RECTIFY_REPORT = effect("party.rectify_report", apply=_rectify_report)


# --- 02.3 ------------------------------------------------------------------------------------


def _check_month(ctx: EffectContext) -> None:
    past_month(ctx.data.get("month"), field="month", label="活动月份")


CHECK_MONTH = effect("party.check_themed_month", check=_check_month)


@cache
def record_themed_day(repeat_limit: Param) -> Effect:
    """The day held (not before its content was published) enters the register; the same
    form ``repeat_limit`` times in a row raises an alert."""

    def check(ctx: EffectContext) -> None:
        published = ctx.step_values("publish").get("published_on")
        if isinstance(published, dt.date):
            dates.not_before(ctx.data["held_on"], published, field="held_on", label="开展日期",
                             start_label="发布活动内容的日期")
        _check_absences(ctx)

    def apply(ctx: EffectContext) -> None:
        theme = ctx.step_data("theme")
        due, present = roll(ctx.data)
        form = str(theme.get("form", ""))
        row = ThemedPartyDay.objects.create(
            region=ctx.case.region, case=ctx.case, month=str(theme.get("month", "")),
            theme=str(theme.get("theme", "")), form=form, held_on=ctx.data["held_on"],
            due=due, present=present, absentees=ctx.scratch["absentees"],
            content=str(ctx.data.get("record", "")))
        limit = int(ctx.param(repeat_limit))
        recent = list(ThemedPartyDay.objects.filter(region=ctx.case.region).exclude(pk=row.pk)
                      .order_by("-held_on", "-pk").values_list("form", flat=True)[:limit - 1])
        if len(recent) == limit - 1 and all(f == form for f in recent):
            raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                        message=f"{ctx.case.region.name}主题党日活动连续{limit}次采用同一形式"
                                f"({row.get_form_display()}),形式单一。",
                        key=f"party-themed-form:{ctx.case.pk}")

    return effect(f"party.record_themed_day.{repeat_limit.name}", check=check, apply=apply,
                  reads=("theme", "publish"))


# --- 02.4 ------------------------------------------------------------------------------------


@cache
def check_study(at_least: Param) -> Effect:
    def check(ctx: EffectContext) -> None:
        need = int(ctx.param(at_least))
        if int(ctx.data.get("study_sessions", 0)) < need:
            raise RuleError("study_too_little", f"组织生活会前集中学习不少于{need}次。",
                            field="study_sessions")

    return effect(f"party.check_study.{at_least.name}", check=check)


def _check_life_meeting(ctx: EffectContext) -> None:
    """Leave recorded, everyone present criticised, the problems listed."""
    check_absences(ctx.data)
    _due, present = roll(ctx.data)
    if int(ctx.data.get("self_criticisms", 0)) < present:
        raise RuleError("criticism_incomplete",
                        f"到会{present}名党员均应开展批评与自我批评,"
                        f"本次登记{ctx.data.get('self_criticisms')}人。", field="self_criticisms")
    if not lines(ctx.data.get("problems")):
        raise RuleError("missing_field", "请逐条列出查摆的问题。", field="problems")


CHECK_LIFE_MEETING = effect("party.check_life_meeting", check=_check_life_meeting)


@dataclass(frozen=True)
class Measure:
    number: int
    problem: str
    measure: str
    owner: str
    due_on: dt.date


def _line_day(text: str, line: str, field: str, what: str) -> dt.date:
    day = dates.parse_day(text) if len(text) == 10 else None
    if day is None:
        raise RuleError(dates.INVALID_DATE, f"“{line}”的{what}应为存在的日期(如2027-03-31)。",
                        field=field)
    return day


def _check_measures(ctx: EffectContext) -> None:
    """Each line "问题序号|整改措施|责任人|完成时限"; every problem gets a measure."""
    problems = lines(ctx.step_data("meeting").get("problems"))
    measures: list[Measure] = []
    covered: set[int] = set()
    for number, line in enumerate(lines(ctx.data.get("measures")), 1):
        parts = split_line(line)
        if len(parts) != 4:
            raise RuleError("invalid_field",
                            f"“{line}”应写作“问题序号|整改措施|责任人|完成时限”。",
                            field="measures")
        ref, measure, owner, due_raw = parts
        if not ref.isdigit() or not 1 <= int(ref) <= len(problems):
            raise RuleError("measure_unrelated",
                            f"“{line}”须对应会上查摆的第1至{len(problems)}条问题。",
                            field="measures")
        due_on = _line_day(due_raw, line, "measures", "完成时限")
        if not measure or not owner:
            raise RuleError("invalid_field", f"“{line}”须写明整改措施和责任人。",
                            field="measures")
        covered.add(int(ref))
        measures.append(Measure(number, problems[int(ref) - 1], measure, owner, due_on))
    missing = sorted(set(range(1, len(problems) + 1)) - covered)
    if missing:
        raise RuleError("problem_without_measure",
                        f"第{'、'.join(map(str, missing))}条问题没有整改措施。", field="measures")
    ctx.scratch["measures"] = measures


def _plan_rectification(ctx: EffectContext) -> None:
    for m in ctx.scratch["measures"]:
        RectificationItem.objects.create(
            region=ctx.case.region, case=ctx.case, number=m.number, problem=m.problem,
            measure=m.measure, owner=m.owner, due_on=m.due_on)


PLAN_RECTIFICATION = effect("party.plan_rectification", check=_check_measures,
                            apply=_plan_rectification, reads=("meeting",))


def _check_results(ctx: EffectContext) -> None:
    """Each line "措施序号|完成情况|完成日期"; every measure done before the archive."""
    items = {i.number: i for i in RectificationItem.objects.select_for_update()
             .filter(case=ctx.case)}
    results: dict[int, tuple[str, dt.date]] = {}
    for line in lines(ctx.data.get("results")):
        parts = split_line(line)
        if len(parts) != 3 or not parts[0].isdigit() or int(parts[0]) not in items:
            raise RuleError("invalid_field", f"“{line}”应写作“措施序号|完成情况|完成日期”。",
                            field="results")
        done = _line_day(parts[2], line, "results", "完成日期")
        dates.not_future(done, field="results", label="完成日期")
        results[int(parts[0])] = (parts[1], done)
    open_items = sorted(n for n, i in items.items() if i.done_on is None and n not in results)
    if open_items:
        raise RuleError("rectification_open",
                        f"第{'、'.join(map(str, open_items))}项整改措施尚未落实,不能归档。",
                        field="results")
    ctx.scratch["items"], ctx.scratch["results"] = items, results


def _complete_rectification(ctx: EffectContext) -> None:
    items: dict[int, RectificationItem] = ctx.scratch["items"]
    for number, (result, done) in ctx.scratch["results"].items():
        item = items[number]
        item.result, item.done_on = result, done
        item.save()


COMPLETE_RECTIFICATION = effect("party.complete_rectification", check=_check_results,
                                apply=_complete_rectification)


# --- 02.5 ------------------------------------------------------------------------------------


CHECK_CONVENED = effect("party.check_convened", check=_check_absences)


def _check_ballots(ctx: EffectContext) -> None:
    if int(ctx.data.get("returned", 0)) > int(ctx.data.get("issued", 0)):
        raise RuleError("invalid_field", "收回的测评票不能多于发出的。", field="returned")


CHECK_BALLOTS = effect("party.check_ballots", check=_check_ballots)


def _check_grades(ctx: EffectContext) -> None:
    """Each line "姓名:等次"; every member of the branch gets exactly one grade a year."""
    year = int(ctx.step_values("convene").get("year", 0))
    grades = {g.value for g in AppraisalGrade}
    graded: dict[int, tuple[PartyMember, str]] = {}
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
        graded[member.pk] = (member, parts[1].strip())
    missing = list(PartyMember.objects.filter(region=ctx.case.region,
                                              status__in=ACTIVE_MEMBER_STATUSES)
                   .exclude(pk__in=graded).values_list("name", flat=True))
    if missing:
        raise RuleError("ungraded_members", f"以下党员尚未评定等次:{'、'.join(missing)}。",
                        field="grades")
    ctx.scratch["year"], ctx.scratch["grades"] = year, list(graded.values())


def _record_grades(ctx: EffectContext) -> None:
    for member, grade in ctx.scratch["grades"]:
        MemberAppraisal.objects.create(region=ctx.case.region, case=ctx.case, member=member,
                                       year=ctx.scratch["year"], grade=grade)


RECORD_GRADES = effect("party.record_grades", check=_check_grades, apply=_record_grades,
                       reads=("convene",))


def _check_follow_ups(ctx: EffectContext) -> None:
    """Each line "姓名:处理情况"; a member graded 不合格 must have one before closing."""
    rows = {a.member.name: a for a in MemberAppraisal.objects.select_for_update(of=("self",))
            .select_related("member").filter(case=ctx.case)}
    given: dict[str, str] = {}
    for line in lines(ctx.data.get("follow_ups")):
        parts = re.split(r"[::]", line, maxsplit=1)
        name = parts[0].strip()
        if len(parts) != 2 or name not in rows or not parts[1].strip():
            raise RuleError("invalid_field",
                            f"“{line}”应写作“姓名:处理情况”(姓名须是本次评议的党员)。",
                            field="follow_ups")
        given[name] = parts[1].strip()
    missing = [n for n, a in rows.items()
               if a.grade == AppraisalGrade.UNQUALIFIED and not (given.get(n) or a.follow_up)]
    if missing:
        raise RuleError("follow_up_missing",
                        f"评为“不合格”的党员{'、'.join(missing)}须有教育转化或组织处置记录。",
                        field="follow_ups")
    ctx.scratch["appraisals"], ctx.scratch["follow_ups"] = rows, given


def _record_follow_ups(ctx: EffectContext) -> None:
    rows: dict[str, MemberAppraisal] = ctx.scratch["appraisals"]
    for name, follow_up in ctx.scratch["follow_ups"].items():
        rows[name].follow_up = follow_up
        rows[name].save()


RECORD_FOLLOW_UPS = effect("party.record_follow_ups", check=_check_follow_ups,
                           apply=_record_follow_ups)
