"""What a domain app's effect receives when an action of its procedure is done.

Effects run inside the gate's transaction, after the event is written; they fill
the domain's registers (e.g. the seal register). They never change the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.models import Region, User
    from workflows.models import Attachment, Case, CaseEvent
    from workflows.spec import ActionSpec, StepSpec


@dataclass(frozen=True)
class EffectContext:
    case: Case
    event: CaseEvent
    step: StepSpec
    action: ActionSpec
    actor: User
    role: str
    acting_region: Region
    data: dict[str, Any]
    attachments: dict[str, Attachment]

    def actor_of(self, step_code: str) -> Any:
        """The user who completed ``step_code`` most recently in this case, if any."""
        from workflows.models import CaseEvent

        ev = (
            CaseEvent.objects.filter(case=self.case, from_step=step_code)
            .exclude(to_step=step_code)
            .select_related("actor")
            .order_by("-seq")
            .first()
        )
        return ev.actor if ev else None

    def step_data(self, step_code: str) -> dict[str, Any]:
        value = self.case.data.get(step_code, {})
        return value if isinstance(value, dict) else {}
