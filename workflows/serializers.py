"""Turning specs, cases and their parts into the JSON of contract 5."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from core.roles import Role
from workflows.acting import Offer, available_actions, can_return, can_withdraw
from workflows.choices import CaseState
from workflows.fields import user_choices
from workflows.models import Case, Notification
from workflows.spec import FieldSpec, FieldType, ProcedureSpec


def iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def procedure_json(spec: ProcedureSpec) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "category": spec.category,
        "version": spec.version,
        "summary": spec.summary,
        "guiding_units": list(spec.guiding_units),
        "supervisor": spec.supervisor,
        "risks": [{"risk": r.text, "control": r.control, "kind": r.kind} for r in spec.risks],
        "measures": list(spec.measures),
        "steps": [
            {
                "code": s.code,
                "name": s.name,
                "roles": [str(r) for r in s.roles],
                "role_labels": [Role(r).label for r in s.roles],
                "level": str(s.level),
            }
            for s in spec.steps
        ],
    }


def field_json(fs: FieldSpec, case: Case) -> dict[str, Any]:
    out: dict[str, Any] = {"name": fs.name, "label": fs.label, "type": str(fs.type),
                           "required": fs.required}
    if fs.help:
        out["help"] = fs.help
    if fs.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
        out["choices"] = [{"value": c.value, "label": c.label} for c in fs.choices]
    elif fs.type == FieldType.USER:
        out["choices"] = [{"value": v, "label": lbl} for v, lbl in user_choices(fs, case.region)]
    elif fs.type == FieldType.FILE:
        out["accept"] = list(fs.accept)
    return out


def actions_json(user: Any, case: Case) -> list[dict[str, Any]]:
    offers: list[Offer] = available_actions(user, case)
    out = [
        {
            "code": o.action.code,
            "name": o.action.name,
            "kind": str(o.action.kind),
            "role": str(o.role),
            "fields": [field_json(fs, case) for fs in o.action.fields],
        }
        for o in offers
    ]
    spec = case.spec
    backs = can_return(user, case)
    if backs:
        out.append({
            "code": "return", "name": "退回", "kind": "return", "role": "",
            "fields": [{
                "name": "step", "label": "退回到", "type": "choice", "required": True,
                "choices": [{"value": b, "label": spec.step(b).name} for b in backs],
            }],
        })
    if can_withdraw(user, case):
        out.append({"code": "withdraw", "name": "撤回", "kind": "withdraw", "role": "",
                    "fields": []})
    return out


def case_summary_json(case: Case) -> dict[str, Any]:
    spec = case.spec
    step_name = ""
    if spec is not None and case.current_step and spec.has_step(case.current_step):
        step_name = spec.step(case.current_step).name
    return {
        "id": case.pk,
        "procedure": case.procedure,
        "procedure_name": spec.name if spec else "",
        "region": case.region_id,
        "region_name": case.region.name,
        "title": case.title,
        "state": case.state,
        "closed": case.state != CaseState.OPEN,
        "current_step": case.current_step,
        "current_step_name": step_name,
        "outcome": case.outcome,
        "opened_at": iso(case.opened_at),
        "updated_at": iso(case.updated_at),
        "closed_at": iso(case.closed_at),
    }


def case_detail_json(user: Any, case: Case) -> dict[str, Any]:
    spec = case.spec
    data = case_summary_json(case)
    tasks = [t for t in case.tasks.all() if t.state == "open"]
    data["tasks"] = [
        {
            "step": t.step,
            "step_name": spec.step(t.step).name if spec and spec.has_step(t.step) else t.step,
            "roles": t.role_list,
            "region": t.region_id,
            "due_at": iso(t.due_at),
            "hard_due_at": iso(t.hard_due_at),
            "overdue": bool(t.due_at and t.due_at < timezone.now()),
        }
        for t in tasks
    ]
    data["actions"] = actions_json(user, case)
    data["events"] = [
        {
            "seq": e.seq,
            "actor": e.actor.username if e.actor else None,
            "actor_name": e.actor_name,
            "role": e.role,
            "action": e.action,
            "action_name": e.action_name,
            "from_step": e.from_step,
            "to_step": e.to_step,
            "data": e.data,
            "comment": e.comment,
            "attachments": e.attachments,
            "at": iso(e.at),
            "hash": e.hash,
        }
        for e in case.events.all()
    ]
    data["publicity"] = [
        {
            "id": n.pk,
            "step": n.step,
            "title": n.title,
            "start": iso(n.start),
            "earliest_end": iso(n.earliest_end),
            "days": n.days,
            "working_days": n.working_days,
            "state": n.state,
            "location": n.location,
            "objections": [
                {"content": o.content, "received_at": iso(o.received_at), "answer": o.answer,
                 "answered_at": iso(o.answered_at)}
                for o in n.objections.all()
            ],
        }
        for n in case.notices.all()
    ]
    data["attachments"] = [
        {"id": a.pk, "field": a.field, "name": a.original_name, "sha256": a.sha256,
         "size": a.size, "mime": a.mime, "url": reverse("workflows:attachment", args=[a.pk])}
        for a in case.attachment_set.all()
    ]
    return data


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    read = serializers.SerializerMethodField()
    created_at = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "case", "message", "created_at", "read"]

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None

    def get_created_at(self, obj: Notification) -> str | None:
        return iso(obj.created_at)


class OpenCaseSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField()
    region = serializers.IntegerField()
    title = serializers.CharField(max_length=200)


class ActionSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    data = serializers.JSONField(required=False)  # type: ignore[assignment]
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    step = serializers.CharField(required=False, allow_blank=True)
