"""The one authorization module: who sees which region and which case.

Rules (design.md, "Visibility"):
- village and township roles see the cases of their region and everything below;
- a district bureau sees, district-wide, the cases of the procedures it guides;
  the organisation department and the district's leadership see all;
- the supervisory committee sees all cases of its village, read-only;
- explicit per-case grants (django-guardian) add to this, never remove.
Out of scope is answered with 404, never 403.

Every query of cases, every page, API endpoint, export and count asks this
module. A user's scope is computed once per request and cached on the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404

from core.lookups import among
from core.models import Membership, Region, RegionQuerySet
from core.roles import AUDIT_ROLES, DISTRICT_SEE_ALL, ROLE_LEVEL, Level, Role

if TYPE_CHECKING:
    from core.models import User

_SCOPE_ATTR = "_portal_scope"
# up to this many singly granted cases are written into the query as ids
GRANTS_INLINE = 500


@dataclass(frozen=True)
class Held:
    """One active role of a user in one region."""

    role: Role
    region_id: int
    region_path: str
    level: Level


@dataclass
class Scope:
    held: list[Held] = field(default_factory=list)
    # region paths whose whole subtree is visible (all procedures)
    subtree_paths: set[str] = field(default_factory=set)
    # district path -> procedure codes visible there (None = all)
    district_procedures: dict[str, set[str] | None] = field(default_factory=dict)
    # path -> ids of the regions under it, read once per scope (see region_ids_under)
    _ids_under: dict[str, list[int]] | None = None
    # ids of the cases granted singly to the user, read once per scope
    _granted: list[int] | None = None

    def region_ids_under(self, path: str) -> list[int]:
        """Ids of the regions whose path starts with ``path`` (one query for all paths).

        Filtering cases by ``region_id IN (…)`` lets PostgreSQL use the case indexes
        directly; a join on ``region.path LIKE …`` made it scan (docs/performance.md).
        """
        if self._ids_under is None:
            paths = sorted(set(self.subtree_paths) | set(self.district_procedures))
            self._ids_under = {p: [] for p in paths}
            if paths:
                for pk, region_path in Region.objects.filter(
                        _paths_q(paths, "")).values_list("pk", "path"):
                    for p in paths:
                        if region_path.startswith(p):
                            self._ids_under[p].append(pk)
        return self._ids_under.get(path, [])

    @property
    def is_empty(self) -> bool:
        return not self.held

    def roles_in(self, region: Region) -> set[Role]:
        return {h.role for h in self.held if h.region_id == region.pk}

    def holds(self, role: Role | str, region: Region) -> bool:
        return any(h.role == role and h.region_id == region.pk for h in self.held)

    def audit_only_in(self, region: Region) -> bool:
        """True when every role the user has over ``region`` is a read-only audit role."""
        over = [h for h in self.held if region.path.startswith(h.region_path)]
        return bool(over) and all(h.role in AUDIT_ROLES for h in over)


def guided_procedures(role: Role) -> set[str]:
    """Procedure codes whose guiding units include this district bureau role."""
    from workflows.registry import registry

    return {spec.code for spec in registry.all() if role in spec.guiding_roles}


def get_scope(user: User | Any) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, _SCOPE_ATTR, None)
    if cached is not None:
        return cached
    scope = Scope()
    rows = (
        Membership.objects.active()
        .filter(user=user)
        .values_list("role", "region_id", "region__path", "region__level")
    )
    for role_code, region_id, path, level in rows:
        role = Role(role_code)
        if ROLE_LEVEL[role] != level:
            continue  # a mismatched row never widens scope
        scope.held.append(Held(role, region_id, path, Level(level)))
        if level in (Level.VILLAGE, Level.TOWNSHIP):
            scope.subtree_paths.add(path)
        elif role in DISTRICT_SEE_ALL:
            scope.district_procedures[path] = None
        else:
            current = scope.district_procedures.get(path, set())
            if current is not None:
                scope.district_procedures[path] = current | guided_procedures(role)
    setattr(user, _SCOPE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    if hasattr(user, _SCOPE_ATTR):
        delattr(user, _SCOPE_ATTR)


def _paths_q(paths: Iterable[str], prefix: str) -> Q:
    q = Q(pk__in=[])
    for path in sorted(paths):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def visible_regions(user: User | Any) -> RegionQuerySet:
    """Every region in which the user sees at least something."""
    scope = get_scope(user)
    paths = set(scope.subtree_paths) | set(scope.district_procedures)
    if not paths:
        return Region.objects.none()
    return Region.objects.filter(_paths_q(paths, ""))


def case_q(user: User | Any, *, prefix: str = "", grants: bool = True) -> Q:
    """A Q over cases (or over rows with ``prefix`` leading to a case) that the user sees.

    Cases carry ``region`` (a village) and ``procedure`` (a code). ``grants=False``
    leaves out single cases granted to the user: the Q then also fits rows keyed
    by village and procedure only (the dashboard's tallies).
    """
    scope = get_scope(user)
    q = Q(pk__in=[])
    for path in sorted(scope.subtree_paths):
        q |= among(f"{prefix}region_id", scope.region_ids_under(path))
    for path, procedures in scope.district_procedures.items():
        in_district = among(f"{prefix}region_id", scope.region_ids_under(path))
        if procedures is None:
            q |= in_district
        elif procedures:
            q |= in_district & Q(**{f"{prefix}procedure__in": sorted(procedures)})
    if grants and getattr(user, "is_authenticated", False) and user.is_active:
        from workflows.grants import granted_case_ids

        if scope._granted is None:
            scope._granted = list(granted_case_ids(user).values_list(
                "content_object_id", flat=True)[:GRANTS_INLINE + 1])
        if len(scope._granted) > GRANTS_INLINE:  # very many: let the database join them
            q |= Q(**{f"{prefix}pk__in": granted_case_ids(user)})
        elif scope._granted:  # usually none: no OR at all, so the case indexes serve
            q |= among(f"{prefix}pk", scope._granted)
    return q


def can_see_case(user: User | Any, *, region: Region, procedure: str) -> bool:
    scope = get_scope(user)
    if any(region.path.startswith(path) for path in scope.subtree_paths):
        return True
    for path, procedures in scope.district_procedures.items():
        if region.path.startswith(path) and (procedures is None or procedure in procedures):
            return True
    return False


def access_region(user: User | Any, region_id: int | str) -> Region:
    """The region if the user sees it, else 404 (missing and out of scope alike)."""
    try:
        pk = int(region_id)
    except (TypeError, ValueError):
        raise Http404 from None
    region = visible_regions(user).filter(pk=pk).first()
    if region is None:
        raise Http404
    return region


def acting_regions(user: User | Any, roles: Iterable[Role | str]) -> list[Held]:
    """The (role, region) pairs through which the user may act for these roles."""
    wanted = {Role(r) for r in roles}
    return [h for h in get_scope(user).held if h.role in wanted]


def holds_role_over(user: User | Any, role: Role | str, region: Region) -> Held | None:
    """The membership by which ``user`` holds ``role`` at ``region`` or at an ancestor of it."""
    for held in get_scope(user).held:
        if held.role == role and region.path.startswith(held.region_path):
            return held
    return None
