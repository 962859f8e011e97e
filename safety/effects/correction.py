"""07(3) effects: the correction roster, the group, check-ins, visits, education,
assessments (publicised), and release not before the end of the term."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from core.errors import RuleError
from core.models import Region
from safety.choices import (
    AssessmentOutcome,
    CheckInMethod,
    CheckInResult,
    CorrectionActivityKind,
    CorrectionState,
    EducationKind,
    TerminationReason,
)
from safety.effects.common import day, name_of, not_before, past_day
from safety.models import CorrectionActivity, CorrectionPerson
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext


def _person(ctx: EffectContext) -> CorrectionPerson:
    person = CorrectionPerson.objects.select_for_update().filter(case=ctx.case).first()
    if person is None:
        raise RuleError("not_registered", "该社区矫正对象尚未登记。")
    return person


def record_investigation(ctx: EffectContext) -> None:
    CorrectionPerson.objects.create(
        region=ctx.case.region, case=ctx.case, name=ctx.data["name"],
        id_number=ctx.data["id_number"], residence=ctx.data["residence"],
        village_opinion=ctx.data["village_opinion"],
    )


def start_correction(ctx: EffectContext) -> None:
    person = _person(ctx)
    start = day(ctx.data, "start")
    end = day(ctx.data, "end")
    assert start is not None
    assert end is not None
    if end <= start:
        raise RuleError("invalid_order", "矫正终止日须晚于起始日。", field="end")
    person.start, person.end = start, end
    person.term = ctx.data["term"]
    person.group = ctx.data["group"]
    person.state = CorrectionState.UNDER
    person.save(update_fields=["start", "end", "term", "group", "state"])


def _activity(ctx: EffectContext, kind: CorrectionActivityKind, detail: str, note: str,
              on_field: str = "on", label: str = "日期") -> CorrectionActivity:
    person = _person(ctx)
    if person.state != CorrectionState.UNDER:
        raise RuleError("not_under_correction", "该对象不在矫正期内。")
    on = past_day(ctx.data, on_field, label)
    assert person.start is not None
    not_before(on, person.start, on_field, label, "矫正起始日")
    return CorrectionActivity.objects.create(
        person=person, kind=kind, on=on, detail=detail, note=note,
        recorded_by=name_of(ctx.actor), recorded_at=ctx.event.at,
    )


def record_check_in(ctx: EffectContext) -> None:
    result = CheckInResult(ctx.data["result"])
    act = _activity(ctx, CorrectionActivityKind.CHECK_IN,
                    f"{CheckInMethod(ctx.data['method']).label}:{result.label}",
                    ctx.data.get("note", ""))
    if result == CheckInResult.ABNORMAL:
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=f"{ctx.case.region.name}社区矫正对象{act.person.name}"
                            f"{act.on:%m月%d日}抽查点验异常:{act.note}",
                    key=f"correction-abnormal:{act.pk}")


def record_visit(ctx: EffectContext) -> None:
    _activity(ctx, CorrectionActivityKind.VISIT, "", ctx.data["note"])


def record_welfare(ctx: EffectContext) -> None:
    _activity(ctx, CorrectionActivityKind.WELFARE, f"{ctx.data['hours']}小时", ctx.data["note"])


def record_education(ctx: EffectContext) -> None:
    _activity(ctx, CorrectionActivityKind.EDUCATION,
              str(EducationKind(ctx.data["kind"]).label), ctx.data["content"])


def record_assessment(ctx: EffectContext) -> None:
    outcome = AssessmentOutcome(ctx.data["outcome"])
    _activity(ctx, CorrectionActivityKind.ASSESSMENT,
              f"{ctx.data['period']}:{outcome.label}", ctx.data["reasons"],
              on_field="assessed_on", label="考核日期")


def release(ctx: EffectContext) -> None:
    person = _person(ctx)
    assert person.end is not None
    if timezone.localdate(ctx.event.at) < person.end:
        not_before_at = timezone.make_aware(dt.datetime.combine(person.end, dt.time()))
        raise RuleError("too_early",
                        f"矫正期至{person.end:%Y年%m月%d日}届满,期满前不能解除矫正。",
                        not_before=not_before_at)
    released = past_day(ctx.data, "released_on", "解除矫正日期")
    not_before(released, person.end, "released_on", "解除矫正日期", "矫正终止日")
    person.released_on = released
    person.state = CorrectionState.RELEASED
    person.save(update_fields=["released_on", "state"])


def terminate(ctx: EffectContext) -> None:
    """Correction ends before its term (收监执行, death): no wait, but the reason and the
    date are recorded and nothing more may be done with the person."""
    person = _person(ctx)
    if person.state != CorrectionState.UNDER:
        raise RuleError("not_under_correction", "该对象不在矫正期内。")
    ended = past_day(ctx.data, "terminated_on", "终止矫正日期")
    assert person.start is not None
    not_before(ended, person.start, "terminated_on", "终止矫正日期", "矫正起始日")
    person.terminated_on = ended
    person.termination_reason = TerminationReason(ctx.data["reason"])
    person.state = CorrectionState.TERMINATED
    person.save(update_fields=["terminated_on", "termination_reason", "state"])


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
    from core.roles import Role
    from safety.procedures.correction import CORRECTION
    from safety.rules import CORRECTION_CHECK_IN_DAYS
    from workflows import params as tenant_params
    from workflows.notify import send, users_holding

    today = timezone.localdate(now)
    sent = 0
    people = CorrectionPerson.objects.filter(state=CorrectionState.UNDER, start__lt=today)
    for person in people.select_related("region", "case"):
        gap = int(tenant_params.effective(CORRECTION, CORRECTION_CHECK_IN_DAYS, person.region))
        last = (person.activities.filter(kind=CorrectionActivityKind.CHECK_IN)
                .order_by("-on").values_list("on", flat=True).first())
        assert person.start is not None
        since = last or person.start - dt.timedelta(days=1)
        if (today - since).days <= gap:
            continue
        message = (f"{person.region.name}社区矫正对象{person.name}自{since:%m月%d日}以来"
                   f"超过{gap}天未抽查点验,请立即核查")
        alert = raise_alert(kind=AlertKind.DOMAIN, case=person.case, message=message,
                            key=f"correction-gap:{person.pk}:{today:%Y%m%d}")
        if alert is not None:
            users = users_holding([Role.COMMITTEE_DIRECTOR], person.region_id)
            sent += len(send(users, person.case, f"【抽查点验】{message}",
                             key=f"correction-gap:{person.pk}:{today:%Y%m%d}")) + 1
    return sent
