"""The demo villages' seals: each village's three seals, kept by its seal keeper."""

from __future__ import annotations

import datetime as dt

from core.dates import start_of
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
    started = dt.date(2021, 3, 1)
    made = 0
    for m in keepers:
        for kind in SealKind:
            if Seal.objects.filter(region=m.region, kind=kind).exists():
                continue
            seal = Seal(region=m.region, kind=kind, name=f"{m.region.name}{kind.label}",
                        keeper=m.user, started_on=started)
            seal._history_date = start_of(started) + dt.timedelta(hours=9)  # type: ignore[attr-defined]
            seal.save()
            made += 1
    return [f"印章:新登记 {made} 枚"] if made else []
