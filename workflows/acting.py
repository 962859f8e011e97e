"""Who acts on a step: where its office-holders sit, which of a user's roles count, and
what the gate would accept from a user now (apart from data and time).

Public engine API: the gate, the notifications, the pages and the API ask these
functions; none of them keeps a copy of the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from core.models import Region
from core.roles import Level, Role
from core.scope import Held, get_scope, holds_role_over
from workflows.choices import CaseState, EventAction
from workflows.models import Case, CaseEvent
from workflows.spec import ActionSpec, Kind, ProcedureSpec, StepSpec
from workflows.visibility import can_see_case


def acting_region_id(village: Region, level: Level | str) -> int:
    """The id of the region whose office-holders do a step of ``level`` for a village."""
    ids = village.ancestor_ids
    return {Level.VILLAGE: ids[-1], Level.TOWNSHIP: ids[1], Level.DISTRICT: ids[0]}[Level(level)]


def acting_region(village: Region, level: Level | str) -> Region:
    """The region whose office-holders do a step of this level for a village's case."""
    if level == Level.VILLAGE:
        return village
    return Region.objects.get(pk=acting_region_id(village, level))


def step_roles_held(user: Any, step: StepSpec, village: Region) -> list[Held]:
    """The memberships by which ``user`` may act on ``step`` of a case in ``village``."""
    region_id = acting_region_id(village, step.level)
    return [h for h in get_scope(user).held if h.region_id == region_id and h.role in step.roles]


def opening_roles(spec: ProcedureSpec) -> list[Role]:
    """The roles that may open a case of ``spec``: the first step's actors, then its
    openers (held at or above the village, :func:`opening_roles_held`)."""
    return list(dict.fromkeys([*spec.first_step.roles, *spec.openers]))


def opening_roles_held(user: Any, spec: ProcedureSpec, village: Region) -> list[Held]:
    """The memberships by which ``user`` may open a case of ``spec`` in ``village``:
    an actor of the first step there, or an opener of the spec at or above it."""
    held = step_roles_held(user, spec.first_step, village)
    if held:
        return held
    return [h for r in spec.openers if (h := holds_role_over(user, Role(r), village)) is not None]


def openable_villages(user: Any, spec: ProcedureSpec, villages: Iterable[Region]) -> list[Region]:
    """The villages where ``user`` may open a case of ``spec`` (the gate's own rule)."""
    return [v for v in villages
            if can_see_case(user, region=v, procedure=spec.code)
            and opening_roles_held(user, spec, v)]


def done_by(case: Case, step_codes: Iterable[str]) -> set[int]:
    """Users who completed (moved the case out of) any of these steps."""
    codes = list(step_codes)
    if not codes:
        return set()
    return set(
        CaseEvent.objects.filter(case=case, from_step__in=codes)
        .exclude(action__in=[EventAction.RETURN, EventAction.WITHDRAW])
        .exclude(actor__isnull=True)
        .values_list("actor_id", flat=True)
    )


def separation_problem(user: Any, case: Case, step: StepSpec) -> str | None:
    """Why the separation of duties bars ``user`` from ``step`` (None when it does not), as
    written: a spec's reason or a msgid of ours, to be translated where it is read
    (``workflows.messages.translate`` or a ``spec_text`` in a stored message)."""
    rule = step.separation
    if rule is None:
        return None
    if rule.not_actor_of and user.pk in done_by(case, rule.not_actor_of):
        return rule.reason or gettext_noop("同一人不能既办理前一环节又办理本环节。")
    if rule.not_roles:
        held = {h.role for h in get_scope(user).held if h.region_id == case.region_id}
        if held & set(rule.not_roles):
            return rule.reason or gettext_noop("您担任的职务不能办理本环节。")
    return None


@dataclass(frozen=True)
class Offer:
    """An action a user may take now (subject to data and time)."""

    action: ActionSpec
    role: Role


def current_step(case: Case) -> tuple[ProcedureSpec, StepSpec] | None:
    """The spec (of the case's own version) and the step the case waits at, if open."""
    spec = case.spec
    if case.state != CaseState.OPEN or spec is None or not spec.has_step(case.current_step):
        return None
    return spec, spec.step(case.current_step)


def available_actions(user: Any, case: Case) -> list[Offer]:
    """What the gate would accept from ``user`` now, apart from data and time rules:
    the usual way forward first, then the other ways forward, then side actions."""
    here = current_step(case)
    if here is None:
        return []
    _spec, step = here
    held = step_roles_held(user, step, case.region)
    if not held or separation_problem(user, case, step) is not None:
        return []
    role = held[0].role
    forward = [a for a in step.actions if a.kind == Kind.FORWARD]
    side = [a for a in step.actions if a.kind == Kind.SIDE]
    return [Offer(a, role) for a in forward + side]


def can_return(user: Any, case: Case) -> list[str]:
    """The steps ``user`` may send the case back to (an actor of the current step)."""
    here = current_step(case)
    if here is None:
        return []
    _spec, step = here
    if not step.back_to or not step_roles_held(user, step, case.region):
        return []
    return list(step.back_to)


def can_withdraw(user: Any, case: Case) -> bool:
    return case.state == CaseState.OPEN and case.opened_by_id == user.pk
