"""Demo rows of the safety app: one grid in each demo village, served by its grid worker
(idempotent; ``portal.demo.seed_domains`` calls ``seed_demo``)."""

from __future__ import annotations

from core.models import Membership
from core.roles import Level, Role
from safety.models import Grid, GridWorker


def seed_demo() -> list[str]:
    """Give each demo village one grid, served by its grid worker."""
    workers = (
        Membership.objects.active()
        .filter(role=Role.GRID_WORKER, region__level=Level.VILLAGE)
        .select_related("region", "user")
    )
    made = 0
    for m in workers:
        grid, created = Grid.objects.get_or_create(
            region=m.region, name="第一网格", defaults={"households": 120})
        GridWorker.objects.get_or_create(
            region=m.region, grid=grid, user=m.user,
            defaults={"name": m.user.get_full_name(), "mobile": m.user.mobile,
                      "started_on": m.start})
        made += int(created)
    return [f"网格:新建 {made} 个"] if made else []
