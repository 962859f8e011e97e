"""10(2) hazard effects and 10(3) safety-production effects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date

from core.errors import RuleError
from core.models import Region
from safety.choices import (
    CheckResult,
    Gravity,
    HazardState,
    InspectionResult,
    Reinspection,
    SafetyRecordKind,
    SafetyRuleKind,
    TrainingKind,
)
from safety.effects.common import name_of, not_before, param, past_day
from safety.models import Hazard, SafetyProductionRecord
from safety.rules import HAZARD_RECTIFY_MAX_DAYS
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext

GRAVITY_BY_LABEL = {"一般": Gravity.ORDINARY, "重大": Gravity.MAJOR}


def _open(ctx: EffectContext) -> list[Hazard]:
    return list(Hazard.objects.select_for_update().filter(case=ctx.case)
                .exclude(state=HazardState.CLOSED).order_by("number"))


def finish_inspection(ctx: EffectContext) -> None:
    """Each line: 地点|隐患情况|一般或重大|整改期限(YYYY-MM-DD)|整改责任人."""
    region = ctx.case.region
    today = timezone.localdate(ctx.event.at)
    lines = [ln for ln in str(ctx.data.get("hazards", "")).splitlines() if ln.strip()]
    found = ctx.data["result"] == InspectionResult.FOUND
    if found and not lines:
        raise RuleError("no_hazards", "发现隐患的,须逐条登记隐患。", field="hazards")
    if not found and lines:
        raise RuleError("invalid_field", "登记了隐患,排查结果应为“发现隐患”。", field="result")
    most = param(ctx.case.procedure, HAZARD_RECTIFY_MAX_DAYS, region)
    number = Hazard.objects.filter(region=region).aggregate(m=Max("number"))["m"] or 0
    for index, line in enumerate(lines, 1):
        parts = [p.strip() for p in line.split("|")]
        due = parse_date(parts[3]) if len(parts) == 5 else None
        if len(parts) != 5 or parts[2] not in GRAVITY_BY_LABEL or due is None \
                or not all(parts):
            raise RuleError("invalid_field", f"第{index}条隐患格式应为:地点|隐患情况|一般或重大|"
                                             "整改期限(如2026-11-30)|整改责任人。", field="hazards")
        if due < today:
            raise RuleError("deadline_in_past", f"第{index}条隐患的整改期限不能早于今天。",
                            field="hazards")
        if (due - today).days > most:
            raise RuleError("rectify_deadline_too_long",
                            f"第{index}条隐患的整改期限须在今天起{most}天以内。", field="hazards")
        number += 1
        Hazard.objects.create(
            region=region, case=ctx.case, number=number, source=ctx.data["source"],
            found_on=today, location=parts[0], description=parts[1],
            gravity=GRAVITY_BY_LABEL[parts[2]], responsible=parts[4], rectify_by=due,
        )


def record_rectification(ctx: EffectContext) -> None:
    done = past_day(ctx.data, "completed_on", "整改完成日期")
    for hazard in _open(ctx):
        not_before(done, hazard.found_on, "completed_on", "整改完成日期", "发现日期")
        hazard.measures = "\n".join(filter(None, (hazard.measures, ctx.data["measures"])))
        hazard.rectified_on = done
        hazard.save(update_fields=["measures", "rectified_on"])
        if done > hazard.rectify_by:
            raise_alert(kind=AlertKind.OVERDUE, case=ctx.case, actor=ctx.actor,
                        message=f"{ctx.case.region.name}隐患第{hazard.number}号"
                                f"({hazard.location})超过整改期限{hazard.rectify_by:%m月%d日}"
                                f"才整改完成",
                        key=f"hazard-late:{hazard.pk}:{hazard.reinspections}")


def record_reinspection(ctx: EffectContext) -> None:
    passed = ctx.data["result"] == Reinspection.PASSED
    today = timezone.localdate(ctx.event.at)
    for hazard in _open(ctx):
        hazard.reinspections += 1
        hazard.state = HazardState.CLOSED if passed else HazardState.REWORK
        hazard.closed_on = today if passed else None
        hazard.save(update_fields=["reinspections", "state", "closed_on"])


def record_feedback(ctx: EffectContext) -> None:
    Hazard.objects.filter(case=ctx.case).update(feedback=ctx.data["feedback"])


def hazard_rows(region: Region) -> Iterable[Sequence[Any]]:
    for h in Hazard.objects.filter(region=region).order_by("number").iterator(2000):
        yield (h.number, h.found_on, h.get_source_display(), h.location, h.description,
               h.get_gravity_display(), h.responsible, h.rectify_by, h.rectified_on or "",
               h.reinspections, h.get_state_display(), h.closed_on or "", h.feedback)


def check_overdue_hazards(now: dt.datetime) -> int:
    """A hazard past its rectification deadline and not closed raises an alert once."""
    today = timezone.localdate(now)
    sent = 0
    qs = (Hazard.objects.exclude(state=HazardState.CLOSED).filter(rectify_by__lt=today)
          .select_related("region", "case"))
    for hazard in qs:
        alert = raise_alert(kind=AlertKind.OVERDUE, case=hazard.case,
                            message=f"{hazard.region.name}隐患第{hazard.number}号({hazard.location})"
                                    f"整改期限{hazard.rectify_by:%Y年%m月%d日}已过,仍未销号",
                            key=f"hazard-overdue:{hazard.pk}:{hazard.rectify_by:%Y%m%d}")
        sent += int(alert is not None)
    return sent


# --- 10(3) -------------------------------------------------------------------------------

def _record(ctx: EffectContext, kind: SafetyRecordKind, on: dt.date, summary: str,
            participants: int | None = None) -> None:
    SafetyProductionRecord.objects.create(
        region=ctx.case.region, case=ctx.case, kind=kind, on=on, summary=summary,
        participants=participants, recorded_by=name_of(ctx.actor))


def adopt_rules(ctx: EffectContext) -> None:
    chosen = set(ctx.data["rules"])
    missing = [str(k.label) for k in SafetyRuleKind if k.value not in chosen]
    if missing:
        raise RuleError("rules_incomplete", f"安全生产制度不全:缺少{'、'.join(missing)}。",
                        field="rules")
    on = past_day(ctx.data, "adopted_on", "通过日期")
    _record(ctx, SafetyRecordKind.RULES, on,
            "制定:" + "、".join(str(SafetyRuleKind(k).label) for k in sorted(chosen)))


def record_training(ctx: EffectContext) -> None:
    on = past_day(ctx.data, "held_on", "开展日期")
    count = int(ctx.data["participants"])
    if count < 1:
        raise RuleError("no_participants", "须填写实际参加人数。", field="participants")
    _record(ctx, SafetyRecordKind.TRAINING, on,
            f"{TrainingKind(ctx.data['kind']).label}:{ctx.data['content']}", count)


def record_check(ctx: EffectContext) -> None:
    on = past_day(ctx.data, "checked_on", "检查日期")
    result = CheckResult(ctx.data["result"])
    rectification = str(ctx.data.get("rectification", "")).strip()
    if result == CheckResult.PROBLEMS and not rectification:
        raise RuleError("missing_field", "发现问题的,须写明整改要求和期限。",
                        field="rectification")
    _record(ctx, SafetyRecordKind.CHECK, on,
            f"{result.label}:{ctx.data['findings']}" + (f";整改:{rectification}"
                                                         if rectification else ""))


def safety_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = SafetyProductionRecord.objects.filter(region=region).order_by("on", "pk")
    for r in qs.iterator(2000):
        yield (r.on, r.get_kind_display(), r.summary,
               "" if r.participants is None else r.participants, r.recorded_by)
