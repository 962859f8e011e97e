"""Domain effects: what an action's ``Effect`` receives, and the registry of effects by name.

An effect's ``check(ctx)`` runs after the gate has locked the case and before it
stores anything (files included): a refusal raised there changes nothing. Its
``apply(ctx)`` runs in the same transaction after the event is written
(``ctx.event`` and ``ctx.attachments`` are set then); it fills the domain's
registers and never changes the case itself.

A check may also put what it derived into ``ctx.facts`` (a register line: its number,
copies, document): the gate writes those into the event, covered by its hash, and the
effect's registered ``workflows.facts.FactCheck`` lets ``verify_audit`` compare the
stored row with them.

``ctx.data`` holds the action's values as Python objects (``datetime.date`` for a
date, ``Decimal`` for a decimal, aware ``datetime`` for a date-time); ``ctx.raw``
holds them as the event records them. Effects are registered by name so that a
procedure defined as data can name them (contract 9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from workflows import history
from workflows.spec import Effect, EffectFn, Param, ProcedureSpec

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from core.models import Region, User
    from workflows.attachments import CheckedFile
    from workflows.models import Attachment, Case, CaseEvent
    from workflows.spec import ActionSpec, StepSpec


@dataclass
class EffectContext:
    case: Case
    spec: ProcedureSpec
    step: StepSpec
    action: ActionSpec
    actor: User
    role: str
    acting_region: Region
    now: dt.datetime
    # the action's values as Python objects, and as recorded in the event
    data: dict[str, Any]
    raw: dict[str, Any]
    # the tenant's effective numbers of the procedure (stricter settings applied)
    params: Mapping[str, int | Fraction]
    # uploads of this action, checked (type by content, SHA-256), not stored yet at check
    uploads: dict[str, tuple[UploadedFile, CheckedFile]] = field(default_factory=dict)
    # set for apply: the event written and the stored attachments
    event: CaseEvent | None = None
    attachments: dict[str, Attachment] = field(default_factory=dict)
    # what a check found that its apply needs (e.g. a parsed table)
    scratch: dict[str, Any] = field(default_factory=dict)
    # facts a check derives and its apply writes (a register line): the gate puts them
    # into the event, under its hash; each name is a registered ``workflows.facts.FactCheck``
    facts: dict[str, Any] = field(default_factory=dict)
    # the text of the notice the action opens, when a check builds it (a subsidy roster's
    # public lines): the gate writes it into the notice it opens, so the window's fact in
    # the event covers what the board shows
    notice_content: str | None = None
    # alerts about an attempt a check refuses (a seal stamped by someone not its keeper):
    # ``workflows.alerts.raise_alert``'s keywords; the gate raises them once the refusal has
    # undone everything else, so that the supervisors hear of what was refused
    refusal_alerts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def at(self) -> dt.datetime:
        """When the action happens (the event's time)."""
        return self.event.at if self.event is not None else self.now

    def param(self, param: Param) -> int | Fraction:
        """The value in force of one of the procedure's numbers."""
        return self.params.get(param.name, param.value)

    def actor_of(self, step_code: str) -> Any:
        """The user who completed ``step_code`` most recently in this case, if any."""
        return history.actor_of(self.case, step_code)

    def step_values(self, step_code: str) -> dict[str, Any]:
        """What an earlier step recorded, typed like ``data`` (dates as dates, …)."""
        return history.step_values(self.spec, self.case, step_code)

    def step_data(self, step_code: str) -> dict[str, Any]:
        """What an earlier step recorded, as the event records it (JSON)."""
        value = self.case.data.get(step_code, {}) if isinstance(self.case.data, dict) else {}
        return value if isinstance(value, dict) else {}


_EFFECTS: dict[str, Effect] = {}


def effect(name: str, *, check: EffectFn | None = None, apply: EffectFn | None = None,
           reads: tuple[str, ...] = ()) -> Effect:
    """Declare (and register by name) an effect; names are ``<app>.<what>``."""
    if check is None and apply is None:
        raise ValueError(f"effect {name}: needs a check or an apply")
    made = Effect(name, check=check, apply=apply, reads=reads)
    known = _EFFECTS.get(name)
    if known is not None and known != made:
        raise ValueError(f"effect {name} declared twice")
    _EFFECTS[name] = made
    return made


def get_effect(name: str) -> Effect | None:
    return _EFFECTS.get(name)


def all_effects() -> list[Effect]:
    return sorted(_EFFECTS.values(), key=lambda e: e.name)
