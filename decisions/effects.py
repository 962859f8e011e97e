"""The rule checks and register writes of 03: the district's filing of the village rules.

The rules are adopted on the day the villagers' meeting that voted them was held (its
``held_at``, not in the future and not before the step opened); the filing date is
bounded by its field; what a field cannot say — that the filing follows the vote,
recorded at an earlier step — is checked here, before anything is stored.
"""

from __future__ import annotations

import datetime as dt

from core import dates
from core.errors import RuleError
from decisions.choices import RulesBody
from decisions.models import VillageRules
from workflows.effects import EffectContext, effect

DECIDED = "villagers_decide"


def _check_filing(ctx: EffectContext) -> None:
    """The filing date follows the adoption; the next version number is taken under lock."""
    meeting = ctx.step_values(DECIDED).get("meeting")
    adopted = meeting.get("held_on") if isinstance(meeting, dict) else None  # the vote's day
    if not isinstance(adopted, dt.date):
        raise RuleError("missing_field", "村(居)民会议表决通过的日期缺失,请退回重新表决。",
                        field="filed_on")
    filed: dt.date = ctx.data["filed_on"]
    dates.not_before(filed, adopted, field="filed_on", label="备案日期",
                     start_label=f"村(居)民会议表决通过的日期({dates.day_text(adopted)})")
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
