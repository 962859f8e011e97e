"""The meeting widget of the case page, and its live check.

A meeting field is drawn from the API's description of the field (``roll`` or ``roll_by``,
``held_at``: ``workflows.serializers.meeting_json``): the day it was held, the roll's
members as a checklist (present is the number ticked, counted as they are ticked), ``due``
shown with what it was computed from — never an input —, the votes, a short summary. For a
村(居)民会议, whose roll is a population figure, the number present is typed instead.

When the day or the body changes, the roll is drawn again for that day
(``roll_context``); while the cadre ticks and types, the verdict is computed by the same
functions the gate calls (``workflows.fields.clean_meeting``, ``workflows.meetings``), so
what the page says is what the gate will decide.

Inputs are ``f_<field>.held_at``, ``f_<field>.attendees`` (one checkbox per person),
``f_<field>.present``, ``f_<field>.yes`` / ``.no`` / ``.abstain``, ``f_<field>.minutes``,
and ``f_<field>.named`` (the roll shown lists people: the ticks are the attendance).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from core import dates
from core.errors import RuleError
from core.places import kind_of, place_words
from workflows import params as tenant_params
from workflows.choices import TaskState
from workflows.fields import clean_meeting
from workflows.meetings import (
    check_meeting,
    explain_meeting,
    meeting_rule,
    ratios,
    smallest_present,
    smallest_yes,
)
from workflows.models import Case, Task
from workflows.rolls import Roll, compute_roll
from workflows.spec import ActionSpec, FieldSpec, FieldType, MeetingRule

VOTES = (("yes", "赞成"), ("no", "反对"), ("abstain", "弃权"))


# --- reading the posted widget ----------------------------------------------------------------


def read_meeting(key: str, post: QueryDict) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The meeting value for the gate (None when nothing was entered) and what was typed,
    to draw the widget again after a refusal. ``due`` is never read from the page."""
    held = post.get(f"{key}.held_at", "").strip()
    attendees = [v for v in post.getlist(f"{key}.attendees") if v.strip()]
    named = bool(post.get(f"{key}.named", ""))
    present = post.get(f"{key}.present", "").strip()
    votes = {part: post.get(f"{key}.{part}", "").strip() for part, _label in VOTES}
    minutes = post.get(f"{key}.minutes", "")
    typed = {"held_at": held, "attendees": attendees, "present": present, "minutes": minutes,
             **votes}
    if not (held or attendees or present or any(votes.values()) or minutes.strip()):
        return None, typed
    value: dict[str, Any] = {"held_at": held}
    if named:
        value["attendees"] = attendees
    elif present:
        value["present"] = present
    value.update({part: text for part, text in votes.items() if text})
    if minutes.strip():
        value["minutes"] = minutes
    return value, typed


# --- drawing it -------------------------------------------------------------------------------


def _selector(spec: Mapping[str, Any]) -> str | None:
    by = spec.get("roll_by")
    return str(by["field"]) if by else None


def chosen_roll(spec: Mapping[str, Any], typed: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The roll the field's schema gives for the values typed so far (None while the field
    that decides it is not chosen)."""
    if spec.get("roll"):
        return spec["roll"]
    by = spec.get("roll_by")
    if not by:
        return None
    chosen = typed.get(by["field"])
    if isinstance(chosen, Mapping):
        chosen = chosen.get("id")
    return by["rolls"].get(str(chosen or "")) if chosen else None


def meeting_widget(row: dict[str, Any], spec: Mapping[str, Any], typed: Any,
                   all_typed: Mapping[str, Any], action: Mapping[str, Any]) -> None:
    """What the meeting partial draws: the day, the roll (for the choices typed), the
    ticks, the votes and the summary as typed so far."""
    value = typed if isinstance(typed, Mapping) else {}
    bounds = spec.get("held_at") or {}
    row["held_at"] = {
        "input": f"{row['input']}.held_at", "id": f"{row['id']}-held_at",
        "value": value.get("held_at") or "",
        "min": str(bounds.get("min", ""))[:10], "max": str(bounds.get("max", ""))[:10],
    }
    row["selector"] = _selector(spec)
    row["selector_id"] = f"{action['code']}-{row['selector']}" if row["selector"] else ""
    label = next((str(f["label"]) for f in action.get("fields", [])
                  if f["name"] == row["selector"]), "")
    roll = chosen_roll(spec, all_typed)
    row["roll"] = roll_context(row, roll, value, selector_label=label)
    row["minutes"] = {"input": f"{row['input']}.minutes", "id": f"{row['id']}-minutes",
                      "value": value.get("minutes", "")}
    # draw the roll again for the day typed, when it is not today's
    row["reload_roll"] = bool(row["held_at"]["value"]) and \
        row["held_at"]["value"] != row["held_at"]["max"]


def roll_context(row: Mapping[str, Any], roll: Mapping[str, Any] | None,
                 typed: Mapping[str, Any], *, selector_label: str = "",
                 problem: str = "") -> dict[str, Any]:
    """The roll part of the widget: due with its source, the checklist or the present."""
    ticked = {str(v) for v in typed.get("attendees") or []}
    ctx: dict[str, Any] = {
        "input": row["input"], "id": row["id"], "problem": problem,
        "waiting_for": selector_label if roll is None else "",
        "vote_parts": [{"part": part, "label": label, "value": typed.get(part, ""),
                        "input": f"{row['input']}.{part}", "id": f"{row['id']}-{part}"}
                       for part, label in VOTES],
    }
    if roll is None:
        return ctx
    members = roll.get("members")
    ctx.update(
        signature=roll_signature(roll),
        due=roll["due"], unit=roll.get("unit", "人"), source=roll["source"],
        day=roll.get("day", ""), body=roll.get("body", ""), named=members is not None,
        present=typed.get("present", ""), quorum_rule=roll.get("quorum_rule", ""),
        pass_rule=roll.get("pass_rule", ""), votes=roll.get("votes", True),
        members=[{**m, "checked": m["value"] in ticked, "id": f"{row['id']}-a{i}"}
                 for i, m in enumerate(members or [])],
        non_voting=[{**m, "checked": m["value"] in ticked, "id": f"{row['id']}-n{i}"}
                    for i, m in enumerate(roll.get("non_voting") or [])],
        ticked=sum(1 for m in members or [] if m["value"] in ticked),
    )
    return ctx


def roll_signature(roll: Mapping[str, Any]) -> str:
    """What identifies the roll shown (its source, due and people): the page sends it back
    when the day changes, and the roll is drawn again only when the new one differs (so
    that ticks made meanwhile are kept)."""
    people = [m["value"] for m in [*(roll.get("members") or []), *(roll.get("non_voting") or [])]]
    text = json.dumps([roll.get("code"), roll.get("due"), roll.get("unit"), people])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- the roll of a day, and the verdict, for the page's live requests ------------------------


def meeting_fields(action: ActionSpec) -> list[FieldSpec]:
    return [fs for fs in action.fields if fs.type == FieldType.MEETING]


def step_opened_at(case: Case) -> dt.datetime | None:
    return (Task.objects.filter(case=case, step=case.current_step, state=TaskState.OPEN)
            .values_list("opened_at", flat=True).first())


def _choices(action: ActionSpec, post: QueryDict) -> dict[str, Any]:
    return {f.name: post.get(f"f_{f.name}", "") for f in action.fields}


def _rule_and_narrow(action: ActionSpec, fs: FieldSpec, choice: Mapping[str, Any]
                     ) -> tuple[MeetingRule | None, str, str]:
    """The rule the choices pick, the value narrowing its roll, and — while either is
    missing — the label of the field to choose first."""
    rule = meeting_rule(action, choice)
    labels = {f.name: f.label for f in action.fields}
    if rule is None or rule.field != fs.name:
        chooser = action.meeting_by.field if action.meeting_by else ""
        return None, "", labels.get(chooser, chooser)
    narrow = ""
    if rule.roll_by is not None:
        narrow = str(choice.get(rule.roll_by) or "").strip()
        if not narrow:
            return None, "", labels.get(rule.roll_by, rule.roll_by)
    return rule, narrow, ""


def _day(text: str) -> dt.date:
    """The day typed, when it is one; today otherwise (the roll shown is then today's)."""
    day = dates.parse_day(text) if text else None
    return day or dates.today()


def roll_of_day(case: Case, action: ActionSpec, fs: FieldSpec, post: QueryDict
                ) -> dict[str, Any]:
    """The roll part of the widget for the day and the choices posted (htmx)."""
    key = f"f_{fs.name}"
    _value, typed = read_meeting(key, post)
    row = {"input": key, "id": f"{action.code}-{fs.name}"}
    rule, narrow, waiting = _rule_and_narrow(action, fs, _choices(action, post))
    if rule is None:
        return roll_context(row, None, typed, selector_label=waiting)
    day = _day(typed["held_at"])
    roll = compute_roll(rule.roll, case.region, day, narrow)
    return roll_context(row, _roll_json(rule, roll, case), typed,
                        problem=_empty(roll))


def _roll_json(rule: MeetingRule, roll: Roll, case: Case) -> dict[str, Any]:
    out = roll.as_json()
    values = tenant_params.effective_all(case.spec, case.region) if case.spec else {}
    q_ratio, p_ratio = ratios(rule, values)
    out.update(votes=rule.votes, quorum_rule=rule.quorum.describe(q_ratio),
               pass_rule=rule.pass_line.describe(p_ratio) if rule.votes else "")
    return out


def _empty(roll: Roll) -> str:
    if roll.due >= 1:
        return ""
    return _("%(day)s的名册中没有应到人员(%(source)s),请先在名册中登记。") % {
        "day": roll.day.isoformat(), "source": roll.source}


@dataclass
class MeetingVerdict:
    body: str = ""
    quorum_rule: str = ""
    pass_rule: str = ""
    votes: bool = True
    due: int | None = None
    unit: str = "人"
    present: int | None = None
    need_present: int | None = None
    need_yes: int | None = None
    complete: bool = False
    quorum: bool = False
    passed: bool = False
    problem: str = ""  # why the meeting cannot be recorded as it stands
    waiting_for: str = ""  # the choice that decides the rule (e.g. which body) is not made


def verdict(case: Case, action: ActionSpec, fs: FieldSpec, post: QueryDict) -> MeetingVerdict:
    """Quorum and result of the meeting being entered, as the gate would judge it now."""
    out = MeetingVerdict()
    rule, narrow, waiting = _rule_and_narrow(action, fs, _choices(action, post))
    if rule is None:
        out.waiting_for = waiting
        return out
    key = f"f_{fs.name}"
    value, typed = read_meeting(key, post)
    values = tenant_params.effective_all(case.spec, case.region) if case.spec else {}
    q_ratio, p_ratio = ratios(rule, values)
    roll = compute_roll(rule.roll, case.region, _day(typed["held_at"]), narrow)
    out.body = place_words(rule.body, kind_of(case.region))  # 村民代表会议 / 居民代表会议
    out.votes, out.due, out.unit = rule.votes, roll.due, roll.unit
    out.quorum_rule = rule.quorum.describe(q_ratio)
    out.pass_rule = rule.pass_line.describe(p_ratio) if rule.votes else ""
    out.need_present = smallest_present(rule.quorum, q_ratio, due=roll.due)
    if roll.named:
        ticked = set(typed["attendees"])
        out.present = sum(1 for c in roll.members or () if c.value in ticked)
    elif typed["present"].isdigit():
        out.present = int(typed["present"])
    if out.present is not None and out.present <= roll.due and rule.votes:
        out.need_yes = smallest_yes(rule.pass_line, p_ratio, due=roll.due, present=out.present)
    if value is None or not typed["held_at"] or (rule.votes and not typed["yes"]):
        out.problem = _empty(roll)
        return out
    try:
        cleaned = clean_meeting(fs, value, rule=rule, region=case.region,
                                opened_at=step_opened_at(case), narrow=narrow)
    except RuleError as err:
        out.problem = err.detail
        return out
    out.complete = True
    out.quorum, out.passed = check_meeting(rule, cleaned, values)
    refusal = explain_meeting(rule, cleaned, values)
    if refusal is not None:
        out.problem = refusal.detail
    return out

