"""Who may open which oversight page. Every answer is built on core.scope; unseen is 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from core.models import Region
from core.roles import AUDIT_ROLES, Level, Role
from core.scope import get_scope
from workflows.registry import registry
from workflows.spec import ProcedureSpec

# District roles that may open the supervisory audit view of any village below them.
DISTRICT_AUDITORS = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_LEADER})


def oversees(user: Any) -> bool:
    """True when the user holds a township or district role (the dashboard's audience)."""
    return any(h.level in (Level.TOWNSHIP, Level.DISTRICT) for h in get_scope(user).held)


def require_oversight(user: Any) -> None:
    if not oversees(user):
        raise Http404


def visible_procedures(user: Any) -> list[ProcedureSpec]:
    """The procedures whose cases the user sees somewhere (a bureau: those it guides)."""
    scope = get_scope(user)
    specs = registry.all()
    if scope.subtree_paths or any(p is None for p in scope.district_procedures.values()):
        return specs
    codes: set[str] = set()
    for procedures in scope.district_procedures.values():
        codes |= procedures or set()
    return [spec for spec in specs if spec.code in codes]


def can_audit(user: Any, village: Region) -> bool:
    """The village's supervisors, any township role above it, the organisation department."""
    for held in get_scope(user).held:
        if held.role in AUDIT_ROLES and held.region_id == village.pk:
            return True
        if not village.path.startswith(held.region_path):
            continue
        if held.level == Level.TOWNSHIP or held.role in DISTRICT_AUDITORS:
            return True
    return False


def audit_villages(user: Any, *, with_checks: bool = False) -> list[Region]:
    """Every village the user may audit (for the navigation of the audit pages).

    ``with_checks``: each village comes with its stored chain check, in the same query.
    """
    from core.scope import visible_regions

    villages = visible_regions(user).filter(level=Level.VILLAGE).order_by("path")
    if with_checks:
        villages = villages.select_related("chain_check")
    return [v for v in villages if can_audit(user, v)]
