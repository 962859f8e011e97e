"""Checking the data sent with an action against the step's typed fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core import dates
from core.errors import RuleError
from core.models import Membership, Region, User
from core.roles import Role
from workflows.attachments import CheckedFile, check_upload
from workflows.spec import TODAY, ActionSpec, FieldSpec, FieldType, ProcedureSpec

MAX_STRING = 200
MAX_TEXT = 10000


@dataclass
class CleanData:
    """The values as the event records them (JSON), and the checked uploads."""

    values: dict[str, Any]
    files: dict[str, tuple[UploadedFile, CheckedFile]]
    fields: Mapping[str, FieldSpec] = dc_field(default_factory=dict)

    @property
    def typed(self) -> dict[str, Any]:
        """The values as Python objects, as effects receive them."""
        return typed_values(self.fields, self.values)


def typed_value(fs: FieldSpec | None, stored: Any) -> Any:
    """A recorded (JSON) value as Python: ``date``, aware ``datetime``, ``Decimal``."""
    if fs is None or stored is None or stored == "":
        return stored
    try:
        if fs.type == FieldType.DATE and isinstance(stored, str):
            return dt.date.fromisoformat(stored)
        if fs.type == FieldType.DATETIME and isinstance(stored, str):
            return dt.datetime.fromisoformat(stored)
        if fs.type == FieldType.DECIMAL and isinstance(stored, str | int):
            return Decimal(str(stored))
    except (ValueError, InvalidOperation):
        return stored  # a record written before a type changed stays as it was
    return stored


def typed_values(fields: Mapping[str, FieldSpec], stored: Mapping[str, Any]) -> dict[str, Any]:
    return {name: typed_value(fields.get(name), value) for name, value in stored.items()}


def _missing(spec: FieldSpec) -> RuleError:
    if spec.type == FieldType.FILE:
        return RuleError("missing_attachment", f"请上传“{spec.label}”。", field=spec.name)
    return RuleError("missing_field", f"请填写“{spec.label}”。", field=spec.name)


def _invalid(spec: FieldSpec, why: str) -> RuleError:
    return RuleError("invalid_field", f"“{spec.label}”{why}", field=spec.name)


def user_choices(spec: FieldSpec, region: Region) -> list[tuple[str, str]]:
    """Users who may be chosen for a USER field: active holders of its roles in the village."""
    rows = Membership.objects.active().filter(region=region)
    if spec.user_roles:
        rows = rows.filter(role__in=[str(r) for r in spec.user_roles])
    seen: dict[int, str] = {}
    for user_id, name, username, role in rows.values_list(
        "user_id", "user__full_name", "user__username", "role"
    ).order_by("user__full_name", "user_id"):
        if user_id not in seen:
            seen[user_id] = f"{name or username}({Role(role).label})"
    return [(str(pk), label) for pk, label in seen.items()]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_meeting(spec: FieldSpec, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _invalid(spec, "应包含应到、实到、赞成、反对、弃权人数。")
    out: dict[str, Any] = {}
    labels = {"due": "应到", "present": "实到", "yes": "赞成", "no": "反对", "abstain": "弃权"}
    for key, label in labels.items():
        raw = value.get(key)
        if raw is None or raw == "":
            raise RuleError("missing_field", f"请填写“{spec.label}”的{label}人数。",
                            field=spec.name)
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise _invalid(spec, f"的{label}人数应为整数。")
        try:
            number = int(raw)
        except ValueError:
            raise _invalid(spec, f"的{label}人数应为整数。") from None
        if number < 0:
            raise _invalid(spec, f"的{label}人数不能为负数。")
        out[key] = number
    if out["due"] < 1:
        raise _invalid(spec, "的应到人数至少为1。")
    if out["present"] > out["due"]:
        raise _invalid(spec, "的实到人数不能多于应到人数。")
    if out["yes"] + out["no"] + out["abstain"] > out["present"]:
        raise _invalid(spec, "的赞成、反对、弃权人数之和不能多于实到人数。")
    for key in ("attendees", "minutes"):
        extra = value.get(key)
        if extra is None:
            continue
        if isinstance(extra, list):
            extra = [str(x)[:MAX_STRING] for x in extra][:2000]
        elif isinstance(extra, str):
            extra = extra[:MAX_TEXT]
        else:
            raise _invalid(spec, "的参会人员或会议记录格式不正确。")
        out[key] = extra
    return out


def _parse(parser: Any, value: Any) -> Any:
    """Django's date parsers: None for text that is no date, or names one that does not
    exist (``2026-02-30`` raises inside them)."""
    if not isinstance(value, str):
        return None
    try:
        return parser(value.strip())
    except ValueError:
        return None


def clean_value(spec: FieldSpec, value: Any, *, region: Region) -> Any:
    t = spec.type
    if t in (FieldType.STRING, FieldType.TEXT):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise _invalid(spec, "应为文字。")
        text = str(value).strip()
        limit = MAX_STRING if t == FieldType.STRING else MAX_TEXT
        if len(text) > limit:
            raise _invalid(spec, f"不能超过{limit}个字。")
        return text
    if t == FieldType.INTEGER:
        if isinstance(value, bool):
            raise _invalid(spec, "应为整数。")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise _invalid(spec, "应为整数。") from None
        if isinstance(value, float) and value != number:
            raise _invalid(spec, "应为整数。")
        if number < 0:
            raise _invalid(spec, "不能为负数。")
        return number
    if t == FieldType.DECIMAL:
        try:
            dec = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise _invalid(spec, "应为数字。") from None
        if not dec.is_finite() or dec < 0:
            raise _invalid(spec, "应为非负数字。")
        return str(dec.quantize(Decimal("0.01")))
    if t == FieldType.DATE:
        day = _parse(parse_date, value)
        if day is None:
            raise RuleError(dates.INVALID_DATE, f"“{spec.label}”应为存在的日期(如 2026-11-28)。",
                            field=spec.name)
        return day.isoformat()
    if t == FieldType.DATETIME:
        moment = _parse(parse_datetime, value)
        if moment is None:
            day = _parse(parse_date, value)
            if day is None:
                raise RuleError(dates.INVALID_DATE,
                                f"“{spec.label}”应为存在的日期时间(如 2026-11-28T09:30+08:00)。",
                                field=spec.name)
            moment = dt.datetime.combine(day, dt.time())
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    if t == FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "1", "on", "yes", "是"}:
            return True
        if isinstance(value, str) and value.lower() in {"false", "0", "off", "no", "否", ""}:
            return False
        raise _invalid(spec, "应为是或否。")
    if t == FieldType.CHOICE:
        allowed = {c.value for c in spec.choices}
        if str(value) not in allowed:
            raise _invalid(spec, "不是可选的值。")
        return str(value)
    if t == FieldType.MULTICHOICE:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise _invalid(spec, "应为多个可选值。")
        allowed = {c.value for c in spec.choices}
        picked = [str(v) for v in value]
        if any(v not in allowed for v in picked):
            raise _invalid(spec, "含有不可选的值。")
        return sorted(set(picked))
    if t == FieldType.USER:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise _invalid(spec, "应为本村(社区)的人员。") from None
        if str(pk) not in {v for v, _ in user_choices(spec, region)}:
            raise _invalid(spec, "应为本村(社区)符合条件的人员。")
        user = User.objects.get(pk=pk)
        return {"id": pk, "name": user.get_full_name()}
    if t == FieldType.MEETING:
        return clean_meeting(spec, value)
    raise _invalid(spec, "类型未知。")


def clean_data(
    action: ActionSpec,
    data: Mapping[str, Any] | None,
    files: Mapping[str, UploadedFile] | None,
    *,
    region: Region,
) -> CleanData:
    """Check ``data`` and ``files``; raise the first refusal, in field order."""
    data = data or {}
    files = files or {}
    if not isinstance(data, Mapping):
        raise RuleError("invalid", "data 应为对象(JSON object)。")
    known = {fs.name for fs in action.fields}
    unknown = sorted((set(data) | set(files)) - known)
    if unknown:
        raise RuleError("unknown_field", f"不认识的字段:{'、'.join(unknown)}。", field=unknown[0])
    values: dict[str, Any] = {}
    checked: dict[str, tuple[UploadedFile, CheckedFile]] = {}
    for spec in action.fields:
        if spec.type == FieldType.FILE:
            upload = files.get(spec.name)
            if upload is None:
                if spec.required:
                    raise _missing(spec)
                continue
            checked[spec.name] = (upload, check_upload(upload, accept=spec.accept or None,
                                                       field=spec.name))
            continue
        value = data.get(spec.name)
        if _is_blank(value):
            if spec.required and spec.type != FieldType.BOOLEAN:
                raise _missing(spec)
            if spec.type == FieldType.BOOLEAN:
                values[spec.name] = False
            continue
        values[spec.name] = clean_value(spec, value, region=region)
    for spec in action.fields:
        if spec.name in values:
            check_bounds(spec, values[spec.name], values, {fs.name: fs for fs in action.fields})
    for name in action.checklist:
        if values.get(name) is not True:
            label = next((fs.label for fs in action.fields if fs.name == name), name)
            raise RuleError("checklist_incomplete", f"归档清单未完成:“{label}”。", field=name)
    for req in action.requires:
        if values.get(req.field) != req.equals:
            raise RuleError("requirement_not_met", req.message, field=req.field)
    return CleanData(values, checked, {fs.name: fs for fs in action.fields})


def _bound(fs: FieldSpec, bound: Any) -> Any:
    if fs.type == FieldType.DATE:
        return dates.today() if bound == TODAY else dates.parse_day(bound)
    if fs.type == FieldType.DATETIME:
        return timezone.now() if bound == TODAY else dates.parse_moment(bound)
    return Decimal(str(bound))


def check_bounds(fs: FieldSpec, value: Any, values: Mapping[str, Any],
                 fields: Mapping[str, FieldSpec]) -> None:
    """A cleaned value against its field's ``min``, ``max`` and ``after``."""
    typed = typed_value(fs, value)
    if fs.type in (FieldType.INTEGER, FieldType.DECIMAL):
        number = Decimal(str(typed))
        if fs.min is not None and number < _bound(fs, fs.min):
            raise RuleError("out_of_range", f"“{fs.label}”不能小于{fs.min}。", field=fs.name)
        if fs.max is not None and number > _bound(fs, fs.max):
            raise RuleError("out_of_range", f"“{fs.label}”不能大于{fs.max}。", field=fs.name)
        return
    if fs.type not in (FieldType.DATE, FieldType.DATETIME):
        return
    if fs.max == TODAY:
        dates.not_future(typed, field=fs.name, label=fs.label)
    elif fs.max is not None and typed > _bound(fs, fs.max):
        raise RuleError(dates.DATE_ORDER, f"“{fs.label}”不能晚于{fs.max}。", field=fs.name)
    if fs.min is not None:
        dates.not_before(typed, _bound(fs, fs.min), field=fs.name, label=fs.label,
                         start_label=str(fs.min))
    if fs.after and values.get(fs.after) not in (None, ""):
        other = fields.get(fs.after)
        start = typed_value(other, values[fs.after])
        dates.not_before(typed, start, field=fs.name, label=fs.label,
                         start_label=f"“{other.label if other else fs.after}”")


def display_value(fs: FieldSpec | None, value: Any) -> str:
    """A stored value as people read it: choice labels, 是/否, file names, lists joined."""
    if value is None or value == "":
        return ""
    if fs is not None and fs.type == FieldType.BOOLEAN:
        return "是" if value else "否"
    if fs is not None and fs.type == FieldType.CHOICE:
        return next((str(c.label) for c in fs.choices if c.value == str(value)), str(value))
    if fs is not None and fs.type == FieldType.MULTICHOICE and isinstance(value, list):
        labels = {c.value: str(c.label) for c in fs.choices}  # labels may be lazy
        return "、".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, Mapping) and "name" in value:
        return str(value["name"])
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def field_of(spec: ProcedureSpec, step_code: str, name: str) -> FieldSpec | None:
    """The field ``name`` of any action of step ``step_code`` (None when there is none)."""
    if not spec.has_step(step_code):
        return None
    return next((f for a in spec.step(step_code).actions for f in a.fields if f.name == name),
                None)
