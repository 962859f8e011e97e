"""Turning specs, cases and their parts into the JSON of contract 5."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import dates
from core.roles import Level, Role
from workflows import params as tenant_params
from workflows.acting import Offer, available_actions, can_return, can_withdraw
from workflows.attachments import ALLOWED_TYPES
from workflows.choices import CaseState, EventAction, NoticeState, TaskState
from workflows.fields import (
    MAX_DECIMAL,
    MAX_INTEGER,
    MAX_ROWS,
    MAX_STRING,
    MAX_TEXT,
    integer_bound,
    recorded_choices,
    ref_choices,
    user_choices,
)
from workflows.meetings import ratios
from workflows.models import Case, CaseEvent, Notification, Task
from workflows.proposals import proposal
from workflows.rolls import compute_roll
from workflows.spec import (
    TODAY,
    ActionSpec,
    FieldSpec,
    FieldType,
    Format,
    Kind,
    MeetingRule,
    Param,
    ProcedureSpec,
    RiskKind,
)
from workflows.spec import field as make_field

# a ref field with more choices than this sends ``choices_url`` instead of its ``choices``
CHOICES_INLINE = 50


def iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def procedure_json(spec: ProcedureSpec,
                   values: Mapping[str, int | Fraction] | None = None) -> dict[str, Any]:
    """A procedure's seven fields, steps and numbers; ``values``: the tenant's numbers in
    force (the risk texts and ``params`` state them), the spec's defaults otherwise."""
    values = values or {}
    return {
        "code": spec.code,
        "name": spec.name,
        "category": spec.category,
        "version": spec.version,
        "summary": spec.fill(spec.summary, values),
        "title_example": spec.title_example,
        "guiding_units": list(spec.guiding_units),
        "supervisor": spec.supervisor,
        "risks": [{"risk": r.text, "control": r.control, "kind": r.kind}
                  for r in spec.risks_in_force(values)],
        "measures": [spec.fill(m, values) for m in spec.measures],
        "steps": [
            {
                "code": s.code,
                "name": s.name,
                "roles": [str(r) for r in s.roles],
                "role_labels": [Role(r).label for r in s.roles],
                "level": str(s.level),
                "description": spec.fill(s.description, values),
                "stage": s.stage,
            }
            for s in spec.steps
        ],
        "params": [tenant_params.param_json(p, values.get(name))
                   for name, p in sorted(spec.all_params().items())],
    }


def _number(value: Any) -> int | float:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _date_bound(fs: FieldSpec, bound: Any) -> str:
    """A date, date-time or month bound as the ISO value it stands for now (TODAY: today,
    now, this month)."""
    if bound != TODAY:
        return str(bound)
    if fs.type == FieldType.DATE:
        return dates.today().isoformat()
    if fs.type == FieldType.MONTH:
        return f"{dates.today():%Y-%m}"
    return timezone.localtime(timezone.now()).replace(microsecond=0).isoformat()


def rule_roll_json(rule: MeetingRule, case: Case, values: Mapping[str, int | Fraction],
                   narrow: str = "") -> dict[str, Any]:
    """The roll of a meeting rule for the case's village today, with how it is judged (the
    tenant's ratios ``values`` in force)."""
    roll = compute_roll(rule.roll, case.region, dates.today(), narrow).as_json()
    q_ratio, p_ratio = ratios(rule, values)
    roll["votes"] = rule.votes
    roll["quorum_rule"] = rule.quorum.describe(q_ratio)
    if rule.votes:
        roll["pass_rule"] = rule.pass_line.describe(p_ratio)
    return roll


def meeting_json(fs: FieldSpec, action: ActionSpec | None, case: Case) -> dict[str, Any]:
    """A meeting field's ``roll`` (contract 5): computed by the portal for the case's village
    today; when the rule or the roll depends on another field's value (which body decides,
    which party group met), ``roll_by`` gives the roll for each of its values. ``held_at``:
    the earliest (the step's opening) and latest (now) time the meeting may be dated."""
    out: dict[str, Any] = {}
    opened = (Task.objects.filter(case=case, step=case.current_step, state=TaskState.OPEN)
              .values_list("opened_at", flat=True).first())
    out["held_at"] = {"max": timezone.localtime(timezone.now()).replace(microsecond=0)
                      .isoformat()}
    if opened is not None:
        out["held_at"]["min"] = timezone.localtime(opened).replace(microsecond=0).isoformat()
    if action is None or not action.meeting_rules():
        return out
    spec = case.spec
    values = tenant_params.effective_all(spec, case.region) if spec else {}
    if action.meeting_by is not None:
        rolls = {value: rule_roll_json(rule, case, values) for value, rule in
                 action.meeting_by.rules.items() if rule.field == fs.name}
        out["roll_by"] = {"field": action.meeting_by.field, "rolls": rolls}
        return out
    rule = action.meeting
    if rule is None or rule.field != fs.name:
        return out
    if rule.roll_by is not None:
        chooser = next((f for f in action.fields if f.name == rule.roll_by),
                       make_field(rule.roll_by, rule.roll_by))
        chosen = ([c.value for c in ref_choices(chooser, case.region)]
                  if chooser.type == FieldType.REF else [c.value for c in chooser.choices])
        out["roll_by"] = {"field": rule.roll_by,
                          "rolls": {v: rule_roll_json(rule, case, values, v) for v in chosen}}
        return out
    out["roll"] = rule_roll_json(rule, case, values)
    return out


def _case_params(case: Case) -> Mapping[str, int | Fraction]:
    """The numbers in force for the case's village (a bound of a field may be one)."""
    spec = case.spec
    return tenant_params.effective_all(spec, case.region) if spec is not None else {}


def field_json(fs: FieldSpec, case: Case, action: ActionSpec | None = None, *,
               path: str = "") -> dict[str, Any]:
    """What a client needs to send a value the gate accepts (contract 5, "Field schema"):
    the bounds are those ``workflows.fields`` checks, defaults included."""
    if fs.choices_from:
        fs = recorded_choices(fs, case.data)
    out: dict[str, Any] = {"name": fs.name, "label": fs.label, "type": str(fs.type),
                           "required": fs.required}
    if fs.help:
        out["help"] = fs.help
    if fs.required_if is not None:
        out["required_if"] = {"field": fs.required_if.field, "equals": fs.required_if.equals}
        if fs.required_if.any_of:  # required for any of several values
            out["required_if"]["in"] = [fs.required_if.equals, *fs.required_if.any_of]
    t = fs.type
    if t in (FieldType.STRING, FieldType.TEXT):
        out["max_length"] = fs.max_length or (MAX_TEXT if t == FieldType.TEXT else MAX_STRING)
        if fs.format is not None:
            out["format"] = str(fs.format)
        if fs.pattern:
            out["pattern"] = fs.pattern
    elif t == FieldType.INTEGER:
        bounds = _case_params(case) if isinstance(fs.min, Param) or isinstance(fs.max, Param) \
            else None
        low, high = integer_bound(fs.min, bounds), integer_bound(fs.max, bounds)
        out["min"] = 0 if low is None else low
        out["max"] = MAX_INTEGER if high is None else high
    elif t == FieldType.DECIMAL:
        out["min"] = 0 if fs.min is None else _number(fs.min)
        out["max"] = _number(MAX_DECIMAL if fs.max is None else fs.max)
    elif t in (FieldType.DATE, FieldType.DATETIME, FieldType.MONTH):
        if fs.min is not None:
            out["min"] = _date_bound(fs, fs.min)
        if fs.max is not None:
            out["max"] = _date_bound(fs, fs.max)
        if fs.after and t != FieldType.MONTH:
            out["after"] = fs.after
    elif t in (FieldType.CHOICE, FieldType.MULTICHOICE):
        out["choices"] = [{"value": c.value, "label": c.label} for c in fs.choices]
        if t == FieldType.MULTICHOICE:
            out["min_items"] = fs.min_items or 0
            out["max_items"] = fs.max_items or len(fs.choices)
    elif t == FieldType.USER:
        out["choices"] = [{"value": v, "label": lbl} for v, lbl in user_choices(fs, case.region)]
    elif t == FieldType.REF:
        out["ref"] = fs.ref or ""
        choices = ref_choices(fs, case.region)
        if len(choices) > CHOICES_INLINE and action is not None:
            out["choices_url"] = reverse("api-case-choices",
                                         args=[case.pk, action.code, f"{path}{fs.name}"])
        else:
            out["choices"] = [{"value": c.value, "label": c.label} for c in choices]
    elif t == FieldType.TABLE:
        out["columns"] = [field_json(column, case, action, path=f"{fs.name}.")
                          for column in fs.columns]
        out["min_rows"] = fs.min_rows or 0
        out["max_rows"] = fs.max_rows or MAX_ROWS
    elif t == FieldType.FILE:
        out["accept"] = list(fs.accept or ALLOWED_TYPES)
        out["max_bytes"] = fs.max_bytes or settings.ATTACHMENT_MAX_BYTES
    elif t == FieldType.MEETING:
        out.update(meeting_json(fs, action, case))
    if fs.default_from:
        proposed = proposal(fs.default_from, case)
        if proposed is not None:
            out["default"] = proposed
    return out


def actions_json(user: Any, case: Case) -> list[dict[str, Any]]:
    offers: list[Offer] = available_actions(user, case)
    out = [
        {
            "code": o.action.code,
            "name": o.action.name,
            "kind": str(o.action.kind),
            "role": str(o.role),
            "fields": [field_json(fs, case, o.action) for fs in o.action.fields],
        }
        for o in offers
    ]
    spec = case.spec
    backs = can_return(user, case)
    if backs and spec is not None:
        out.append({
            "code": "return", "name": str(EventAction.RETURN.label), "kind": "return",
            "role": "",
            "fields": [{
                "name": "step", "label": _("退回到"), "type": "choice", "required": True,
                "choices": [{"value": b, "label": spec.step(b).name} for b in backs],
            }],
        })
    if can_withdraw(user, case):
        out.append({"code": "withdraw", "name": str(EventAction.WITHDRAW.label),
                    "kind": "withdraw", "role": "",
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


def event_json(e: CaseEvent) -> dict[str, Any]:
    """One event of a case as the API shows it (``CaseEventSerializer``)."""
    return {
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
    data["events"] = [event_json(e) for e in case.events.all()]
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


# --- the OpenAPI schema of these answers ------------------------------------------------------
#
# The functions above build the JSON; the serializers below describe it for drf-spectacular
# (tests/workflows/test_openapi.py validates live answers against them). Only
# NotificationSerializer and the request serializers also do work in the views.

# value lists of the enums (named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])
ACTION_KINDS = [*(str(k) for k in Kind), "return", "withdraw"]
FIELD_TYPES = [str(t) for t in FieldType]
RISK_KINDS = [str(k) for k in RiskKind]
FIELD_FORMATS = [str(f) for f in Format]
EXPORT_FORMATS = {"pdf": "application/pdf",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}],
                      "description": "整数、小数字段为数字;日期、时间字段为 ISO 8601 值"})
class BoundField(serializers.JSONField):
    """``min``/``max`` of a field: a number, or an ISO date or date-time."""


class RiskSerializer(serializers.Serializer[Any]):
    risk = serializers.CharField(help_text="廉政风险点")
    control = serializers.CharField(help_text="防控措施(平台如何落实)")
    kind = serializers.ChoiceField(choices=RISK_KINDS,
                                   help_text="enforced: 平台拒绝; alert: 提示监督委员会")


class ProcedureStepSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="角色代码(约定6)")
    role_labels = serializers.ListField(child=serializers.CharField())
    level = serializers.ChoiceField(choices=Level.choices)
    description = serializers.CharField(allow_blank=True,
                                        help_text="环节说明(数字为用户所在地现行取值)")
    stage = serializers.CharField(allow_blank=True,
                                  help_text="所属阶段(如 01.1 的五个阶段);不分阶段的事项为空")


@extend_schema_field({"nullable": True,
                      "description": "上限(比例为“分子/分母”);无上限时为 null"})
class CeilingField(serializers.JSONField):
    """A number's ceiling: none for a window or a quorum that may grow without bound."""


class ParamBasisSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["law", "model_text", "local"],
                                   help_text="law: 法规依据; model_text: 示范文本; local: 本地设定")
    label = serializers.CharField()  # type: ignore[assignment]
    text = serializers.CharField(help_text="法规及条款、示范文本原文,或本地设定的说明")


class ParamSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = BoundField(help_text="在用户所在地生效的取值(比例为“分子/分母”字符串)")
    text = serializers.CharField(help_text="取值及单位,如“7天”“1/2”")
    default = BoundField()
    floor = BoundField()
    ceiling = CeilingField(allow_null=True)
    unit = serializers.ChoiceField(choices=["days", "working_days", "months", "ratio", "count"])
    stricter = serializers.ChoiceField(choices=["lower", "higher"],
                                       help_text="本地只能向更严的方向调整:lower 为改小更严")
    basis = ParamBasisSerializer()


class ProcedureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="事项编号,如 01.1、03.2、10.4(约定1)")
    name = serializers.CharField()
    category = serializers.CharField()
    version = serializers.IntegerField(min_value=1)
    summary = serializers.CharField(allow_blank=True)
    title_example = serializers.CharField(allow_blank=True, help_text="一件事项的标题示例")
    guiding_units = serializers.ListField(child=serializers.CharField())
    supervisor = serializers.CharField()
    risks = RiskSerializer(many=True)
    measures = serializers.ListField(child=serializers.CharField())
    steps = ProcedureStepSerializer(many=True)
    params = ParamSerializer(many=True, help_text="本事项的每一个数字及其依据")


class CaseSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    procedure = serializers.CharField()
    procedure_name = serializers.CharField(allow_blank=True)
    region = serializers.IntegerField(help_text="所属村(社区)的 id")
    region_name = serializers.CharField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=CaseState.choices)
    closed = serializers.BooleanField()
    current_step = serializers.CharField(allow_blank=True)
    current_step_name = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(allow_blank=True)
    opened_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class CaseTaskSerializer(serializers.Serializer[Any]):
    step = serializers.CharField()
    step_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    region = serializers.IntegerField(help_text="办理单位(村、镇或区)的 id")
    due_at = serializers.DateTimeField(allow_null=True)
    hard_due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()


class ChoiceSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class RequiredIfSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    equals = serializers.JSONField()
    # required for any of these values (``equals`` is the first of them)
    in_ = serializers.ListField(child=serializers.JSONField(), required=False)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["in"] = fields.pop("in_")
        return fields


class RollSerializer(serializers.Serializer[Any]):
    """Who is entitled to a meeting, computed by the portal from its rosters (today here;
    the gate computes it again for the day the meeting was held)."""

    body = serializers.CharField()
    due = serializers.IntegerField(min_value=0, help_text="应到(有表决权的)人数,不由客户端填写")
    source = serializers.CharField(help_text="计算依据,如“党员名册(2026-11-02):正式党员7名”")  # type: ignore[assignment]
    code = serializers.CharField(help_text="名册来源代码")
    day = serializers.DateField(help_text="名册所取的日期")
    unit = serializers.CharField(help_text="应到人数的单位:人或户")
    members = ChoiceSerializer(
        many=True, required=False,
        help_text="有名单时:有表决权的人员;attendees 取其中的 value(无名单时为人数统计,填 present)")
    non_voting = ChoiceSerializer(many=True, required=False,
                                  help_text="列席、无表决权的人员(如预备党员),也可列入 attendees")
    votes = serializers.BooleanField(help_text="false:无表决事项,不填 yes/no/abstain")
    quorum_rule = serializers.CharField(help_text="到会要求")
    pass_rule = serializers.CharField(required=False, help_text="通过要求")


class RollBySerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="决定会议(或名册范围)的字段")
    rolls = serializers.DictField(child=RollSerializer(), help_text="该字段每个取值对应的名册")


class HeldAtBoundsSerializer(serializers.Serializer[Any]):
    min = serializers.DateTimeField(required=False, help_text="不早于本环节开始办理的时间")
    max = serializers.DateTimeField(help_text="不晚于当前时间")


@extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/ActionField"},
                      "description": "表格的列(标量类型的字段)"})
class ColumnsField(serializers.ListField):
    """The columns of a table field: fields themselves (a recursive reference)."""


class ActionFieldSerializer(serializers.Serializer[Any]):
    """One field of an action: all a client needs to send a value the gate accepts."""

    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    type = serializers.ChoiceField(choices=FIELD_TYPES)
    required = serializers.BooleanField()  # type: ignore[assignment]
    help = serializers.CharField(required=False)
    required_if = RequiredIfSerializer(required=False)
    choices = ChoiceSerializer(many=True, required=False,
                               help_text="choice、multichoice、user、ref:此时此地可选的全部值")
    choices_url = serializers.CharField(
        required=False, help_text="ref:可选项很多时给出(不再列出 choices):GET 该地址得到同样的"
        "列表,?q= 按名称或拼音首字母筛选")
    ref = serializers.CharField(required=False, allow_blank=True,
                                help_text="ref:名册代码,如 party_member、household")
    accept = serializers.ListField(child=serializers.CharField(), required=False,
                                   help_text="file:接受的 MIME 类型(按内容判断)")
    max_bytes = serializers.IntegerField(required=False)
    max_length = serializers.IntegerField(required=False)
    format = serializers.ChoiceField(choices=FIELD_FORMATS, required=False)
    pattern = serializers.CharField(required=False)
    min = BoundField(required=False)
    max = BoundField(required=False)
    after = serializers.CharField(required=False,
                                  help_text="同一操作中另一日期字段的名称,本字段不得早于它")
    min_items = serializers.IntegerField(required=False)
    max_items = serializers.IntegerField(required=False)
    columns = ColumnsField(required=False)
    min_rows = serializers.IntegerField(required=False)
    max_rows = serializers.IntegerField(required=False)
    roll = RollSerializer(required=False, help_text="meeting:应到人员名册(系统计算)")
    roll_by = RollBySerializer(required=False,
                               help_text="meeting:名册取决于同一操作中另一字段的值时")
    held_at = HeldAtBoundsSerializer(required=False, help_text="meeting:召开时间的范围")
    default = serializers.JSONField(
        required=False, help_text="系统按本事项已有记录建议的值(如按整改措施逐条列出的行、"
        "按公示清册列出的发放明细、本月台账合计);可原样提交,仍按规则校验")


class CaseActionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ACTION_KINDS)
    role = serializers.CharField(allow_blank=True, help_text="以哪个角色办理(退回、撤回为空)")
    fields = ActionFieldSerializer(many=True)  # type: ignore[assignment]


class EventAttachmentSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(required=False)
    name = serializers.CharField(allow_blank=True)
    sha256 = serializers.CharField()


class CaseEventSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField()
    actor = serializers.CharField(allow_null=True, help_text="办理人的用户名")
    actor_name = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    action = serializers.CharField()
    action_name = serializers.CharField(allow_blank=True)
    from_step = serializers.CharField(allow_blank=True)
    to_step = serializers.CharField(allow_blank=True)
    data = serializers.DictField(help_text="本次办理记录的数据(按字段名)")  # type: ignore[assignment]
    comment = serializers.CharField(allow_blank=True)
    attachments = EventAttachmentSerializer(many=True)
    at = serializers.DateTimeField()
    hash = serializers.CharField()


class ObjectionSerializer(serializers.Serializer[Any]):
    content = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class PublicityNoticeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    step = serializers.CharField()
    title = serializers.CharField()
    start = serializers.DateTimeField()
    earliest_end = serializers.DateTimeField()
    days = serializers.IntegerField()
    working_days = serializers.BooleanField()
    state = serializers.ChoiceField(choices=NoticeState.choices)
    location = serializers.CharField(allow_blank=True)
    objections = ObjectionSerializer(many=True)


class CaseAttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    field = serializers.CharField()
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    mime = serializers.CharField()
    url = serializers.CharField(help_text="下载地址(经可见性检查)")


class CaseSerializer(CaseSummarySerializer):
    tasks = CaseTaskSerializer(many=True, help_text="待办的环节")
    actions = CaseActionSerializer(many=True,
                                   help_text="当前用户此刻可以办理的操作,通常的下一步在前")
    events = CaseEventSerializer(many=True)
    publicity = PublicityNoticeSerializer(many=True)
    attachments = CaseAttachmentSerializer(many=True)


class NotificationReadSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    read = serializers.BooleanField()


class RegisterSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    procedure = serializers.CharField()
    region = serializers.IntegerField()
    region_name = serializers.CharField()
    pdf_url = serializers.CharField()
    xlsx_url = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False,
                                     style={"input_type": "password"})


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    """Every refusal of the API (contract 5); further keys may be added."""

    code = serializers.CharField(help_text="稳定的错误代码,如 not_found、publicity_open")
    detail = serializers.CharField(help_text="中文说明")
    field = serializers.CharField(required=False, help_text="出错的字段或参数")
    not_before = serializers.DateTimeField(required=False,
                                           help_text="太早时:最早可以办理的时间")
    errors = serializers.JSONField(  # type: ignore[assignment]
        required=False, help_text="逐项的问题(请求体整体有误时)")


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    read = serializers.SerializerMethodField()
    created_at = serializers.SerializerMethodField()
    # in the request's language (Accept-Language), from the stored template
    message = serializers.CharField(source="shown", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "case", "message", "created_at", "read"]

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_created_at(self, obj: Notification) -> str | None:
        return iso(obj.created_at)


class OpenCaseSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField(max_length=16, help_text="事项编号")
    region = serializers.IntegerField(min_value=1, max_value=2**63 - 1,
                                      help_text="案件所属的村(社区)的 id")
    title = serializers.CharField(max_length=200)


class ActionRequestSerializer(serializers.Serializer[Any]):
    """``POST /api/cases/{id}/actions/`` as JSON."""

    action = serializers.CharField(help_text="操作代码(actions[].code),或 return、withdraw")
    data = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="按字段名的取值;return 时为 {\"step\": …}")
    comment = serializers.CharField(required=False, allow_blank=True,
                                    help_text="意见;退回、撤回时为理由")
    step = serializers.CharField(required=False, allow_blank=True,
                                 help_text="办理时所见的当前环节;已被他人办理时答 409")


ACTION_MULTIPART_SCHEMA = {
    "type": "object",
    "description": "有文件字段时:data 为同样的 JSON(字符串),每个文件字段一个同名的文件部分。",
    "properties": {
        "action": {"type": "string"},
        "data": {"type": "string", "description": "JSON 对象(字符串)"},
        "comment": {"type": "string"},
        "step": {"type": "string"},
    },
    "required": ["action"],
    "additionalProperties": {"type": "string", "format": "binary"},
}
