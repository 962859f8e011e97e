"""A user's place in the tree: the roles held today, and the regions under them.

This is the bottom of authorization and knows no case and no procedure. Which
cases, notices, registers and pages a user may see is decided by one module of
the engine, ``workflows.visibility``, built on these answers. A user's scope is
computed once per request and cached on the user object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404

from core.models import Membership, Region, RegionQuerySet
from core.roles import ROLE_LEVEL, Level, Role

if TYPE_CHECKING:
    from core.models import User

_SCOPE_ATTR = "_portal_scope"


@dataclass(frozen=True)
class Held:
    """One active role of a user in one region."""

    role: Role
    region_id: int
    region_path: str
    level: Level


@dataclass
class Scope:
    """The roles a user holds today, each with its region; nothing about cases."""

    held: list[Held] = field(default_factory=list)
    # answers that higher layers derive from the scope, kept for the request
    memo: dict[str, Any] = field(default_factory=dict)
    # path -> ids of the regions under it, read once per scope (see region_ids_under)
    _ids_under: dict[str, list[int]] | None = None

    @property
    def is_empty(self) -> bool:
        return not self.held

    @property
    def paths(self) -> set[str]:
        """The paths of the regions in which the user holds a role."""
        return {h.region_path for h in self.held}

    def levels(self) -> set[Level]:
        return {h.level for h in self.held}

    def roles_in(self, region: Region) -> set[Role]:
        return {h.role for h in self.held if h.region_id == region.pk}

    def holds(self, role: Role | str, region: Region) -> bool:
        return any(h.role == role and h.region_id == region.pk for h in self.held)

    def over(self, region: Region) -> list[Held]:
        """The memberships held at ``region`` or at one of its ancestors."""
        return [h for h in self.held if region.path.startswith(h.region_path)]

    def region_ids_under(self, path: str) -> list[int]:
        """Ids of the regions whose path starts with ``path`` (one query for all held paths).

        Filtering rows by ``region_id IN (…)`` lets PostgreSQL use their indexes directly;
        a join on ``region.path LIKE …`` made it scan (docs/performance.md).
        """
        if self._ids_under is None:
            paths = sorted(self.paths)
            self._ids_under = {p: [] for p in paths}
            if paths:
                for pk, region_path in Region.objects.filter(
                        paths_q(paths)).values_list("pk", "path"):
                    for p in paths:
                        if region_path.startswith(p):
                            self._ids_under[p].append(pk)
        if path not in self._ids_under:
            self._ids_under[path] = list(
                Region.objects.filter(path__startswith=path).values_list("pk", flat=True))
        return self._ids_under[path]


def get_scope(user: User | Any) -> Scope:
    """The user's active memberships (a mismatched role and level never counts)."""
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
    setattr(user, _SCOPE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    if hasattr(user, _SCOPE_ATTR):
        delattr(user, _SCOPE_ATTR)


def paths_q(paths: Iterable[str], prefix: str = "") -> Q:
    """Rows (or rows through ``prefix``) whose region path starts with any of ``paths``."""
    q = Q(pk__in=[])
    for path in sorted(paths):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def visible_regions(user: User | Any) -> RegionQuerySet:
    """Every region under a region in which the user holds a role."""
    paths = get_scope(user).paths
    if not paths:
        return Region.objects.none()
    return Region.objects.filter(paths_q(paths))


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
