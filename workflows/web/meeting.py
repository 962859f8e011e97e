"""The live check of a meeting form: quorum and result computed from the roll, in words.

The numbers come from the user's form; the rule comes from the step's spec and
the tenant's settings; the verdict comes from ``workflows.meetings`` — the same
functions the gate uses when the form is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import RuleError
from workflows import params as tenant_params
from workflows.fields import clean_meeting
from workflows.meetings import (
    check_meeting,
    explain_meeting,
    meeting_rule,
    ratios,
    smallest_present,
    smallest_yes,
)
from workflows.models import Case
from workflows.spec import ActionSpec, FieldSpec, FieldType
from workflows.web.forms import meeting_numbers


@dataclass
class MeetingVerdict:
    body: str = ""
    roll_label: str = ""
    quorum_rule: str = ""
    pass_rule: str = ""
    need_present: int | None = None
    need_yes: int | None = None
    complete: bool = False
    quorum: bool = False
    passed: bool = False
    problem: str = ""  # why the numbers cannot be right, or why the vote fails
    waiting_for: str = ""  # the choice that decides the rule (e.g. which body) is not made


def verdict(case: Case, action: ActionSpec, meeting_field: FieldSpec,
            raw: Mapping[str, Any], choice: Mapping[str, Any]) -> MeetingVerdict:
    out = MeetingVerdict()
    rule = meeting_rule(action, choice)
    if rule is None:
        if action.meeting_by:
            name = action.meeting_by.field
            label = next((fs.label for fs in action.fields if fs.name == name), name)
            out.waiting_for = label
        return out
    spec = case.spec
    values = tenant_params.effective_all(spec, case.region) if spec else {}
    q_ratio, p_ratio = ratios(rule, values)
    out.body = rule.body
    out.roll_label = rule.roll_label
    out.quorum_rule = rule.quorum.describe(q_ratio)
    out.pass_rule = rule.pass_line.describe(p_ratio)
    numbers = meeting_numbers(raw)
    due = numbers["due"] if numbers else _int(raw.get("due"))
    if due:
        out.need_present = smallest_present(rule.quorum, q_ratio, due=due)
        present = _int(raw.get("present"))
        if present is not None and present <= due:
            out.need_yes = smallest_yes(rule.pass_line, p_ratio, due=due, present=present)
    if numbers is None:
        return out
    try:
        cleaned = clean_meeting(meeting_field, numbers)
    except RuleError as err:
        out.problem = err.detail
        return out
    out.complete = True
    out.quorum, out.passed = check_meeting(rule, cleaned, values)
    refusal = explain_meeting(rule, cleaned, values)
    if refusal is not None:
        out.problem = refusal.detail
    return out


def _int(value: Any) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


def meeting_fields(action: ActionSpec) -> list[FieldSpec]:
    return [fs for fs in action.fields if fs.type == FieldType.MEETING]
