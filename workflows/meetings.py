"""Meetings held at a step: which rule applies, and quorum and result computed in integers.

The gate and the live check of the case page call the same functions, so what a
cadre is told while typing is what the gate decides when the form is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from core.errors import RuleError
from workflows import texts
from workflows.spec import ActionSpec, MeetingRule, Threshold


def meeting_rule(action: ActionSpec, values: Mapping[str, Any]) -> MeetingRule | None:
    """The rule of an action, chosen by a field's value when the spec says so."""
    if action.meeting_by:
        return action.meeting_by.rules.get(str(values.get(action.meeting_by.field, "")))
    return action.meeting


def ratios(rule: MeetingRule, values: Mapping[str, int | Fraction]) -> tuple[Fraction, Fraction]:
    """The quorum and pass ratios in force (the tenant's values, else the spec's)."""
    return (Fraction(values.get(rule.quorum.ratio.name, rule.quorum.ratio.value)),
            Fraction(values.get(rule.pass_line.ratio.name, rule.pass_line.ratio.value)))


def check_meeting(rule: MeetingRule, meeting: Mapping[str, Any],
                  values: Mapping[str, int | Fraction]) -> tuple[bool, bool]:
    """(quorum met, passed) in integers against the roll."""
    due, present = meeting["due"], meeting["present"]
    quorum_ratio, pass_ratio = ratios(rule, values)
    quorum = rule.quorum.met(present, due=due, present=present, ratio=quorum_ratio)
    passed = quorum and rule.pass_line.met(meeting.get("yes", 0), due=due, present=present,
                                           ratio=pass_ratio)
    return quorum, passed


def meeting_result(rule: MeetingRule, meeting: Mapping[str, Any],
                   values: Mapping[str, int | Fraction]) -> dict[str, Any]:
    """The verdict as the event records it, with the rules it was judged by in words."""
    quorum, passed = check_meeting(rule, meeting, values)
    q_ratio, p_ratio = ratios(rule, values)
    return {"quorum_met": quorum, "passed": passed, "body": rule.body,
            "quorum_rule": rule.quorum.describe(q_ratio),
            "pass_rule": rule.pass_line.describe(p_ratio) if rule.votes else ""}


def explain_meeting(rule: MeetingRule, meeting: Mapping[str, Any],
                    values: Mapping[str, int | Fraction]) -> RuleError | None:
    """The refusal for a meeting that did not reach its quorum or did not pass, else None."""
    quorum, passed = check_meeting(rule, meeting, values)
    q_ratio, p_ratio = ratios(rule, values)
    if not quorum:
        return RuleError(
            "quorum_not_met",
            _("%(body)s未达到法定人数:应到%(due)s人,实到%(present)s人,"
              "须达到%(rule)s方可开会。") % {
                "body": texts.translate(rule.body), "due": meeting["due"],
                "present": meeting["present"], "rule": rule.quorum.describe(q_ratio)},
            field=rule.field,
        )
    if not passed:
        return RuleError(
            "vote_failed",
            _("%(body)s表决未通过:赞成%(yes)s票,须达到%(rule)s。") % {
                "body": texts.translate(rule.body), "yes": meeting.get("yes", 0),
                "rule": rule.pass_line.describe(p_ratio)},
            field=rule.field,
        )
    return None


def smallest_present(threshold: Threshold, ratio: Fraction, *, due: int) -> int | None:
    """The fewest present that reach the quorum."""
    return next((n for n in range(due + 1)
                 if threshold.met(n, due=due, present=n, ratio=ratio)), None)


def smallest_yes(threshold: Threshold, ratio: Fraction, *, due: int, present: int) -> int | None:
    """The fewest yes votes that pass, with this many present."""
    return next((n for n in range(present + 1)
                 if threshold.met(n, due=due, present=present, ratio=ratio)), None)
