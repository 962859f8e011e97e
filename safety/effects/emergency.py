"""10(1) and 10(4) effects: the emergency / fire incident log, report times compared with
the incident's time against named limits, response, aftermath and lessons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from core.errors import RuleError
from core.models import Region
from safety.choices import EmergencyKind, IncidentCategory, IncidentStage
from safety.effects.common import local, not_before, param, past_moment
from safety.models import Incident
from safety.rules import EMERGENCY_REPORT_HOURS, FIRE_CALL_MINUTES, FIRE_REPORT_HOURS
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext


def _incident(ctx: EffectContext) -> Incident:
    incident = Incident.objects.select_for_update().filter(case=ctx.case).first()
    if incident is None:
        raise RuleError("not_registered", "该事件尚未登记。")
    return incident


def _late(ctx: EffectContext, incident: Incident, at: dt.datetime, limit: dt.timedelta,
          what: str, key: str) -> bool:
    if at - incident.occurred_at <= limit:
        return False
    raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                message=f"{ctx.case.region.name}{incident.location}"
                        f"{incident.get_category_display()}{local(incident.occurred_at)}发生,"
                        f"{local(at)}才{what},超过规定时限(迟报)",
                key=f"{key}:{incident.pk}")
    return True


# --- 10(1) -------------------------------------------------------------------------------

def register_emergency(ctx: EffectContext) -> None:
    occurred = past_moment(ctx.data, "occurred_at", "发生时间")
    Incident.objects.create(
        region=ctx.case.region, case=ctx.case, category=IncidentCategory.EMERGENCY,
        kind=str(EmergencyKind(ctx.data["kind"]).label), occurred_at=occurred,
        registered_at=ctx.event.at, location=ctx.data["location"],
        description=ctx.data["description"], plan_activated=bool(ctx.data["plan_activated"]),
    )


def report_emergency(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    reported = past_moment(ctx.data, "reported_at", "上报镇(街道)时间")
    not_before(reported, incident.occurred_at, "reported_at", "上报时间", "发生时间")
    hours = param(ctx.case.procedure, EMERGENCY_REPORT_HOURS, ctx.case.region)
    incident.reported_at = reported
    incident.reported_to = ctx.data["reported_to"]
    incident.stage = IncidentStage.REPORTED
    incident.late_report = _late(ctx, incident, reported, dt.timedelta(hours=hours),
                                 "上报镇(街道)", "emergency-late")
    incident.save(update_fields=["reported_at", "reported_to", "stage", "late_report"])


def advance(stage: IncidentStage) -> Any:
    def effect(ctx: EffectContext) -> None:
        incident = _incident(ctx)
        incident.stage = stage
        incident.save(update_fields=["stage"])

    effect.__name__ = f"advance_to_{stage.value}"
    return effect


def _lines(data: dict[str, Any], labels: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"{label}:{data[name]}" for name, label in labels
                     if str(data.get(name, "")).strip())


RESPONSE_LABELS = (("handling", "应急处置"), ("public_info", "舆情发布"),
                   ("logistics", "后勤保障"), ("medical", "医疗救治"), ("disputes", "矛盾化解"),
                   ("feedback", "反馈意见"))
AFTERMATH_LABELS = (("relief", "善后处理"), ("investigation", "调查评估"),
                    ("follow_up", "后续处置"))
RESCUE_LABELS = (("cordon", "现场警戒"), ("volunteer_team", "义务消防队"),
                 ("professional", "专业救援"), ("evacuation", "人员撤离"))


def record_response(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.response = _lines(ctx.data, RESPONSE_LABELS)
    incident.stage = IncidentStage.AFTERMATH
    incident.save(update_fields=["response", "stage"])


def record_aftermath(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.aftermath = _lines(ctx.data, AFTERMATH_LABELS)
    incident.save(update_fields=["aftermath"])


def close_emergency(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.lessons = ctx.data["lessons"]
    incident.accountability = ctx.data.get("rectification", "")
    incident.stage = IncidentStage.CLOSED
    incident.closed_at = ctx.event.at
    incident.save(update_fields=["lessons", "accountability", "stage", "closed_at"])


def check_unreported_emergencies(now: dt.datetime) -> int:
    """An emergency still not reported to the township after the limit raises an alert."""
    from safety.procedures.emergency import EMERGENCY
    from workflows import params as tenant_params

    sent = 0
    qs = Incident.objects.filter(category=IncidentCategory.EMERGENCY, reported_at__isnull=True)
    for incident in qs.select_related("region", "case"):
        hours = int(tenant_params.effective(EMERGENCY, EMERGENCY_REPORT_HOURS, incident.region))
        if now - incident.occurred_at <= dt.timedelta(hours=hours):
            continue
        alert = raise_alert(kind=AlertKind.LATE_REPORT, case=incident.case,
                            message=f"{incident.region.name}{incident.location}突发事件"
                                    f"{local(incident.occurred_at)}发生,超过{hours}小时"
                                    "仍未上报镇(街道)(漏报)",
                            key=f"emergency-unreported:{incident.pk}")
        sent += int(alert is not None)
    return sent


# --- 10(4) -------------------------------------------------------------------------------

def register_fire(ctx: EffectContext) -> None:
    started = past_moment(ctx.data, "started_at", "起火时间")
    called = past_moment(ctx.data, "call_119_at", "拨打119时间")
    reported = past_moment(ctx.data, "reported_at", "报告上级时间")
    not_before(called, started, "call_119_at", "拨打119时间", "起火时间")
    not_before(reported, started, "reported_at", "报告上级时间", "起火时间")
    incident = Incident.objects.create(
        region=ctx.case.region, case=ctx.case, category=IncidentCategory.FIRE, kind="火灾",
        occurred_at=started, registered_at=ctx.event.at, location=ctx.data["location"],
        description=ctx.data["description"], plan_activated=bool(ctx.data["plan_activated"]),
        call_119_at=called, reported_at=reported, reported_to=ctx.data["reported_to"],
        stage=IncidentStage.REPORTED,
    )
    region = ctx.case.region
    minutes = param(ctx.case.procedure, FIRE_CALL_MINUTES, region)
    hours = param(ctx.case.procedure, FIRE_REPORT_HOURS, region)
    late_call = _late(ctx, incident, called, dt.timedelta(minutes=minutes), "拨打119",
                      "fire-late-119")
    late_report = _late(ctx, incident, reported, dt.timedelta(hours=hours), "报告上级",
                        "fire-late-report")
    if late_call or late_report:
        incident.late_report = True
        incident.save(update_fields=["late_report"])


def record_rescue(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    rescued = f"解救被困和受伤人员{ctx.data['rescued']}人"
    incident.response = "\n".join((rescued, _lines(ctx.data, RESCUE_LABELS)))
    incident.stage = IncidentStage.RESPONDING
    incident.save(update_fields=["response", "stage"])


def count_people(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.people_counted = int(ctx.data["people_counted"])
    incident.injured = int(ctx.data["injured"])
    incident.deaths = int(ctx.data["deaths"])
    incident.save(update_fields=["people_counted", "injured", "deaths"])


def tally_losses(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.losses = f"直接经济损失{ctx.data['direct_loss']}元;{ctx.data['description']}"[:200]
    incident.stage = IncidentStage.AFTERMATH
    incident.save(update_fields=["losses", "stage"])


def record_accountability(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.accountability = ctx.data["accountability"]
    incident.lessons = ctx.data["lessons"]
    incident.save(update_fields=["accountability", "lessons"])


def close_fire(ctx: EffectContext) -> None:
    incident = _incident(ctx)
    incident.stage = IncidentStage.CLOSED
    incident.closed_at = ctx.event.at
    incident.save(update_fields=["stage", "closed_at"])


def incident_rows(category: IncidentCategory) -> Any:
    def rows(region: Region) -> Iterable[Sequence[Any]]:
        def at(value: dt.datetime | None) -> str:
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

        qs = Incident.objects.filter(region=region, category=category).order_by("occurred_at")
        for i in qs.iterator(2000):
            row: list[Any] = [at(i.occurred_at), i.kind, i.location, i.description]
            if category == IncidentCategory.FIRE:
                row.append(at(i.call_119_at))
            row += [at(i.reported_at), "是" if i.late_report else "否",
                    i.get_stage_display(), i.response]
            if category == IncidentCategory.FIRE:
                row += ["" if i.people_counted is None else i.people_counted,
                        "" if i.injured is None else i.injured,
                        "" if i.deaths is None else i.deaths, i.losses, i.accountability]
            else:
                row += [i.aftermath]
            yield [*row, i.lessons]

    return rows
