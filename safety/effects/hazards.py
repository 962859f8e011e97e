"""10(2) hazard effects and 10(3) safety-production effects.

The refusals are in each effect's ``check`` (or the fields' bounds); the ledgers are written
by its ``apply`` after the event, from what the check parsed or locked (``ctx.scratch``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.listing import listed
from core.models import Region
from safety.choices import (
    CheckResult,
    HazardState,
    InspectionResult,
    Reinspection,
    SafetyRecordKind,
    SafetyRuleKind,
    TrainingKind,
)
from safety.effects.common import name_of
from safety.models import Hazard, SafetyProductionRecord
from safety.rules import HAZARD_RECTIFY_MAX_DAYS
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.fields import FieldErrors
from workflows.messages import Text


def _open(ctx: EffectContext) -> list[Hazard]:
    return list(Hazard.objects.select_for_update().filter(case=ctx.case)
                .exclude(state=HazardState.CLOSED).order_by("number"))


def _check_inspection(ctx: EffectContext) -> None:
    """The hazards found (a table, required when the result says so: its ``required_if``),
    each with a deadline from today (the column's ``min``) at most the limit in force
    away."""
    today = timezone.localdate(ctx.at)
    rows: list[dict[str, Any]] = list(ctx.data.get("hazards") or ())
    if ctx.data["result"] != InspectionResult.FOUND and rows:
        raise RuleError("invalid_field", _("登记了隐患,排查结果应为“发现隐患”。"), field="result")
    most = int(ctx.param(HAZARD_RECTIFY_MAX_DAYS))
    errors = [RuleError("rectify_deadline_too_long",
                        _("第%(item)s条隐患的整改期限须在今天起%(most)s天以内。")
                        % {"item": i + 1, "most": most},
                        field=f"hazards[{i}].rectify_by")
              for i, row in enumerate(rows) if (row["rectify_by"] - today).days > most]
    if errors:
        raise FieldErrors(errors) if len(errors) > 1 else errors[0]
    ctx.scratch["hazards"] = rows


def _write_hazards(ctx: EffectContext) -> None:
    region = ctx.case.region
    number = Hazard.objects.filter(region=region).aggregate(m=Max("number"))["m"] or 0
    for row in ctx.scratch["hazards"]:
        number += 1
        Hazard.objects.create(
            region=region, case=ctx.case, number=number, source=ctx.data["source"],
            found_on=timezone.localdate(ctx.at), location=row["location"],
            description=row["description"], gravity=row["gravity"],
            responsible=row["responsible"], rectify_by=row["rectify_by"],
        )


FINISH_INSPECTION = effect("safety.finish_hazard_inspection", check=_check_inspection,
                           apply=_write_hazards)


def _check_rectification(ctx: EffectContext) -> None:
    # the completion date may not lie in the future: the field's bound (max=TODAY)
    hazards = _open(ctx)
    for hazard in hazards:
        dates.not_before(ctx.data["completed_on"], hazard.found_on, field="completed_on",
                         label=_("整改完成日期"), start_label=_("发现日期"))
    ctx.scratch["hazards"] = hazards


def _write_rectification(ctx: EffectContext) -> None:
    done: dt.date = ctx.data["completed_on"]
    hazard: Hazard
    for hazard in ctx.scratch["hazards"]:
        hazard.measures = "\n".join(filter(None, (hazard.measures, ctx.data["measures"])))
        hazard.rectified_on = done
        hazard.save(update_fields=["measures", "rectified_on"])
        if done > hazard.rectify_by:
            raise_alert(kind=AlertKind.OVERDUE, case=ctx.case, actor=ctx.actor,
                        message=Text(gettext_noop("{place}隐患第{number}号({location})超过"
                                                  "整改期限{due}才整改完成"),
                                     place=ctx.case.region.name, number=hazard.number,
                                     location=hazard.location, due=hazard.rectify_by),
                        key=f"hazard-late:{hazard.pk}:{hazard.reinspections}")


RECORD_RECTIFICATION = effect("safety.record_hazard_rectification",
                              check=_check_rectification, apply=_write_rectification)


def _write_reinspection(ctx: EffectContext) -> None:
    passed = ctx.data["result"] == Reinspection.PASSED
    today = timezone.localdate(ctx.at)
    for hazard in _open(ctx):
        hazard.reinspections += 1
        hazard.state = HazardState.CLOSED if passed else HazardState.REWORK
        hazard.closed_on = today if passed else None
        hazard.save(update_fields=["reinspections", "state", "closed_on"])


RECORD_REINSPECTION = effect("safety.record_hazard_reinspection", apply=_write_reinspection)


def _write_feedback(ctx: EffectContext) -> None:
    Hazard.objects.filter(case=ctx.case).update(feedback=ctx.data["feedback"])


RECORD_FEEDBACK = effect("safety.record_hazard_feedback", apply=_write_feedback)


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
                            message=Text(gettext_noop("{place}隐患第{number}号({location})"
                                                      "整改期限{due}已过,仍未销号"),
                                         place=hazard.region.name, number=hazard.number,
                                         location=hazard.location, due=hazard.rectify_by),
                            key=f"hazard-overdue:{hazard.pk}:{hazard.rectify_by:%Y%m%d}")
        sent += int(alert is not None)
    return sent


# --- 10(3) -------------------------------------------------------------------------------

def _record(ctx: EffectContext, kind: SafetyRecordKind, on: dt.date, summary: str,
            participants: int | None = None) -> None:
    SafetyProductionRecord.objects.create(
        region=ctx.case.region, case=ctx.case, kind=kind, on=on, summary=summary,
        participants=participants, recorded_by=name_of(ctx.actor))


def _check_rules(ctx: EffectContext) -> None:
    # adopted the day the two committees met (the meeting's held_at: not in the future)
    chosen = set(ctx.data["rules"])
    missing = [str(k.label) for k in SafetyRuleKind if k.value not in chosen]
    if missing:
        raise RuleError("rules_incomplete", _("安全生产制度不全:缺少%(items)s。")
                                            % {"items": listed(missing)},
                        field="rules")


def _write_rules(ctx: EffectContext) -> None:
    chosen = sorted(set(ctx.data["rules"]))
    _record(ctx, SafetyRecordKind.RULES, ctx.data["meeting"]["held_on"],
            "制定:" + "、".join(str(SafetyRuleKind(k).label) for k in chosen))


ADOPT_RULES = effect("safety.adopt_safety_rules", check=_check_rules, apply=_write_rules)


def _write_training(ctx: EffectContext) -> None:
    _record(ctx, SafetyRecordKind.TRAINING, ctx.data["held_on"],
            f"{TrainingKind(ctx.data['kind']).label}:{ctx.data['content']}",
            ctx.data["participants"])


# the date held may not lie in the future (max=TODAY); someone took part (participants min=1)
RECORD_TRAINING = effect("safety.record_safety_training", apply=_write_training)


def _rectification(ctx: EffectContext) -> str:
    """整改要求 and its deadline, when the check found problems."""
    text = str(ctx.data.get("rectification", "")).strip()
    due = ctx.data.get("rectify_by")
    return f"{text}(限{dates.day_text(due)}前完成)" if text and isinstance(due, dt.date) else text


def _write_check(ctx: EffectContext) -> None:
    result = CheckResult(ctx.data["result"])
    rectification = _rectification(ctx)
    _record(ctx, SafetyRecordKind.CHECK, ctx.data["checked_on"],
            f"{result.label}:{ctx.data['findings']}" + (f";整改:{rectification}"
                                                         if rectification else ""))


# the date checked may not lie in the future (max=TODAY); the rectification a finding of
# problems needs is required by its field (required_if)
RECORD_CHECK = effect("safety.record_safety_check", apply=_write_check)


def safety_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = SafetyProductionRecord.objects.filter(region=region).order_by("on", "pk")
    for r in qs.iterator(2000):
        yield (r.on, r.get_kind_display(), r.summary,
               "" if r.participants is None else r.participants, r.recorded_by)
