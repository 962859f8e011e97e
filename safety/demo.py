"""Demo rows of the safety app (idempotent; ``portal.demo.seed_domains`` calls
``seed_demo``): the grids of each demo village and their workers — the village's grid
worker (a portal account) full-time on the first grid, villagers' group leaders part-time
on the others."""

from __future__ import annotations

import datetime as dt

from simple_history.utils import bulk_create_with_history

from core.dates import start_of
from core.models import Membership
from core.roles import Level, Role
from safety.choices import GridWorkerKind
from safety.models import Grid, GridWorker

SET_UP = dt.date(2021, 3, 1)
GRIDS = ("第一网格", "第二网格", "第三网格")
# part-time workers of the second and third grids (by village code); 桃花村 keeps one grid,
# the one the safety tests screen
PART_TIME = {
    "330299101201": (),
    "330299101202": ("周玉华", "吴德胜"),
    "330299102001": ("郑丽娟", "王海平"),
    "330299102202": ("冯春兰", "陈长福"),
}
HOUSEHOLDS = (120, 95, 80)


def seed_demo() -> list[str]:
    """Give each demo village its grids, each served by its workers."""
    workers_held = (
        Membership.objects.active()
        .filter(role=Role.GRID_WORKER, region__level=Level.VILLAGE)
        .select_related("region", "user")
    )
    moment = start_of(SET_UP) + dt.timedelta(hours=9)
    made = 0
    for m in workers_held:
        village = m.region
        if Grid.objects.filter(region=village).exists():
            continue
        names = PART_TIME.get(village.code, ())
        grids = [Grid(region=village, name=name, households=HOUSEHOLDS[i], set_up_on=SET_UP,
                      area=f"第{'一二三'[i]}、{'二四六'[i]}村民小组")
                 for i, name in enumerate(GRIDS[: 1 + len(names)])]
        grids = bulk_create_with_history(grids, Grid, default_date=moment)
        grids = list(Grid.objects.filter(region=village).order_by("pk"))
        workers = [GridWorker(region=village, grid=grids[0], name=m.user.get_full_name(),
                              mobile=m.user.mobile, kind=GridWorkerKind.FULL_TIME,
                              user=m.user, started_on=SET_UP)]
        workers += [GridWorker(region=village, grid=grid, name=name,
                               mobile=f"137{village.code[-4:]}{k:04d}",
                               kind=GridWorkerKind.PART_TIME, started_on=SET_UP)
                    for k, (grid, name) in enumerate(zip(grids[1:], names, strict=False), 1)]
        bulk_create_with_history(workers, GridWorker, default_date=moment)
        made += len(grids)
    return [f"网格:新建 {made} 个(含网格员)"] if made else []
