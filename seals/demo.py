"""The demo villages' seals: each village's three seals, kept by its seal keeper."""

from __future__ import annotations

from core.models import Membership
from core.roles import Level, Role
from seals.choices import SealKind
from seals.models import Seal


def seed_demo() -> list[str]:
    """Register each demo village's three seals with its seal keeper (idempotent)."""
    keepers = (
        Membership.objects.active()
        .filter(role=Role.SEAL_KEEPER, region__level=Level.VILLAGE)
        .select_related("region", "user")
    )
    made = 0
    for m in keepers:
        for kind in SealKind:
            _, created = Seal.objects.get_or_create(
                region=m.region, kind=kind,
                defaults={"name": f"{m.region.name}{kind.label}", "keeper": m.user},
            )
            made += int(created)
    return [f"印章:新登记 {made} 枚"] if made else []
