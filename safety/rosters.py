"""The grids of 08 and their workers as rosters of the engine (``workflows.rosters``).

``grid`` 网格名册 and ``grid_worker`` 网格员名册: fields name them by ``ref`` (a grid
screened, an incident's grid, the worker on duty); each keeps its history, and an entry is
ended (撤销、离岗), never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.errors import RuleError
from core.listing import listed
from core.models import Region
from core.roles import Role
from safety.choices import GridEnd, GridWorkerEnd, GridWorkerKind
from safety.models import Grid, GridWorker
from safety.rules import GRID_CODE
from workflows.rosters import RefFilter, RosterSpec, end_fields, register_roster
from workflows.spec import TODAY, FieldType, Format, field

EDITORS = (Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR)


def grid_label(grid: Grid, day: dt.date) -> str:
    """第一网格(120户)."""
    return f"{grid.name}({grid.households}户)"


def check_grid_end(grid: Grid, values: Mapping[str, Any], actor: Any) -> None:
    """A grid is ended after its workers: nobody serves a grid that is gone."""
    serving = [w.name for w in grid.workers.all() if w.ended_on is None]
    if serving:
        raise RuleError("grid_has_workers", _("该网格还有在岗网格员(%(items)s),请先为其办理离岗或调"
                                              "整到其他网格。")
                                            % {"items": listed(serving)}, field="ended_on")


GRIDS = register_roster(RosterSpec(
    code="grid", name="网格名册", entry="网格", model=Grid,
    columns=(
        field("name", "网格名称", max_length=64, help="如:第一网格"),
        field("households", "户数", FieldType.INTEGER, min=0, max=100_000),
        field("area", "网格范围", required=False, max_length=200),
        field("set_up_on", "划定日期", FieldType.DATE, required=False, max=TODAY),
    ),
    procedures=(GRID_CODE,), editors=EDITORS, label=grid_label, key=("name",),
    order=("name",), search=("name", "area"), end=check_grid_end,
    ends=end_fields(GridEnd.choices, date_label="撤销日期", reason_label="撤销原因"),
    example={"name": "第一网格", "households": 120, "area": "一组、二组",
             "set_up_on": "2021-03-01"},
    basis="网格化服务管理的网格;排查轮次须覆盖在册的每一个网格。",
))


def worker_label(worker: GridWorker, day: dt.date) -> str:
    """张三(第一网格,专职网格员)."""
    return f"{worker.name}({worker.grid.name},{worker.get_kind_display()})"


def serving(entries: Iterable[GridWorker], day: dt.date) -> list[GridWorker]:
    return [w for w in entries if w.on_roster(day) and w.grid.on_roster(day)]


def check_worker(village: Region, worker: GridWorker | None,
                 values: Mapping[str, Any]) -> list[RuleError]:
    grid = values.get("grid")
    if isinstance(grid, Mapping) and not Grid.objects.filter(
            pk=int(grid["id"]), region=village, ended_on__isnull=True).exists():
        return [RuleError("not_on_roster", _("该网格已撤销。"), field="grid")]
    return []


GRID_WORKERS = register_roster(RosterSpec(
    code="grid_worker", name="网格员名册", entry="网格员", model=GridWorker,
    columns=(
        field("grid", "网格", FieldType.REF, ref="grid"),
        field("name", "姓名", max_length=32),
        field("mobile", "手机号码", format=Format.MOBILE, required=False),
        field("kind", "类别", FieldType.CHOICE, choices=GridWorkerKind.choices),
        field("user", "平台账号", FieldType.USER, required=False, user_roles=(Role.GRID_WORKER,),
              help="在平台有账号的网格员,选择其账号;没有的可不填"),
        field("started_on", "上岗日期", FieldType.DATE, required=False, max=TODAY),
    ),
    procedures=(GRID_CODE,), editors=EDITORS, label=worker_label, key=("grid", "name"),
    order=("grid__name", "kind", "name"), related=("grid", "user"),
    search=("name", "mobile"), current=serving, check=check_worker,
    filters={
        "full_time": RefFilter("专职网格员", lambda w, day: w.kind == GridWorkerKind.FULL_TIME),
        "part_time": RefFilter("兼职网格员", lambda w, day: w.kind == GridWorkerKind.PART_TIME),
    },
    ends=end_fields(GridWorkerEnd.choices, date_label="离岗日期", reason_label="离岗原因"),
    example=lambda village: {
        "grid": next((g.name for g in Grid.objects.of(village) if g.ended_on is None), ""),
        "name": "赵六", "mobile": "13800000003", "kind": GridWorkerKind.PART_TIME.label,
        "started_on": "2021-03-01"},
    basis="每个网格的专职、兼职网格员;网格员上报的事件记入网格事件登记簿。",
))
