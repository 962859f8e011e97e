"""10(1) and 10(4) effects: the emergency / fire incident log, report times compared with
the incident's time against named limits, response, aftermath and lessons.

The refusals are in the ``check`` of each effect (or the fields' bounds) and the log is
written by its ``apply``, from the incident row the check locked (``ctx.scratch``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.models import Region
from safety.choices import EmergencyKind, IncidentCategory, IncidentStage, InstructionStatus
from safety.effects.common import InForce, locked
from safety.models import Incident
from safety.rules import (
    EMERGENCY_CODE,
    EMERGENCY_REPORT_HOURS,
    FIRE_CALL_MINUTES,
    FIRE_REPORT_HOURS,
)
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.messages import Quantity, Text, spec_text


def _find(ctx: EffectContext) -> None:
    ctx.scratch["incident"] = locked(Incident.objects.filter(case=ctx.case), _("事件"))


def _incident(ctx: EffectContext) -> Incident:
    incident: Incident = ctx.scratch["incident"]
    return incident


def _late(ctx: EffectContext, incident: Incident, at: dt.datetime, limit: dt.timedelta,
          what: str, key: str) -> bool:
    """Whether ``at`` came later than ``limit`` after the incident; when it did, an alert."""
    if at - incident.occurred_at <= limit:
        return False
    raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                message=Text(gettext_noop("{place}{location}{category}{when}发生,{at}才{what},"
                                          "超过规定时限(迟报)"),
                             place=ctx.case.region.name, location=incident.location,
                             category=spec_text(incident.get_category_display()),
                             when=incident.occurred_at, at=at, what=spec_text(what)),
                key=f"{key}:{incident.pk}")
    return True


# --- 10(1) -------------------------------------------------------------------------------

def _write_emergency(ctx: EffectContext) -> None:
    Incident.objects.create(
        region=ctx.case.region, case=ctx.case, category=IncidentCategory.EMERGENCY,
        kind=str(EmergencyKind(ctx.data["kind"]).label), occurred_at=ctx.data["occurred_at"],
        registered_at=ctx.at, location=ctx.data["location"],
        description=ctx.data["description"], plan_activated=bool(ctx.data["plan_activated"]),
    )


# the time of the incident may not lie in the future: the field's bound (max=TODAY)
REGISTER_EMERGENCY = effect("safety.register_emergency", apply=_write_emergency)


def _check_report(ctx: EffectContext) -> None:
    _find(ctx)
    dates.not_before(ctx.data["reported_at"], _incident(ctx).occurred_at, field="reported_at",
                     label=_("上报时间"), start_label=_("发生时间"))


def _report(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    reported: dt.datetime = ctx.data["reported_at"]
    hours = int(ctx.param(EMERGENCY_REPORT_HOURS))
    incident.reported_at = reported
    incident.reported_to = ctx.data["reported_to"]
    incident.stage = IncidentStage.REPORTED
    incident.late_report = _late(ctx, incident, reported, dt.timedelta(hours=hours),
                                 gettext_noop("上报镇(街道)"), "emergency-late")
    incident.save(update_fields=["reported_at", "reported_to", "stage", "late_report"])


REPORT_EMERGENCY = effect("safety.report_emergency", check=_check_report, apply=_report)


def _check_instruction(ctx: EffectContext) -> None:
    """An instruction is received after the event, not in the future (the field's max)."""
    _find(ctx)
    received = ctx.data.get("instructed_at")
    if received is not None:
        dates.not_before(received, _incident(ctx).occurred_at, field="instructed_at",
                         label=_("收到指示时间"), start_label=_("发生时间"))


def _add_instruction(ctx: EffectContext, incident: Incident) -> None:
    """One more line of the instructions the village received and relayed (the log keeps
    every one, in the order they came)."""
    line = (f"{dates.moment_text(ctx.data['instructed_at'])} {ctx.data['instructed_by']}:"
            f"{ctx.data['instructions']}(已传达:{ctx.data['relayed_to']})")
    incident.instructions = "\n".join(x for x in (incident.instructions, line) if x)


def _relay(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    if InstructionStatus(ctx.data["received"]) == InstructionStatus.RECEIVED:
        _add_instruction(ctx, incident)
    else:
        line = f"{dates.moment_text(ctx.at)} 尚未收到上级指示,按应急预案先行处置"
        incident.instructions = "\n".join(x for x in (incident.instructions, line) if x)
    incident.stage = IncidentStage.RESPONDING
    incident.save(update_fields=["instructions", "stage"])


RELAY_INSTRUCTIONS = effect("safety.relay_emergency_instructions", check=_check_instruction,
                            apply=_relay)


def _record_instruction(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    _add_instruction(ctx, incident)
    incident.save(update_fields=["instructions"])


RECORD_INSTRUCTION = effect("safety.record_emergency_instruction", check=_check_instruction,
                            apply=_record_instruction)


def _feedback(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    to = ctx.data.get("fed_back_to", "")
    incident.response = f"反馈意见:{ctx.data['feedback']}" + (f"(已报送:{to})" if to else "")
    incident.save(update_fields=["response"])


RECORD_FEEDBACK = effect("safety.record_emergency_feedback", check=_find, apply=_feedback)


def _lines(data: dict[str, Any], labels: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"{label}:{data[name]}" for name, label in labels
                     if str(data.get(name, "")).strip())


RESPONSE_LABELS = (("handling", "应急处置"), ("public_info", "舆情发布"),
                   ("logistics", "后勤保障"), ("medical", "医疗救治"), ("disputes", "矛盾化解"))
AFTERMATH_LABELS = (("relief", "善后处理"), ("investigation", "调查评估"),
                    ("follow_up", "后续处置"))
RESCUE_LABELS = (("cordon", "现场警戒"), ("volunteer_team", "义务消防队"),
                 ("professional", "专业救援"), ("evacuation", "人员撤离"))


def _response(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.response = "\n".join(
        x for x in (_lines(ctx.data, RESPONSE_LABELS), incident.response) if x)
    incident.stage = IncidentStage.AFTERMATH
    incident.save(update_fields=["response", "stage"])


RECORD_RESPONSE = effect("safety.record_emergency_response", check=_find, apply=_response)


def _aftermath(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.aftermath = _lines(ctx.data, AFTERMATH_LABELS)
    incident.save(update_fields=["aftermath"])


RECORD_AFTERMATH = effect("safety.record_emergency_aftermath", check=_find, apply=_aftermath)


def _close_emergency(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.lessons = ctx.data["lessons"]
    incident.accountability = ctx.data.get("rectification", "")
    incident.stage = IncidentStage.CLOSED
    incident.closed_at = ctx.at
    incident.save(update_fields=["lessons", "accountability", "stage", "closed_at"])


CLOSE_EMERGENCY = effect("safety.close_emergency", check=_find, apply=_close_emergency)


def check_unreported_emergencies(now: dt.datetime) -> int:
    """An emergency still not reported to the township after the limit raises an alert."""
    hours_in_force = InForce(EMERGENCY_CODE, EMERGENCY_REPORT_HOURS)
    sent = 0
    qs = Incident.objects.filter(category=IncidentCategory.EMERGENCY, reported_at__isnull=True)
    for incident in qs.select_related("region", "case"):
        hours = hours_in_force(incident.region)
        if now - incident.occurred_at <= dt.timedelta(hours=hours):
            continue
        alert = raise_alert(kind=AlertKind.LATE_REPORT, case=incident.case,
                            message=Text(gettext_noop("{place}{location}突发事件{when}发生,"
                                                      "超过{hours}仍未上报镇(街道)(漏报)"),
                                         place=incident.region.name,
                                         location=incident.location,
                                         when=incident.occurred_at,
                                         hours=Quantity(hours, "hours")),
                            key=f"emergency-unreported:{incident.pk}")
        sent += int(alert is not None)
    return sent


# --- 10(4) -------------------------------------------------------------------------------

def _write_fire(ctx: EffectContext) -> None:
    started: dt.datetime = ctx.data["started_at"]
    called: dt.datetime = ctx.data["call_119_at"]
    reported: dt.datetime = ctx.data["reported_at"]
    incident = Incident.objects.create(
        region=ctx.case.region, case=ctx.case, category=IncidentCategory.FIRE, kind="火灾",
        occurred_at=started, registered_at=ctx.at, location=ctx.data["location"],
        description=ctx.data["description"], plan_activated=bool(ctx.data["plan_activated"]),
        call_119_at=called, reported_at=reported, reported_to=ctx.data["reported_to"],
        stage=IncidentStage.REPORTED,
    )
    minutes = int(ctx.param(FIRE_CALL_MINUTES))
    hours = int(ctx.param(FIRE_REPORT_HOURS))
    late_call = _late(ctx, incident, called, dt.timedelta(minutes=minutes),
                      gettext_noop("拨打119"), "fire-late-119")
    late_report = _late(ctx, incident, reported, dt.timedelta(hours=hours),
                        gettext_noop("报告上级"), "fire-late-report")
    if late_call or late_report:
        incident.late_report = True
        incident.save(update_fields=["late_report"])


# the times may not lie in the future (max=TODAY) nor before the fire (after="started_at"):
# the fields' bounds; lateness is an alert, not a refusal
REGISTER_FIRE = effect("safety.register_fire", apply=_write_fire)


def _rescue(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    rescued = f"解救被困和受伤人员{ctx.data['rescued']}人"
    incident.response = "\n".join((rescued, _lines(ctx.data, RESCUE_LABELS)))
    incident.stage = IncidentStage.RESPONDING
    incident.save(update_fields=["response", "stage"])


RECORD_RESCUE = effect("safety.record_fire_rescue", check=_find, apply=_rescue)


def _count(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.people_counted = ctx.data["people_counted"]
    incident.injured = ctx.data["injured"]
    incident.deaths = ctx.data["deaths"]
    incident.save(update_fields=["people_counted", "injured", "deaths"])


COUNT_PEOPLE = effect("safety.count_fire_people", check=_find, apply=_count)


def _losses(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.losses = f"直接经济损失{ctx.data['direct_loss']}元;{ctx.data['description']}"[:200]
    incident.stage = IncidentStage.AFTERMATH
    incident.save(update_fields=["losses", "stage"])


TALLY_LOSSES = effect("safety.tally_fire_losses", check=_find, apply=_losses)


def _accountability(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.accountability = ctx.data["accountability"]
    incident.lessons = ctx.data["lessons"]
    incident.save(update_fields=["accountability", "lessons"])


RECORD_ACCOUNTABILITY = effect("safety.record_fire_accountability", check=_find,
                               apply=_accountability)


def _close_fire(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.stage = IncidentStage.CLOSED
    incident.closed_at = ctx.at
    incident.save(update_fields=["stage", "closed_at"])


CLOSE_FIRE = effect("safety.close_fire", check=_find, apply=_close_fire)


def incident_rows(category: IncidentCategory) -> Any:
    def rows(region: Region) -> Iterable[Sequence[Any]]:
        # times as datetimes and 迟报 as a boolean: the PDF prints them in the reader's
        # language, the Excel sheet keeps dates it can sort and filter
        qs = Incident.objects.filter(region=region, category=category).order_by("occurred_at")
        for i in qs.iterator(2000):
            row: list[Any] = [i.occurred_at, i.kind, i.location, i.description]
            if category == IncidentCategory.FIRE:
                row.append(i.call_119_at)
            row += [i.reported_at, i.late_report]
            if category == IncidentCategory.EMERGENCY:
                row.append(i.instructions)
            row += [i.get_stage_display(), i.response]
            if category == IncidentCategory.FIRE:
                row += [i.people_counted, i.injured, i.deaths, i.losses, i.accountability]
            else:
                row += [i.aftermath]
            yield [*row, i.lessons]

    return rows
