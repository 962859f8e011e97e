"""Effects of 02.1–02.5: the registers of the branch's organisational life.

Each check reads what was sent (and the registers) and refuses what the rules refuse;
what it parsed goes to its apply in ``ctx.scratch``, which writes the register's lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.listing import listed
from party.choices import (
    ACTIVE_MEMBER_STATUSES,
    AppraisalForm,
    AppraisalGrade,
    MeetingKind,
    ReportGrade,
)
from party.effects.common import member_named, plain_name, ref_id
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
from workflows.fields import FieldErrors
from workflows.messages import Text, spec_text
from workflows.proposals import register_proposal
from workflows.spec import ActionSpec, Effect, FieldType, Param


def roll(data: dict[str, Any]) -> tuple[int, int]:
    """Due and present of the meeting held: the roll computed from the register on the day
    it was held, and those of it who attended (``workflows.rolls``)."""
    meeting = data.get("meeting")
    if isinstance(meeting, dict):
        return int(meeting["due"]), int(meeting["present"])
    return int(data.get("due", 0)), int(data.get("present", 0))


def held_on(data: dict[str, Any]) -> dt.date:
    """The day the meeting was held (its ``held_at``): the date its register line shows."""
    day: dt.date = data["meeting"]["held_on"]
    return day


def _roll_key(person: Any, kind: str) -> str:
    """How a meeting's roll names the person an absentee row names: ``party_member:<id>``
    for a member of the register (a ``ref``), ``user:<id>`` for an office-holder (a
    ``user``) — the values of ``workflows.rolls``."""
    pk = ref_id(person)
    return f"{kind}:{pk}" if pk is not None else ""


def _absentee_kind(action: ActionSpec) -> str:
    """What the absentee table's person column names: office-holders (users) or members."""
    table = next((f for f in action.fields if f.name == "absentees"), None)
    column = table.column("member") if table is not None else None
    return "user" if column is not None and column.type == FieldType.USER else "party_member"


def check_absences(data: dict[str, Any], kind: str = "party_member") -> str:
    """Everyone of the roll who did not come is listed with the reason of the leave (请销假):
    exactly the voters not ticked (those without a vote may be listed too), nobody present,
    nobody twice. The register's text of the absences (姓名:事由, one a line)."""
    due, present = roll(data)
    if present > due:
        raise RuleError("invalid_field", _("实到人数不能多于应到人数。"), field="meeting.present")
    rows: list[dict[str, Any]] = list(data.get("absentees") or [])
    meeting = data.get("meeting")
    roll_json = meeting.get("roll") if isinstance(meeting, dict) else None
    members = roll_json.get("members") if isinstance(roll_json, dict) else None
    if members is None:  # a roll that is a number: only the count can be compared
        if len(rows) != due - present:
            raise RuleError("absence_unexplained",
                            _("应到%(due)s人、实到%(present)s人,须逐一登记%(absent)s名缺席人员及"
                              "请假事由(已登记%(recorded)s人)。")
                            % {"due": due, "present": present, "absent": due - present,
                               "recorded": len(rows)}, field="absentees")
        return "\n".join(f"{plain_name(_name(r['member']))}:{r['reason']}" for r in rows)
    assert isinstance(meeting, dict)
    assert isinstance(roll_json, dict)
    names = {str(m["value"]): plain_name(m["label"])
             for m in (*members, *roll_json.get("non_voting", ()))}
    came = {str(v) for v in meeting.get("attendees") or ()}
    errors: list[RuleError] = []
    given: dict[str, str] = {}
    for i, row in enumerate(rows):
        key, where = _roll_key(row.get("member"), kind), f"absentees[{i}].member"
        name = names.get(key) or plain_name(_name(row.get("member")))
        if key not in names:
            errors.append(RuleError("absence_unexplained",
                                    _("%(name)s不在本次会议%(day)s的应到名单中(名册计算),"
                                      "不应登记为缺席。")
                                    % {"name": name, "day": meeting.get("held_on", "")},
                                    field=where))
        elif key in came:
            errors.append(RuleError("absence_unexplained",
                                    _("%(name)s已勾选为到会,不应同时登记为缺席。")
                                    % {"name": name}, field=where))
        elif key in given:
            errors.append(RuleError("absence_unexplained", _("%(name)s已登记过一次缺席。")
                                                           % {"name": name},
                                    field=where))
        else:
            given[key] = f"{name}:{row['reason']}"
    missing = [names[str(m["value"])] for m in members
               if str(m["value"]) not in came and str(m["value"]) not in given]
    if missing:
        errors.append(RuleError(
            "absence_unexplained",
            _("应到%(due)s人、实到%(present)s人,以下未到会的人员须登记请假事由:%(items)s。")
            % {"due": due, "present": present, "items": listed(missing)},
            field="absentees"))
    if errors:
        raise FieldErrors(errors) if len(errors) > 1 else errors[0]
    return "\n".join(given.values())


def _name(person: Any) -> str:
    return str(person.get("name", "")) if isinstance(person, dict) else ""


def _check_absences(ctx: EffectContext) -> None:
    ctx.scratch["absentees"] = check_absences(ctx.data, _absentee_kind(ctx.action))


# --- 02.1 ------------------------------------------------------------------------------------


@cache
def record_meeting(kind: MeetingKind) -> Effect:
    """A meeting held: a line of the 三会一课 register, with the topics and chair prepared."""

    def apply(ctx: EffectContext) -> None:
        due, present = roll(ctx.data)
        prepared = ctx.step_data("prepare")
        BranchMeeting.objects.create(
            region=ctx.case.region, case=ctx.case, kind=kind, held_on=held_on(ctx.data),
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
                            _("述职评议形式不少于%(need)s种,本次只有%(n)s种。")
                            % {"need": need, "n": len(forms)}, field="forms")

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
        raise RuleError("interview_required", _("评价等次为“差”的,须对党支部书记进行约谈。"),
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


@cache
def record_themed_day(repeat_limit: Param) -> Effect:
    """The day held (not before its content was published) enters the register; the same
    form ``repeat_limit`` times in a row raises an alert."""

    def check(ctx: EffectContext) -> None:
        published = ctx.step_values("publish").get("published_on")
        if isinstance(published, dt.date):
            dates.not_before(held_on(ctx.data), published, field="meeting.held_at",
                             label=_("开展日期"), start_label=_("发布活动内容的日期"))
        _check_absences(ctx)

    def apply(ctx: EffectContext) -> None:
        theme = ctx.step_data("theme")
        due, present = roll(ctx.data)
        form = str(theme.get("form", ""))
        row = ThemedPartyDay.objects.create(
            region=ctx.case.region, case=ctx.case, month=str(theme.get("month", "")),  # YYYY-MM
            theme=str(theme.get("theme", "")), form=form, held_on=held_on(ctx.data),
            due=due, present=present, absentees=ctx.scratch["absentees"],
            content=str(ctx.data.get("record", "")))
        limit = int(ctx.param(repeat_limit))
        recent = list(ThemedPartyDay.objects.filter(region=ctx.case.region).exclude(pk=row.pk)
                      .order_by("-held_on", "-pk").values_list("form", flat=True)[:limit - 1])
        if len(recent) == limit - 1 and all(f == form for f in recent):
            raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                        message=Text(gettext_noop("{place}主题党日活动连续{limit}次采用同一形式"
                                                  "({form}),形式单一。"),
                                     place=ctx.case.region.name, limit=limit,
                                     form=spec_text(row.get_form_display())),
                        key=f"party-themed-form:{ctx.case.pk}")

    return effect(f"party.record_themed_day.{repeat_limit.name}", check=check, apply=apply,
                  reads=("theme", "publish"))


# --- 02.4 ------------------------------------------------------------------------------------


@cache
def check_study(at_least: Param) -> Effect:
    def check(ctx: EffectContext) -> None:
        need = int(ctx.param(at_least))
        if int(ctx.data.get("study_sessions", 0)) < need:
            raise RuleError("study_too_little", _("组织生活会前集中学习不少于%(need)s次。")
                                                % {"need": need},
                            field="study_sessions")

    return effect(f"party.check_study.{at_least.name}", check=check)


def _check_life_meeting(ctx: EffectContext) -> None:
    """Leave recorded for everyone due who did not come (that everyone present criticised
    is the action's ``all_criticised``; the problems are a table of one or more)."""
    check_absences(ctx.data, _absentee_kind(ctx.action))


CHECK_LIFE_MEETING = effect("party.check_life_meeting", check=_check_life_meeting)


@dataclass(frozen=True)
class Measure:
    number: int
    problem: str
    measure: str
    owner: str
    due_on: dt.date


def _raise(errors: list[RuleError]) -> None:
    if errors:
        raise FieldErrors(errors) if len(errors) > 1 else errors[0]


def _check_measures(ctx: EffectContext) -> None:
    """Each measure answers a problem found at the meeting (its number in the meeting's
    table), with an owner of the register and a deadline; every problem gets a measure."""
    problems = [str(row.get("problem", "")) for row in
                ctx.step_data("meeting").get("problems") or () if isinstance(row, dict)]
    measures: list[Measure] = []
    covered: set[int] = set()
    errors: list[RuleError] = []
    for i, row in enumerate(ctx.data["measures"]):
        number = int(row["problem"])
        if not 1 <= number <= len(problems):
            errors.append(RuleError("measure_unrelated",
                                    _("第%(item)s项整改措施须对应会上查摆的第1至%(n)s条问题。")
                                    % {"item": i + 1, "n": len(problems)},
                                    field=f"measures[{i}].problem"))
            continue
        try:
            owner = member_named(ctx.case.region, row["owner"], field=f"measures[{i}].owner")
        except RuleError as err:
            errors.append(err)
            continue
        covered.add(number)
        measures.append(Measure(i + 1, problems[number - 1], str(row["measure"]), owner.name,
                                row["due_on"]))
    missing = sorted(set(range(1, len(problems) + 1)) - covered)
    if missing and not errors:
        errors.append(RuleError("problem_without_measure",
                                _("第%(items)s条问题没有整改措施。")
                                % {"items": listed(missing)},
                                field="measures"))
    _raise(errors)
    ctx.scratch["measures"] = measures


def _plan_rectification(ctx: EffectContext) -> None:
    for m in ctx.scratch["measures"]:
        RectificationItem.objects.create(
            region=ctx.case.region, case=ctx.case, number=m.number, problem=m.problem,
            measure=m.measure, owner=m.owner, due_on=m.due_on)


PLAN_RECTIFICATION = effect("party.plan_rectification", check=_check_measures,
                            apply=_plan_rectification, reads=("meeting",))


def _problems_to_answer(case: Any) -> list[dict[str, Any]] | None:
    """One row for each problem the meeting found (its number), for the plan to answer."""
    found = (case.data.get("meeting") or {}).get("problems")
    if not isinstance(found, list) or not found:
        return None
    return [{"problem": n} for n in range(1, len(found) + 1)]


def _measures_to_report(case: Any) -> list[dict[str, Any]] | None:
    """One row for each measure of the plan not yet done (its number), to report on."""
    numbers = list(RectificationItem.objects.filter(case=case, done_on__isnull=True)
                   .order_by("number").values_list("number", flat=True))
    return [{"measure": n} for n in numbers] or None


PROBLEMS_TO_ANSWER = register_proposal("party.problems_to_answer", _problems_to_answer)
MEASURES_TO_REPORT = register_proposal("party.measures_to_report", _measures_to_report)


def _check_results(ctx: EffectContext) -> None:
    """Each row reports one measure of the plan (its number), once; every measure done
    before the archive."""
    items = {i.number: i for i in RectificationItem.objects.select_for_update()
             .filter(case=ctx.case)}
    results: dict[int, tuple[str, dt.date]] = {}
    errors: list[RuleError] = []
    for i, row in enumerate(ctx.data["results"]):
        number, where = int(row["measure"]), f"results[{i}].measure"
        if number not in items:
            errors.append(RuleError("measure_unknown",
                                    _("整改措施中没有第%(number)s项(共%(n)s项)。")
                                    % {"number": number, "n": len(items)}, field=where))
        elif number in results:
            errors.append(RuleError("invalid_field", _("第%(number)s项整改措施已登记过落实情况。")
                                                     % {"number": number},
                                    field=where))
        else:
            results[number] = (str(row["result"]), row["done_on"])
    open_items = sorted(n for n, i in items.items() if i.done_on is None and n not in results)
    if open_items and not errors:
        errors.append(RuleError("rectification_open",
                                _("第%(items)s项整改措施尚未落实,不能归档。")
                                % {"items": listed(map(str, open_items))},
                                field="results"))
    _raise(errors)
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
        raise RuleError("invalid_field", _("收回的测评票不能多于发出的。"), field="returned")


CHECK_BALLOTS = effect("party.check_ballots", check=_check_ballots)


def _check_grades(ctx: EffectContext) -> None:
    """One row a member; every member of the branch gets exactly one grade a year."""
    year = int(ctx.step_values("convene").get("year", 0))
    graded: dict[int, tuple[PartyMember, str]] = {}
    errors: list[RuleError] = []
    for i, row in enumerate(ctx.data["grades"]):
        where = f"grades[{i}].member"
        try:
            member = member_named(ctx.case.region, row["member"], field=where)
        except RuleError as err:
            errors.append(err)
            continue
        if member.pk in graded:
            errors.append(RuleError("graded_twice", _("%(member)s在评定结果中出现了两次。")
                                                    % {"member": member.name},
                                    field=where))
        elif MemberAppraisal.objects.filter(member=member, year=year).exists():
            errors.append(RuleError("graded_twice", _("%(member)s%(year)s年度已评定等次。")
                                                    % {"member": member.name, "year": year},
                                    field=where))
        else:
            graded[member.pk] = (member, str(row["grade"]))
    missing = list(PartyMember.objects.filter(region=ctx.case.region,
                                              status__in=ACTIVE_MEMBER_STATUSES)
                   .exclude(pk__in=graded).order_by("name").values_list("name", flat=True))
    if missing and not errors:
        errors.append(RuleError("ungraded_members",
                                _("以下党员尚未评定等次:%(items)s。")
                                % {"items": listed(missing)}, field="grades"))
    _raise(errors)
    ctx.scratch["year"], ctx.scratch["grades"] = year, list(graded.values())


def _record_grades(ctx: EffectContext) -> None:
    for member, grade in ctx.scratch["grades"]:
        MemberAppraisal.objects.create(region=ctx.case.region, case=ctx.case, member=member,
                                       year=ctx.scratch["year"], grade=grade)


RECORD_GRADES = effect("party.record_grades", check=_check_grades, apply=_record_grades,
                       reads=("convene",))


def _check_follow_ups(ctx: EffectContext) -> None:
    """One row a member graded in this case; a member graded 不合格 must have one."""
    rows = {a.member_id: a for a in MemberAppraisal.objects.select_for_update(of=("self",))
            .select_related("member").filter(case=ctx.case)}
    given: dict[int, str] = {}
    errors: list[RuleError] = []
    for i, row in enumerate(ctx.data.get("follow_ups") or ()):
        pk, where = ref_id(row["member"]), f"follow_ups[{i}].member"
        name = plain_name(_name(row["member"]))
        if pk not in rows:
            errors.append(RuleError("invalid_field", _("%(name)s不是本次评定了等次的党员。")
                                                     % {"name": name},
                                    field=where))
        elif pk in given:
            errors.append(RuleError("invalid_field", _("%(name)s的结果运用情况已登记过一次。")
                                                     % {"name": name},
                                    field=where))
        else:
            given[pk] = str(row["follow_up"])
    missing = [a.member.name for pk, a in rows.items()
               if a.grade == AppraisalGrade.UNQUALIFIED and not (given.get(pk) or a.follow_up)]
    if missing:
        errors.append(RuleError("follow_up_missing",
                                _("评为“不合格”的党员%(items)s须有教育转化或组织处置记录。")
                                % {"items": listed(missing)},
                                field="follow_ups"))
    _raise(errors)
    ctx.scratch["appraisals"], ctx.scratch["follow_ups"] = rows, given


def _record_follow_ups(ctx: EffectContext) -> None:
    rows: dict[int, MemberAppraisal] = ctx.scratch["appraisals"]
    for pk, follow_up in ctx.scratch["follow_ups"].items():
        rows[pk].follow_up = follow_up
        rows[pk].save()


RECORD_FOLLOW_UPS = effect("party.record_follow_ups", check=_check_follow_ups,
                           apply=_record_follow_ups)
