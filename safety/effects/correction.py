"""07(3) effects: the correction roster, the group, check-ins, visits, education,
assessments (reported by the group, decided by the judicial office, never publicised), and
release not before the end of the term; and the daily
check that nobody under correction goes unchecked.

Every refusal is in a ``check`` (before anything is stored); the roster is written by the
``apply`` after the event, from the person row the check locked (``ctx.scratch``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from core import dates
from core.errors import RuleError
from core.models import Region
from core.roles import Role
from safety.choices import (
    AssessmentOutcome,
    CheckInMethod,
    CheckInResult,
    CorrectionActivityKind,
    CorrectionState,
    EducationKind,
    GroupRole,
    TerminationReason,
)
from safety.effects.common import InForce, locked, name_of
from safety.models import CorrectionActivity, CorrectionPerson
from safety.rules import CORRECTION_CHECK_IN_DAYS, CORRECTION_CODE
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.messages import Quantity, Text
from workflows.notify import send, users_holding


def _find(ctx: EffectContext) -> CorrectionPerson:
    person = locked(CorrectionPerson.objects.filter(case=ctx.case), _("社区矫正对象"))
    ctx.scratch["person"] = person
    return person


def _person(ctx: EffectContext) -> CorrectionPerson:
    person: CorrectionPerson = ctx.scratch["person"]
    return person


def _under_correction(ctx: EffectContext) -> CorrectionPerson:
    person = _find(ctx)
    if person.state != CorrectionState.UNDER or person.start is None:
        raise RuleError("not_under_correction", _("该对象不在矫正期内。"))
    return person


def _write_investigation(ctx: EffectContext) -> None:
    CorrectionPerson.objects.create(
        region=ctx.case.region, case=ctx.case, name=ctx.data["name"],
        id_number=ctx.data["id_number"], residence=ctx.data["residence"],
        village_opinion=ctx.data["village_opinion"],
    )


RECORD_INVESTIGATION = effect("safety.record_pre_sentence_investigation",
                              apply=_write_investigation)


# the longest term the roster takes (无期徒刑假释的考验期为十年; 缓刑考验期最长五年)
TERM_MAX_MONTHS = 240


def term_of(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The term from ``start`` to ``end`` (both days included) in whole months and the days
    left over: 2026-11-01 to 2027-04-30 is six months and no day."""
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    while months > 0 and _plus_months(start, months) > after:
        months -= 1
    return months, (after - _plus_months(start, months)).days


def _plus_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has none."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def term_text(months: int, days: int) -> str:
    """一年六个月 as the roster writes it: 1年6个月, 3个月15天."""
    years, months = divmod(months, 12)
    parts = [f"{years}年" if years else "", f"{months}个月" if months else "",
             f"{days}天" if days else ""]
    return "".join(parts) or "0天"


def term_shown(months: int, days: int) -> str:
    """The term in the reader's language, for a message: 1年6个月 (as :func:`term_text`) or
    "1 year 6 months"."""
    if (translation.get_language() or "zh-hans").lower().startswith("zh"):
        return term_text(months, days)
    years, months = divmod(months, 12)
    parts = ([ngettext("%(n)s年", "%(n)s年", years) % {"n": years}] if years else [])
    parts += [q.render() for q in (Quantity(months, "months"), Quantity(days, "days")) if q.n]
    return " ".join(parts) or Quantity(0, "days").render()


def group_text(rows: Iterable[Mapping[str, Any]]) -> str:
    """The correction group as the roster shows it: 张三(司法所工作人员,13800000000)、…"""
    out = []
    for row in rows:
        details = [str(GroupRole(row["role"]).label)]
        if row.get("phone"):
            details.append(str(row["phone"]))
        out.append(f"{row['name']}({','.join(details)})")
    return "、".join(out)


def _check_term(ctx: EffectContext) -> None:
    """The term, from the start and end days of the decision (the end is after the start:
    the field's ``after``): at least a day after the start, at most twenty years."""
    _find(ctx)
    start, end = ctx.data["start"], ctx.data["end"]
    if end <= start:
        raise RuleError(dates.DATE_ORDER, _("矫正终止日须晚于起始日。"), field="end")
    months, days = term_of(start, end)
    if months > TERM_MAX_MONTHS or (months == TERM_MAX_MONTHS and days):
        raise RuleError("invalid_field", _("矫正期限不能超过%(years)s年(现为%(term)s),"
                                           "请核对起止日期。")
                        % {"years": TERM_MAX_MONTHS // 12, "term": term_shown(months, days)},
                        field="end")
    ctx.scratch["term"] = term_text(months, days)


def _start(ctx: EffectContext) -> None:
    person = _person(ctx)
    person.start, person.end = ctx.data["start"], ctx.data["end"]
    person.term = ctx.scratch["term"]
    person.group = group_text(ctx.data["group"])
    person.state = CorrectionState.UNDER
    person.save(update_fields=["start", "end", "term", "group", "state"])


START_CORRECTION = effect("safety.start_correction", check=_check_term, apply=_start)


def _activity_check(on_field: str, label: str) -> Callable[[EffectContext], None]:
    def check(ctx: EffectContext) -> None:
        person = _under_correction(ctx)
        assert person.start is not None  # under correction
        dates.not_before(ctx.data[on_field], person.start, field=on_field, label=label,
                         start_label=_("矫正起始日"))

    return check


def _write_activity(ctx: EffectContext, kind: CorrectionActivityKind, detail: str, note: str,
                    on_field: str = "on") -> CorrectionActivity:
    return CorrectionActivity.objects.create(
        person=_person(ctx), kind=kind, on=ctx.data[on_field], detail=detail, note=note,
        recorded_by=name_of(ctx.actor), recorded_at=ctx.at,
    )


def _write_check_in(ctx: EffectContext) -> None:
    result = CheckInResult(ctx.data["result"])
    act = _write_activity(ctx, CorrectionActivityKind.CHECK_IN,
                          f"{CheckInMethod(ctx.data['method']).label}:{result.label}",
                          ctx.data.get("note", ""))
    if result == CheckInResult.ABNORMAL:
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("{place}社区矫正对象{name}{on}抽查点验异常:{note}"),
                                 place=ctx.case.region.name, name=act.person.name, on=act.on,
                                 note=act.note),
                    key=f"correction-abnormal:{act.pk}")


def _write_visit(ctx: EffectContext) -> None:
    _write_activity(ctx, CorrectionActivityKind.VISIT, "", ctx.data["note"])


def _write_welfare(ctx: EffectContext) -> None:
    _write_activity(ctx, CorrectionActivityKind.WELFARE, f"{ctx.data['hours']}小时",
                    ctx.data["note"])


def _write_education(ctx: EffectContext) -> None:
    _write_activity(ctx, CorrectionActivityKind.EDUCATION,
                    str(EducationKind(ctx.data["kind"]).label), ctx.data["content"])


def period_text(first: dt.date, last: dt.date) -> str:
    """考核期间: 2026年10月至12月, 2026年11月, 2025年12月至2026年2月."""
    if first == last:
        return f"{first.year}年{first.month}月"
    tail = f"{last.month}月" if last.year == first.year else f"{last.year}年{last.month}月"
    return f"{first.year}年{first.month}月至{tail}"


def _check_period(ctx: EffectContext) -> None:
    """The correction group's report: recorded on a day of the term, for months of the term
    (the months are this month at the latest: the fields' ``max``), the last not before the
    first."""
    _activity_check("assessed_on", "考核情况记录日期")(ctx)
    person = _person(ctx)
    assert person.start is not None  # under correction
    first, last = ctx.data["period_from"], ctx.data["period_to"]
    if last < first:
        raise RuleError(dates.DATE_ORDER, _("考核期间(止)不能早于考核期间(起)。"),
                        field="period_to")
    if first < person.start.replace(day=1):
        raise RuleError(dates.DATE_ORDER,
                        _("考核期间不能早于矫正起始的%(year)s年%(month)s月。")
                        % {"year": person.start.year, "month": person.start.month},
                        field="period_from")


def _check_decision(ctx: EffectContext) -> None:
    """The judicial office decides on the group's report: not before it was recorded (nor
    in the future: the field's ``max``), while the person is under correction."""
    person = _under_correction(ctx)
    assert person.start is not None  # under correction
    reported = ctx.step_values("supervise")
    recorded: dt.date = reported.get("assessed_on") or person.start
    dates.not_before(ctx.data["decided_on"], recorded, field="decided_on", label=_("决定日期"),
                     start_label=_("考核情况记录日期"))
    ctx.scratch["report"] = reported


def _write_decision(ctx: EffectContext) -> None:
    """The decision (not a notice: nothing of a correction is public) goes into the
    person's record, with the period the group reported and the office's reasons."""
    report = ctx.scratch["report"]
    outcome = AssessmentOutcome(ctx.data["outcome"])
    period = period_text(report["period_from"], report["period_to"])
    _write_activity(ctx, CorrectionActivityKind.ASSESSMENT, f"{period}:{outcome.label}",
                    f"考核情况:{report.get('reasons', '')}\n决定理由:{ctx.data['basis']}",
                    on_field="decided_on")


# an activity's date may not lie in the future (the field's max=TODAY) nor before the term
RECORD_CHECK_IN = effect("safety.record_correction_check_in",
                         check=_activity_check("on", "点验日期"), apply=_write_check_in)
RECORD_VISIT = effect("safety.record_correction_visit",
                      check=_activity_check("on", "走访日期"), apply=_write_visit)
RECORD_WELFARE = effect("safety.record_correction_welfare",
                        check=_activity_check("on", "活动日期"), apply=_write_welfare)
RECORD_EDUCATION = effect("safety.record_correction_education",
                          check=_activity_check("on", "日期"), apply=_write_education)
REPORT_ASSESSMENT = effect("safety.report_correction_assessment", check=_check_period)
DECIDE_ASSESSMENT = effect("safety.decide_correction_assessment", check=_check_decision,
                           apply=_write_decision, reads=("supervise",))


def _check_release(ctx: EffectContext) -> None:
    person = _find(ctx)
    if person.end is None:
        raise RuleError("not_under_correction", _("该对象没有登记矫正期限。"))
    if timezone.localdate(ctx.at) < person.end:
        raise RuleError("too_early",
                        _("矫正期至%(day)s届满,期满前不能解除矫正。")
                        % {"day": dates.local_day(person.end)},
                        not_before=dates.start_of(person.end))
    # not a bound of the field (max=TODAY): a release asked for before the end of the term
    # is refused as too early, with the day it becomes possible, whatever date it names
    released: dt.date = ctx.data["released_on"]
    dates.not_future(released, field="released_on", label=_("解除矫正日期"))
    dates.not_before(released, person.end, field="released_on", label=_("解除矫正日期"),
                     start_label=_("矫正终止日"))


def _release(ctx: EffectContext) -> None:
    person = _person(ctx)
    person.released_on = ctx.data["released_on"]
    person.state = CorrectionState.RELEASED
    person.save(update_fields=["released_on", "state"])


RELEASE = effect("safety.release_from_correction", check=_check_release, apply=_release)


def _check_termination(ctx: EffectContext) -> None:
    """Correction ends before its term (收监执行, death): no wait, but the reason and the
    date are recorded and nothing more may be done with the person."""
    person = _under_correction(ctx)
    assert person.start is not None  # under correction
    dates.not_before(ctx.data["terminated_on"], person.start, field="terminated_on",
                     label=_("终止矫正日期"), start_label=_("矫正起始日"))


def _terminate(ctx: EffectContext) -> None:
    person = _person(ctx)
    person.terminated_on = ctx.data["terminated_on"]
    person.termination_reason = TerminationReason(ctx.data["reason"])
    person.state = CorrectionState.TERMINATED
    person.save(update_fields=["terminated_on", "termination_reason", "state"])


TERMINATE = effect("safety.terminate_correction", check=_check_termination, apply=_terminate)


def correction_rows(region: Region) -> Iterable[Sequence[Any]]:
    kinds = (CorrectionActivityKind.CHECK_IN, CorrectionActivityKind.ASSESSMENT)
    qs = (CorrectionPerson.objects.filter(region=region).order_by("start", "name")
          .annotate(check_ins=Count("activities", filter=Q(activities__kind=kinds[0])),
                    last_check_in=Max("activities__on", filter=Q(activities__kind=kinds[0]))))
    for p in qs.iterator(2000):
        assessment = (p.activities.filter(kind=kinds[1]).order_by("-on", "-pk")
                      .values_list("detail", flat=True).first())
        ended = p.released_on or p.terminated_on or ""
        yield (p.name, p.masked_id, p.term, p.start or "", p.end or "", p.group,
               p.check_ins, p.last_check_in or "", assessment or "", p.get_state_display(),
               ended, p.get_termination_reason_display() if p.termination_reason else "")


def check_daily_check_ins(now: dt.datetime) -> int:
    """Every person under correction is checked each day: a gap longer than the limit
    tells the village director and raises an alert for the supervisors (once per day)."""
    today = timezone.localdate(now)
    gap_in_force = InForce(CORRECTION_CODE, CORRECTION_CHECK_IN_DAYS)
    sent = 0
    people = CorrectionPerson.objects.filter(state=CorrectionState.UNDER, start__lt=today)
    for person in people.select_related("region", "case"):
        gap = gap_in_force(person.region)
        last = (person.activities.filter(kind=CorrectionActivityKind.CHECK_IN)
                .order_by("-on").values_list("on", flat=True).first())
        assert person.start is not None  # filtered on it
        since = last or person.start - dt.timedelta(days=1)
        if (today - since).days <= gap:
            continue
        message = Text(gettext_noop("{place}社区矫正对象{name}自{since}以来超过{gap}未抽查点验,"
                                    "请立即核查"),
                       place=person.region.name, name=person.name, since=since,
                       gap=Quantity(gap, "days"))
        alert = raise_alert(kind=AlertKind.DOMAIN, case=person.case, message=message,
                            key=f"correction-gap:{person.pk}:{today:%Y%m%d}")
        if alert is not None:
            users = users_holding([Role.COMMITTEE_DIRECTOR], person.region_id)
            sent += len(send(users, person.case,
                             Text(gettext_noop("【抽查点验】{message}"), message=message),
                             key=f"correction-gap:{person.pk}:{today:%Y%m%d}")) + 1
    return sent
