"""Checking the data sent with an action against the step's typed fields."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from stdnum.cn import uscc as stdnum_uscc

from core import dates
from core.errors import RuleError
from core.idcard import id_problem
from core.models import Membership, Region, User
from core.roles import Role
from workflows import texts
from workflows.attachments import CheckedFile, check_upload
from workflows.meetings import meeting_rule
from workflows.refs import ref_source
from workflows.rolls import Roll, compute_roll
from workflows.spec import (
    TODAY,
    ActionSpec,
    Choice,
    FieldSpec,
    FieldType,
    Format,
    MeetingRule,
    Param,
    ProcedureSpec,
)

MAX_STRING = 200
MAX_TEXT = 10000
MAX_INTEGER = 2_000_000_000  # below 2**31: every integer column and count holds it
MAX_DECIMAL = Decimal("999999999999.99")
MAX_PEOPLE = 1_000_000
MAX_ROWS = 2000
ID_LENGTH = 18
MOBILE = re.compile(r"1[3-9]\d{9}")


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
        if fs.type == FieldType.MONTH and isinstance(stored, str):
            year, month = stored.split("-")
            return dt.date(int(year), int(month), 1)
        if fs.type == FieldType.TABLE and isinstance(stored, list):
            columns = {c.name: c for c in fs.columns}
            return [typed_values(columns, row) if isinstance(row, Mapping) else row
                    for row in stored]
        if fs.type == FieldType.MEETING and isinstance(stored, Mapping):
            return typed_meeting(stored)
    except (ValueError, InvalidOperation):
        return stored  # a record written before a type changed stays as it was
    return stored


def typed_meeting(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A recorded meeting with ``held_at`` as a ``date`` (or an aware ``datetime`` when a
    time was recorded) and ``held_on``, the day it was held: the date that follows from it."""
    out = dict(stored)
    held = stored.get("held_at")
    if isinstance(held, str) and held:
        if len(held) == 10:
            out["held_at"] = out["held_on"] = dt.date.fromisoformat(held)
        else:
            moment = dt.datetime.fromisoformat(held)
            out["held_at"], out["held_on"] = moment, timezone.localtime(moment).date()
    return out


def typed_values(fields: Mapping[str, FieldSpec], stored: Mapping[str, Any]) -> dict[str, Any]:
    return {name: typed_value(fields.get(name), value) for name, value in stored.items()}


def label_of(spec: FieldSpec | None, default: str = "") -> str:
    """A field's label in the active language (a spec text: the procedures' catalogue)."""
    return texts.translate(spec.label) if spec is not None else default


def _missing(spec: FieldSpec, name: str | None = None) -> RuleError:
    where = name or spec.name
    if spec.type == FieldType.FILE:
        return RuleError("missing_attachment", _("请上传“%(label)s”。") % {"label": label_of(spec)},
                         field=where)
    return RuleError("missing_field", _("请填写“%(label)s”。") % {"label": label_of(spec)},
                     field=where)


def _invalid(spec: FieldSpec, why: str, name: str | None = None,
             code: str = "invalid_field", **params: Any) -> RuleError:
    """A refusal of ``spec``'s value: ``why`` is a translated message that names the field
    as ``%(label)s`` (its other placeholders are ``params``)."""
    return RuleError(code, why % {"label": label_of(spec), **params}, field=name or spec.name)


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


def ref_choices(spec: FieldSpec, region: Region, day: dt.date | None = None) -> list[Choice]:
    """The entries a REF field may name here and now (the village's roster on ``day``)."""
    source = ref_source(spec.ref or "")
    if source is None:
        return []
    return source.entries(region, day or dates.today(), spec.ref_filter)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


# --- meetings (the roll computed, never typed: workflows.rolls) --------------------------------

MEETING_KEYS = ("held_at", "attendees", "present", "yes", "no", "abstain", "minutes", "due")
VOTE_KEYS = (("yes", gettext_noop("赞成票数")), ("no", gettext_noop("反对票数")),
             ("abstain", gettext_noop("弃权票数")))


def _meeting_count(spec: FieldSpec, raw: Any, key: str, label: str) -> int:
    where = f"{spec.name}.{key}"
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise _invalid(spec, _("“%(label)s”的%(what)s应为整数。"), where, what=label)
    text = str(raw).strip()
    if not re.fullmatch(r"\d{1,9}", text):
        raise _invalid(spec, _("“%(label)s”的%(what)s应为不小于0的整数。"), where, what=label)
    number = int(text)
    if number > MAX_PEOPLE:
        raise _invalid(spec, _("“%(label)s”的%(what)s应在0到%(high)s之间。"), where,
                       "out_of_range", what=label, high=MAX_PEOPLE)
    return number


def meeting_moment(spec: FieldSpec, raw: Any) -> tuple[str, dt.date, dt.datetime | None]:
    """``held_at`` as recorded (an ISO date, or a date-time in local time with its offset),
    the local day, and the moment when a time was given."""
    where = f"{spec.name}.held_at"
    if _is_blank(raw):
        raise RuleError("missing_field", _("请填写“%(label)s”的召开日期。")
                        % {"label": label_of(spec)}, field=where)
    text = raw.strip() if isinstance(raw, str) else ""
    if len(text) == 10:
        day = _parse(parse_date, text)
        if day is None or day.year < 1900:
            raise RuleError(dates.INVALID_DATE, _("“%(label)s”的召开日期应为存在的日期"
                            "(如 2026-11-28)。") % {"label": label_of(spec)}, field=where)
        return day.isoformat(), day, None
    moment = _parse(parse_datetime, text)
    if moment is None or moment.year < 1900:
        raise RuleError(dates.INVALID_DATE, _("“%(label)s”的召开时间应为存在的日期或日期时间"
                        "(如 2026-11-28 或 2026-11-28T09:30+08:00)。")
                        % {"label": label_of(spec)}, field=where)
    if moment.tzinfo is None:
        moment = timezone.make_aware(moment)
    local = timezone.localtime(moment).replace(microsecond=0)
    return local.isoformat(), local.date(), local


def check_held_at(spec: FieldSpec, day: dt.date, moment: dt.datetime | None,
                  opened_at: dt.datetime | None) -> None:
    """Not in the future; not before the step was opened (``future_date``, ``date_order``)."""
    where = f"{spec.name}.held_at"
    label = _("%(label)s的召开时间") % {"label": label_of(spec)}
    dates.not_future(moment if moment is not None else day, field=where, label=label)
    if opened_at is None:
        return
    opened = timezone.localtime(opened_at)
    if (moment is not None and moment < opened) or (moment is None and day < opened.date()):
        raise RuleError(dates.DATE_ORDER,
                        _("“%(label)s”不能早于本环节开始办理的时间(%(opened)s):"
                          "会议应在上一环节办结之后召开。")
                        % {"label": label, "opened": f"{opened:%Y-%m-%d %H:%M}"}, field=where)


def meeting_roll(spec: FieldSpec, rule: MeetingRule, region: Region, day: dt.date,
                 narrow: str = "") -> Roll:
    """The roll of ``rule`` for the village on ``day``; a refusal when nobody is due."""
    roll = compute_roll(rule.roll, region, day, narrow)
    if roll.due < 1:
        raise RuleError("roll_empty", _("“%(label)s”:%(body)s在%(day)s的名册中"
                        "没有应到人员(%(source)s),请先在名册中登记。")
                        % {"label": label_of(spec), "body": texts.translate(rule.body),
                           "day": day.isoformat(), "source": roll.source},
                        field=f"{spec.name}.attendees" if roll.named else f"{spec.name}.due")
    return roll


def _attendees(spec: FieldSpec, roll: Roll, raw: Any) -> list[str]:
    where = f"{spec.name}.attendees"
    if raw is None:
        raise RuleError("missing_field", _("请在“%(label)s”中勾选实际到会的人员。")
                        % {"label": label_of(spec)}, field=where)
    if not isinstance(raw, list) or not all(isinstance(v, str | int) and not isinstance(v, bool)
                                            for v in raw):
        raise _invalid(spec, _("“%(label)s”的参会人员应为名册中人员的列表。"), where)
    known = roll.everyone()
    picked = {str(v).strip() for v in raw}
    unknown = sorted(v for v in picked if v not in known)
    if unknown:
        shown = pgettext("list separator", "、").join(
            _plain(v, spec, name=where)[:40] for v in unknown[:5])
        raise RuleError("not_on_roll", _("“%(label)s”的参会人员%(who)s不在%(body)s"
                        "%(day)s的名册中(%(source)s)。")
                        % {"label": label_of(spec), "who": shown,
                           "body": texts.translate(roll.body), "day": roll.day.isoformat(),
                           "source": roll.source}, field=where)
    return [v for v in known if v in picked]  # in the roll's order


def clean_meeting(spec: FieldSpec, value: Any, *, rule: MeetingRule, region: Region,
                  opened_at: dt.datetime | None = None, narrow: str = "") -> dict[str, Any]:
    """A meeting as the event records it: the day held, the roll computed for that day from
    the portal's rosters, who attended, the votes (contract 5, "meeting value")."""
    if not isinstance(value, Mapping):
        raise _invalid(spec, _("“%(label)s”应为会议情况(召开时间、参会人员、表决票数)。"))
    unknown = sorted(str(k) for k in value if k not in MEETING_KEYS)
    if unknown:
        raise RuleError("unknown_field", _("“%(label)s”中有不认识的项:%(keys)s。")
                        % {"label": label_of(spec),
                           "keys": pgettext("list separator", "、").join(unknown)},
                        field=f"{spec.name}.{unknown[0]}")
    held_at, day, moment = meeting_moment(spec, value.get("held_at"))
    check_held_at(spec, day, moment, opened_at)
    roll = meeting_roll(spec, rule, region, day, narrow)
    out: dict[str, Any] = {"held_at": held_at}
    sent_due = value.get("due")
    if not _is_blank(sent_due):
        due = _meeting_count(spec, sent_due, "due", _("应到人数"))
        if due != roll.due:
            detail = (_("“%(label)s”的应到户数由系统按名册计算为%(due)s户(%(source)s),"
                        "不能报为%(sent)s户。") if roll.unit == "户" else
                      _("“%(label)s”的应到人数由系统按名册计算为%(due)s人(%(source)s),"
                        "不能报为%(sent)s人。"))
            raise RuleError("roll_mismatch", detail % {
                "label": label_of(spec), "due": roll.due, "source": roll.source, "sent": due},
                field=f"{spec.name}.due")
    out["due"] = roll.due
    sent_present = value.get("present")
    if roll.named:
        attendees = _attendees(spec, roll, value.get("attendees"))
        present = len([v for v in attendees if v in roll.voters()])
        if not _is_blank(sent_present) and _meeting_count(
                spec, sent_present, "present", _("实到人数")) != present:
            raise RuleError("present_mismatch",
                            _("“%(label)s”的实到人数按勾选的参会人员计算为%(present)s人,"
                              "与报送的%(sent)s人不符。")
                            % {"label": label_of(spec), "present": present, "sent": sent_present},
                            field=f"{spec.name}.present")
        out["attendees"] = attendees
    else:
        if value.get("attendees"):
            raise _invalid(spec, _("“%(label)s”的名册为人数统计(%(source)s),不逐人勾选,"
                                   "请填写实到人数。"), f"{spec.name}.attendees",
                           source=roll.source)
        if _is_blank(sent_present):
            raise RuleError("missing_field", _("请填写“%(label)s”的实到人数。")
                            % {"label": label_of(spec)}, field=f"{spec.name}.present")
        present = _meeting_count(spec, sent_present, "present", _("实到人数"))
        if present > roll.due:
            raise _invalid(spec, _("“%(label)s”的实到户数不能多于应到的%(due)s户。")
                           if roll.unit == "户" else
                           _("“%(label)s”的实到人数不能多于应到的%(due)s人。"),
                           f"{spec.name}.present", "out_of_range", due=roll.due)
    out["present"] = present
    if rule.votes:
        if _is_blank(value.get("yes")):
            raise RuleError("missing_field", _("请填写“%(label)s”的赞成票数。")
                            % {"label": label_of(spec)}, field=f"{spec.name}.yes")
        for key, label in VOTE_KEYS:
            raw = value.get(key)
            out[key] = 0 if _is_blank(raw) else _meeting_count(spec, raw, key, _(label))
        if out["yes"] + out["no"] + out["abstain"] > present:
            raise _invalid(spec, _("“%(label)s”的赞成、反对、弃权票数之和不能多于实到的"
                                   "%(present)s名有表决权的人员。"), f"{spec.name}.yes",
                           present=present)
    else:
        for key, label in VOTE_KEYS:
            raw = value.get(key)
            if not _is_blank(raw) and _meeting_count(spec, raw, key, _(label)) != 0:
                raise _invalid(spec, _("“%(label)s”没有表决事项,不应填写%(what)s。"),
                               f"{spec.name}.{key}", what=_(label))
    minutes = value.get("minutes")
    if not _is_blank(minutes):
        if not isinstance(minutes, str):
            raise _invalid(spec, _("“%(label)s”的会议记录摘要应为文字。"), f"{spec.name}.minutes")
        text = _plain(minutes, spec, multiline=True, name=f"{spec.name}.minutes").strip()
        if len(text) > MAX_TEXT:
            raise _invalid(spec, _("“%(label)s”的会议记录摘要不能超过%(limit)s个字。"),
                           f"{spec.name}.minutes", "too_long", limit=MAX_TEXT)
        out["minutes"] = text
    out["roll"] = roll.as_json()
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


def _plain(text: str, spec: FieldSpec, *, multiline: bool = False, name: str | None = None
           ) -> str:
    """Text without control characters (NUL and the like; line breaks only where allowed)."""
    allowed = "\t\n\r" if multiline else "\t"
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in text):
        raise _invalid(spec, _("“%(label)s”含有不允许的控制字符。"), name)
    return text


def _string(spec: FieldSpec, value: Any, name: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _invalid(spec, _("“%(label)s”应为文字。"), name)
    multiline = spec.type == FieldType.TEXT
    text = _plain(str(value), spec, multiline=multiline, name=name).strip()
    limit = spec.max_length or (MAX_TEXT if multiline else MAX_STRING)
    if len(text) > limit:
        raise _invalid(spec, _("“%(label)s”不能超过%(limit)s个字(现为%(n)s个)。"), name,
                       "too_long", limit=limit, n=len(text))
    if spec.format == Format.ID_NUMBER:
        text = text.upper()
        problem = id_problem(text)
        if problem:
            raise _invalid(spec, _("“%(label)s”不是有效的18位居民身份证号码:%(problem)s。"), name,
                           "invalid_id_number", problem=problem)
    elif spec.format == Format.MOBILE:
        if not MOBILE.fullmatch(text):
            raise _invalid(spec, _("“%(label)s”应为11位手机号码。"), name, "invalid_mobile")
    elif spec.format == Format.USCC:
        text = text.upper()
        if not stdnum_uscc.is_valid(text):
            raise _invalid(spec, _("“%(label)s”不是有效的统一社会信用代码(18位,校验位须正确)。"),
                           name, "invalid_uscc")
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        if spec.help:
            raise _invalid(spec, _("“%(label)s”格式不正确(%(help)s)。"), name, "invalid_format",
                           help=texts.translate(spec.help))
        raise _invalid(spec, _("“%(label)s”格式不正确。"), name, "invalid_format")
    return text


def integer_bound(bound: Any, params: Mapping[str, Any] | None) -> int | None:
    """An integer field's ``min`` or ``max``: a number, or a ``Param`` of the procedure (the
    number in force for the case's village, stricter tenant settings applied)."""
    if bound is None:
        return None
    if isinstance(bound, Param):
        return int((params or {}).get(bound.name, bound.value))
    return int(bound)


def _integer(spec: FieldSpec, value: Any, name: str,
             params: Mapping[str, Any] | None = None) -> int:
    if isinstance(value, bool):
        raise _invalid(spec, _("“%(label)s”应为整数。"), name)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise _invalid(spec, _("“%(label)s”应为整数。"), name)
        value = int(value)
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"[+-]?\d{1,18}", value):
            raise _invalid(spec, _("“%(label)s”应为整数。"), name)
    if not isinstance(value, int | str):
        raise _invalid(spec, _("“%(label)s”应为整数。"), name)
    number = int(value)
    low = integer_bound(spec.min, params)
    high = integer_bound(spec.max, params)
    low = 0 if low is None else low
    high = MAX_INTEGER if high is None else high
    if number < low or number > high:
        said = (_("“%(label)s”不能少于%(low)s。") if high == MAX_INTEGER and number < low
                else _("“%(label)s”应在%(low)s到%(high)s之间。"))
        raise _invalid(spec, said, name, "out_of_range", low=low, high=high)
    return number


def _decimal(spec: FieldSpec, value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _invalid(spec, _("“%(label)s”应为数字。"), name)
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?(\d{1,15}(\.\d*)?|\.\d+)", text):
        raise _invalid(spec, _("“%(label)s”应为数字(如 1250.50)。"), name)
    if "." in text and len(text.partition(".")[2]) > 2:
        # kept to the cent (or 0.01 亩): a value with more places is refused, never rounded
        raise _invalid(spec, _("“%(label)s”最多保留两位小数。"), name, "invalid_field")
    dec = Decimal(text)
    low = Decimal(0) if spec.min is None else Decimal(str(spec.min))
    high = MAX_DECIMAL if spec.max is None else Decimal(str(spec.max))
    if dec < low or dec > high:
        raise _invalid(spec, _("“%(label)s”应在%(low)s到%(high)s之间。"), name, "out_of_range",
                       low=low, high=high)
    return str(dec.quantize(Decimal("0.01")))


def _month(spec: FieldSpec, value: Any, name: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise RuleError(dates.INVALID_DATE, _("“%(label)s”应为年月(如 2026-11)。")
                        % {"label": label_of(spec)}, field=name)
    return text


def recorded_choices(spec: FieldSpec, case_data: Mapping[str, Any]) -> FieldSpec:
    """``spec`` with the choices its ``choices_from`` names, as the case recorded them (a
    table's column gives one choice per distinct value); a table's columns likewise."""
    if spec.type == FieldType.TABLE and any(c.choices_from for c in spec.columns):
        return replace(spec, columns=tuple(recorded_choices(c, case_data) for c in spec.columns))
    if not spec.choices_from:
        return spec
    step, _, rest = spec.choices_from.partition(".")
    name, _, column = rest.partition(".")
    value = (case_data.get(step) or {}).get(name)
    found = ([row.get(column) for row in value if isinstance(row, Mapping)]
             if column and isinstance(value, list) else
             value if isinstance(value, list) else [value])
    labels = list(dict.fromkeys(str(v) for v in found if v not in (None, "")))
    return replace(spec, choices=tuple(Choice(v, v) for v in labels))


def with_recorded_choices(action: ActionSpec, case_data: Mapping[str, Any]) -> ActionSpec:
    """The action with every ``choices_from`` field's choices filled from the case."""
    if not any(f.choices_from or any(c.choices_from for c in f.columns) for f in action.fields):
        return action
    return replace(action, fields=tuple(recorded_choices(f, case_data) for f in action.fields))


def _choice_value(spec: FieldSpec, value: Any, name: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _invalid(spec, _("“%(label)s”不是可选的值。"), name)
    if str(value) not in {c.value for c in spec.choices}:
        raise _invalid(spec, _("“%(label)s”不是可选的值。"), name)
    return str(value)


def _table(spec: FieldSpec, value: Any, *, region: Region, name: str,
           errors: list[RuleError]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
        raise _invalid(spec, _("“%(label)s”应为若干行(每行一个对象)。"), name)
    low, high = spec.min_rows or 0, spec.max_rows or MAX_ROWS
    if not low <= len(value) <= high:
        raise _invalid(spec, _("“%(label)s”应有%(low)s到%(high)s行(现为%(n)s行)。"), name,
                       "row_count", low=low, high=high, n=len(value))
    known = {c.name for c in spec.columns}
    rows: list[dict[str, Any]] = []
    for i, raw in enumerate(value):
        row: dict[str, Any] = {}
        unknown = sorted(str(k) for k in set(raw) - known)
        if unknown:
            errors.append(RuleError("unknown_field", _("“%(label)s”第%(row)s行有不认识的列:"
                                    "%(columns)s。") % {
                "label": label_of(spec), "row": i + 1,
                "columns": pgettext("list separator", "、").join(unknown)}, field=f"{name}[{i}]"))
        for column in spec.columns:
            where = f"{name}[{i}].{column.name}"
            cell = raw.get(column.name)
            if _is_blank(cell):
                if _required(column, raw):
                    errors.append(RuleError("missing_field", _("请填写“%(label)s”第%(row)s行的"
                                            "“%(column)s”。") % {
                        "label": label_of(spec), "row": i + 1, "column": label_of(column)},
                        field=where))
                elif column.type == FieldType.BOOLEAN:
                    row[column.name] = False
                continue
            try:
                row[column.name] = clean_value(column, cell, region=region, name=where)
            except RuleError as err:
                err.detail = _("“%(label)s”第%(row)s行:%(detail)s") % {
                    "label": label_of(spec), "row": i + 1, "detail": err.detail}
                errors.append(err)
        rows.append(row)
    return rows


def _required(spec: FieldSpec, values: Mapping[str, Any]) -> bool:
    if spec.type == FieldType.BOOLEAN:
        return False
    if spec.required_if is not None:
        return spec.required_if.holds(values.get(spec.required_if.field))
    return spec.required


def clean_value(spec: FieldSpec, value: Any, *, region: Region, name: str | None = None,
                errors: list[RuleError] | None = None,
                params: Mapping[str, Any] | None = None) -> Any:
    """One value of a field as the event records it, or a refusal that names the field."""
    where = name or spec.name
    t = spec.type
    if t in (FieldType.STRING, FieldType.TEXT):
        return _string(spec, value, where)
    if t == FieldType.INTEGER:
        return _integer(spec, value, where, params)
    if t == FieldType.DECIMAL:
        return _decimal(spec, value, where)
    if t == FieldType.DATE:
        day = _parse(parse_date, value)
        if day is None or day.year < 1900:
            raise RuleError(dates.INVALID_DATE, _("“%(label)s”应为存在的日期(如 2026-11-28)。")
                            % {"label": label_of(spec)}, field=where)
        return day.isoformat()
    if t == FieldType.DATETIME:
        moment = _parse(parse_datetime, value)
        if moment is None:
            day = _parse(parse_date, value)
            if day is None:
                raise RuleError(dates.INVALID_DATE,
                                _("“%(label)s”应为存在的日期时间(如 2026-11-28T09:30+08:00)。")
                                % {"label": label_of(spec)}, field=where)
            moment = dt.datetime.combine(day, dt.time())
        if moment.year < 1900:
            raise RuleError(dates.INVALID_DATE, _("“%(label)s”应为存在的日期时间。")
                            % {"label": label_of(spec)}, field=where)
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    if t == FieldType.MONTH:
        return _month(spec, value, where)
    if t == FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "1", "on", "yes", "是"}:
            return True
        if isinstance(value, str) and value.lower() in {"false", "0", "off", "no", "否", ""}:
            return False
        raise _invalid(spec, _("“%(label)s”应为是或否。"), where)
    if t == FieldType.CHOICE:
        return _choice_value(spec, value, where)
    if t == FieldType.MULTICHOICE:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise _invalid(spec, _("“%(label)s”应为多个可选值。"), where)
        picked = sorted({_choice_value(spec, v, where) for v in value})
        low, high = spec.min_items or 0, spec.max_items or len(spec.choices)
        if not low <= len(picked) <= high:
            raise _invalid(spec, _("“%(label)s”应选%(low)s到%(high)s项(现为%(n)s项)。"), where,
                           "item_count", low=low, high=high, n=len(picked))
        return picked
    if t == FieldType.USER:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _invalid(spec, _("“%(label)s”应为本村(社区)的人员。"), where)
        text = str(value).strip()
        if text not in {v for v, _label in user_choices(spec, region)}:
            raise _invalid(spec, _("“%(label)s”应为本村(社区)符合条件的人员。"), where)
        user = User.objects.get(pk=int(text))
        return {"id": user.pk, "name": user.get_full_name()}
    if t == FieldType.REF:
        if isinstance(value, Mapping):
            value = value.get("id")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _invalid(spec, _("“%(label)s”应为名册中的一项。"), where)
        text = str(value).strip()
        chosen = next((c for c in ref_choices(spec, region) if c.value == text), None)
        if chosen is None:
            raise _invalid(spec, _("“%(label)s”不在本村(社区)名册中符合条件的范围内。"), where,
                           "not_on_roster")
        return {"id": chosen.value, "name": str(chosen.label)}
    if t == FieldType.TABLE:
        sink: list[RuleError] = [] if errors is None else errors
        rows = _table(spec, value, region=region, name=where, errors=sink)
        if errors is None and sink:
            raise FieldErrors(sink)
        return rows
    if t == FieldType.MEETING:  # cleaned by clean_data, with its rule and roll
        raise _invalid(spec, _("“%(label)s”只能作为办理事项的会议字段填写。"), where)
    raise _invalid(spec, _("“%(label)s”类型未知。"), where)


class FieldErrors(RuleError):
    """Every refusal of one submission, in field order; the first is the headline."""

    def __init__(self, errors: list[RuleError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.detail, field=first.field,
                         not_before=first.not_before, extra=dict(first.extra))
        self.errors = errors

    def as_body(self) -> dict[str, Any]:
        body = super().as_body()
        body["errors"] = [{k: v for k, v in e.as_body().items() if k != "errors"}
                          for e in self.errors]
        return body


def clean_data(
    action: ActionSpec,
    data: Mapping[str, Any] | None,
    files: Mapping[str, UploadedFile] | None,
    *,
    region: Region,
    opened_at: dt.datetime | None = None,
    params: Mapping[str, Any] | None = None,
) -> CleanData:
    """Check ``data`` and ``files`` against the action's fields: every refusal at once.

    A meeting is checked after the other fields (its rule may be chosen by one of them):
    held not in the future and not before the step was opened at ``opened_at``, against
    the roll of the day it was held."""
    data = data if data is not None else {}
    files = files or {}
    if not isinstance(data, Mapping):
        raise RuleError("invalid", _("data 应为对象(JSON object)。"), field="data")
    fields = {fs.name: fs for fs in action.fields}
    errors: list[RuleError] = []
    unknown = sorted(str(k) for k in (set(data) | set(files)) - set(fields))
    if unknown:
        shown = pgettext("list separator", "、").join(
            repr(k)[1:-1][:40] or _("(空)") for k in unknown[:5])
        errors.append(RuleError("unknown_field", _("不认识的字段:%(names)s。") % {"names": shown},
                                field=unknown[0] or "data"))
    values: dict[str, Any] = {}
    checked: dict[str, tuple[UploadedFile, CheckedFile]] = {}
    for spec in action.fields:
        if spec.type == FieldType.MEETING:
            continue
        try:
            if spec.type == FieldType.FILE:
                upload = files.get(spec.name)
                if upload is None:
                    if _required(spec, data):
                        errors.append(_missing(spec))
                    continue
                checked[spec.name] = (upload, check_upload(
                    upload, accept=spec.accept or None, max_bytes=spec.max_bytes,
                    field=spec.name))
                continue
            value = data.get(spec.name)
            if _is_blank(value):
                if _required(spec, data):
                    errors.append(_missing(spec))
                elif spec.type == FieldType.BOOLEAN:
                    values[spec.name] = False
                continue
            values[spec.name] = clean_value(spec, value, region=region, errors=errors,
                                            params=params)
        except FieldErrors as many:
            errors.extend(many.errors)
        except RuleError as err:
            errors.append(err)
    for spec in action.fields:
        if spec.type == FieldType.MEETING:
            _clean_meeting_field(action, spec, data, values, errors, region=region,
                                 opened_at=opened_at)
    for spec in action.fields:
        if spec.name in values and spec.type not in (FieldType.TABLE, FieldType.MEETING):
            try:
                check_bounds(spec, values[spec.name], values, fields)
            except RuleError as err:
                errors.append(err)
        if spec.type == FieldType.TABLE and isinstance(values.get(spec.name), list):
            for i, row in enumerate(values[spec.name]):
                for column in spec.columns:
                    if column.name in row:
                        try:
                            check_bounds(column, row[column.name], row,
                                         {c.name: c for c in spec.columns},
                                         name=f"{spec.name}[{i}].{column.name}")
                        except RuleError as err:
                            errors.append(err)
    for name in action.checklist:
        if values.get(name) is not True and not any(e.field == name for e in errors):
            label = label_of(fields.get(name), name)
            errors.append(RuleError("checklist_incomplete", _("归档清单未完成:“%(label)s”。")
                                    % {"label": label}, field=name))
    for req in action.requires:
        if values.get(req.field) != req.equals and not any(e.field == req.field
                                                           for e in errors):
            errors.append(RuleError("requirement_not_met", texts.translate(req.message),
                                    field=req.field))
    if errors:
        raise FieldErrors(errors) if len(errors) > 1 else errors[0]
    return CleanData(values, checked, fields)


def _clean_meeting_field(action: ActionSpec, spec: FieldSpec, data: Mapping[str, Any],
                         values: dict[str, Any], errors: list[RuleError], *, region: Region,
                         opened_at: dt.datetime | None) -> None:
    """One meeting field, with the rule the other values choose and its roll."""
    value = data.get(spec.name)
    if _is_blank(value):
        if _required(spec, data):
            errors.append(_missing(spec))
        return
    rule = meeting_rule(action, values)
    if rule is None or rule.field != spec.name:
        chooser = action.meeting_by.field if action.meeting_by else None
        if chooser is None or not any(e.field == chooser for e in errors):
            label = label_of(next((f for f in action.fields if f.name == chooser), None),
                             chooser or "")
            errors.append(RuleError("missing_field", _("请先选择“%(label)s”,系统按所选会议计算"
                                    "应到人数。") % {"label": label}, field=chooser or spec.name))
        return
    narrow = ""
    if rule.roll_by is not None:
        chosen = values.get(rule.roll_by)
        if chosen is None:
            if not any(e.field == rule.roll_by for e in errors):
                errors.append(RuleError("missing_field", _("请先选择召开会议的范围,系统据此计算"
                                        "应到人员。"), field=rule.roll_by))
            return
        narrow = str(chosen.get("id", "")) if isinstance(chosen, Mapping) else str(chosen)
    try:
        values[spec.name] = clean_meeting(spec, value, rule=rule, region=region,
                                          opened_at=opened_at, narrow=narrow)
    except RuleError as err:
        errors.append(err)


def _bound(fs: FieldSpec, bound: Any) -> Any:
    if fs.type == FieldType.DATE:
        return dates.today() if bound == TODAY else dates.parse_day(bound)
    if fs.type == FieldType.DATETIME:
        return timezone.now() if bound == TODAY else dates.parse_moment(bound)
    return Decimal(str(bound))


def check_bounds(fs: FieldSpec, value: Any, values: Mapping[str, Any],
                 fields: Mapping[str, FieldSpec], *, name: str | None = None) -> None:
    """A cleaned date or month against its field's ``min``, ``max`` and ``after`` (numbers
    are bounded as they are cleaned)."""
    where = name or fs.name
    if fs.type == FieldType.MONTH:
        if fs.max == TODAY and str(value) > f"{dates.today():%Y-%m}":
            raise RuleError(dates.FUTURE_DATE, _("“%(label)s”不能晚于本月。")
                            % {"label": label_of(fs)}, field=where)
        if fs.min == TODAY and str(value) < f"{dates.today():%Y-%m}":
            raise RuleError(dates.DATE_ORDER, _("“%(label)s”不能早于本月。")
                            % {"label": label_of(fs)}, field=where)
        if fs.min not in (None, TODAY) and str(value) < str(fs.min):
            raise RuleError(dates.DATE_ORDER, _("“%(label)s”不能早于%(bound)s。")
                            % {"label": label_of(fs), "bound": fs.min}, field=where)
        return
    if fs.type not in (FieldType.DATE, FieldType.DATETIME):
        return
    typed = typed_value(fs, value)
    if fs.max == TODAY:
        dates.not_future(typed, field=where, label=label_of(fs))
    elif fs.max is not None and typed > _bound(fs, fs.max):
        raise RuleError(dates.DATE_ORDER, _("“%(label)s”不能晚于%(bound)s。")
                        % {"label": label_of(fs), "bound": fs.max}, field=where)
    if fs.min is not None:
        dates.not_before(typed, _bound(fs, fs.min), field=where, label=label_of(fs),
                         start_label=_("今天") if fs.min == TODAY else str(fs.min))
    if fs.after and values.get(fs.after) not in (None, ""):
        other = fields.get(fs.after)
        start = typed_value(other, values[fs.after])
        dates.not_before(typed, start, field=where, label=label_of(fs),
                         start_label=_("“%(label)s”") % {"label": label_of(other, fs.after)})


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
    if fs is not None and fs.type == FieldType.MONTH and isinstance(value, str) and \
            len(value) == 7:
        return f"{value[:4]}年{int(value[5:])}月"
    if fs is not None and fs.type == FieldType.TABLE and isinstance(value, list):
        return ";".join(
            ",".join(text for c in fs.columns
                     if (text := display_value(c, row.get(c.name))) != "")
            for row in value if isinstance(row, Mapping))
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
