"""The rule checks and register writes of 03: the line of each major matter in the
"四议两公开" ledger (03.1), and the district's filing of the village rules (03.2).

The rules are adopted on the day the villagers' meeting that voted them was held (its
``held_at``, not in the future and not before the step opened); the filing date is
bounded by its field; what a field cannot say — that the filing follows the vote,
recorded at an earlier step — is checked here, before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from core import dates
from core.errors import RuleError
from decisions.choices import RulesBody
from decisions.models import MajorMatter, VillageRules
from workflows.choices import NoticeState
from workflows.effects import EffectContext, effect
from workflows.models import PublicityNotice

DECIDED = "villagers_decide"


def _check_filing(ctx: EffectContext) -> None:
    """The filing date follows the adoption; the next version number is taken under lock."""
    meeting = ctx.step_values(DECIDED).get("meeting")
    adopted = meeting.get("held_on") if isinstance(meeting, dict) else None  # the vote's day
    if not isinstance(adopted, dt.date):
        raise RuleError("missing_field", _("村(居)民会议表决通过的日期缺失,请退回重新表决。"),
                        field="filed_on")
    filed: dt.date = ctx.data["filed_on"]
    dates.not_before(filed, adopted, field="filed_on", label=_("备案日期"),
                     start_label=_("村(居)民会议表决通过的日期(%(day)s)")
                                 % {"day": dates.local_day(adopted)})
    region = ctx.case.region
    # Lock the village's versions so that two filings cannot take the same number.
    taken = (VillageRules.objects.select_for_update().filter(region=region)
             .values_list("version", flat=True))
    ctx.scratch["version"] = max(taken, default=0) + 1
    ctx.scratch["adopted_on"] = adopted


def _file_rules(ctx: EffectContext) -> None:
    """The adopted text becomes the next version in force; every earlier one is kept."""
    decided = ctx.step_data(DECIDED)
    body = str(decided.get("body", ""))
    VillageRules.objects.create(
        region=ctx.case.region, version=ctx.scratch["version"],
        text=str(decided.get("rules_text", "")), adopted_on=ctx.scratch["adopted_on"],
        adopted_by=str(RulesBody(body).label) if body in RulesBody.values else "",
        filed_on=ctx.data["filed_on"], filing_number=str(ctx.data.get("filing_number", "")),
        case=ctx.case,
    )


FILE_VILLAGE_RULES = effect("decisions.file_village_rules", check=_check_filing,
                            apply=_file_rules, reads=(DECIDED,))


# --- 03.1: the "四议两公开" ledger ----------------------------------------------------------

# each stage of 03.1 and the ledger's columns it fills, in order: a stage done again (after
# a return) clears what the later stages had written
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("propose", ("proposed_on", "proposal_result")),
    ("deliberate", ("deliberated_on", "deliberation_result")),
    ("members_review", ("reviewed_on", "review_result")),
    ("villagers_decide", ("decided_on", "decision_result", "publicity_start", "publicity_end",
                          "publicity_days")),
    ("resolution_publicity", ("publicity_ended_at",)),
    ("implementation", ("result_published_on", "implementation_result")),
)
PUBLICITY_STEP = "resolution_publicity"


def meeting_text(meeting: Mapping[str, Any] | None, body: str = "") -> str:
    """A meeting as the ledger states it: 两委会议:应到5人,实到4人,赞成3、反对1、弃权0,通过."""
    if not isinstance(meeting, Mapping):
        return ""
    result = meeting.get("result")
    result = result if isinstance(result, Mapping) else {}
    name = body or str(result.get("body", ""))
    passed = "通过" if result.get("passed", True) else "未通过"
    return (f"{name}:应到{meeting.get('due', 0)}人,实到{meeting.get('present', 0)}人,"
            f"赞成{meeting.get('yes', 0)}、反对{meeting.get('no', 0)}、"
            f"弃权{meeting.get('abstain', 0)},{passed}")[:200]


def _choice_label(ctx: EffectContext, name: str) -> str:
    value = str(ctx.raw.get(name, ""))
    spec = next((f for f in ctx.action.fields if f.name == name), None)
    return next((c.label for c in spec.choices if c.value == value), value) if spec else value


def _held_on(ctx: EffectContext) -> dt.date | None:
    meeting = ctx.data.get("meeting")
    day = meeting.get("held_on") if isinstance(meeting, Mapping) else None
    return day if isinstance(day, dt.date) else None


def _stage_values(ctx: EffectContext, stage: str) -> dict[str, Any]:
    """What ``stage`` writes into the matter's line."""
    meeting = ctx.raw.get("meeting")
    if stage == "propose":
        return {"proposed_on": _held_on(ctx), "proposal_result": meeting_text(meeting)}
    if stage == "deliberate":
        return {"deliberated_on": _held_on(ctx),
                "deliberation_result": meeting_text(meeting, _choice_label(ctx, "body"))}
    if stage == "members_review":
        return {"reviewed_on": _held_on(ctx), "review_result": meeting_text(meeting)}
    if stage == "villagers_decide":
        notice = (PublicityNotice.objects.filter(case=ctx.case, step=PUBLICITY_STEP,
                                                 state=NoticeState.RUNNING)
                  .order_by("-start").first())
        return {"decided_on": _held_on(ctx),
                "decision_result": meeting_text(meeting, _choice_label(ctx, "body")),
                "publicity_start": notice.start if notice else None,
                "publicity_end": notice.earliest_end if notice else None,
                "publicity_days": notice.days if notice else None}
    if stage == PUBLICITY_STEP:
        return {"publicity_ended_at": ctx.at}
    return {"result_published_on": ctx.data.get("published_on"),
            "implementation_result": str(ctx.raw.get("result", ""))}


def _lock_numbers(ctx: EffectContext) -> None:
    """The matter's line, or the next number of the village's ledger, taken under lock."""
    line = MajorMatter.objects.select_for_update().filter(case=ctx.case).first()
    if line is None:
        taken = (MajorMatter.objects.select_for_update().filter(region=ctx.case.region)
                 .aggregate(m=Max("number"))["m"])
        ctx.scratch["number"] = (taken or 0) + 1
    ctx.scratch["line"] = line


def _record_stage(stage: str) -> Any:
    codes = [code for code, _ in STAGES]
    later = [col for _, cols in STAGES[codes.index(stage) + 1:] for col in cols]

    def apply(ctx: EffectContext) -> None:
        line: MajorMatter | None = ctx.scratch.get("line")
        if line is None:
            line = MajorMatter(region=ctx.case.region, case=ctx.case,
                               number=ctx.scratch["number"])
        if stage == "propose":
            line.title = ctx.case.title[:200]
            line.matter = _choice_label(ctx, "matter")
        for name, value in _stage_values(ctx, stage).items():
            setattr(line, name, value)
        for name in later:
            setattr(line, name, "" if name.endswith("result") else None)
        line.save()

    return apply


MATTER_STAGES = {stage: effect(f"decisions.major_matter_{stage}", check=_lock_numbers,
                               apply=_record_stage(stage))
                 for stage, _ in STAGES}
