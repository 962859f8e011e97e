"""The village's seals and their keepers as a roster of the engine (``workflows.rosters``).

A change of keeper is a line of the seal's history (who kept it on which day); a seal taken
out of use is ended (缴销、停用), never deleted, and a new one of its kind registered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.models import Region
from core.roles import Role
from seals.choices import SealEnd, SealKind
from seals.models import Seal
from workflows.fields import user_choices
from workflows.rosters import RosterSpec, end_fields, register_roster
from workflows.spec import TODAY, FieldType, field

KEEPER = field("keeper", "保管人", FieldType.USER, user_roles=(Role.SEAL_KEEPER,),
               help="本村(社区)在任的印章保管人")


def seal_label(seal: Seal, day: dt.date) -> str:
    """桃花村村民委员会印章(保管人:张三)."""
    return f"{seal.name}(保管人:{seal.keeper.get_full_name()})"


def example(village: Region) -> dict[str, Any]:
    keepers = user_choices(KEEPER, village)
    return {"kind": SealKind.COMMITTEE.label, "name": f"{village.name}村民委员会印章",
            "keeper": keepers[0][1] if keepers else "", "started_on": "2021-03-01"}


SEALS = register_roster(RosterSpec(
    code="seal", name="印章名册", entry="印章", model=Seal,
    columns=(
        field("kind", "印章类别", FieldType.CHOICE, choices=SealKind.choices),
        field("name", "印章名称", max_length=100),
        KEEPER,
        field("started_on", "启用日期", FieldType.DATE, required=False, max=TODAY),
    ),
    procedures=("04.1", "04.2", "04.3"),
    editors=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR, Role.COLLECTIVE_HEAD),
    label=seal_label, key=("kind",), order=("kind",), related=("keeper",),
    search=("name",),
    ends=end_fields(SealEnd.choices, date_label="停用日期", reason_label="停用原因"),
    example=example,
    basis="用印时只有登记的保管人可以确认盖章;保管人的每次变更都记入印章的历史。",
))
