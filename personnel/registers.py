"""The ledgers 05 exports: reserve cadres and mass-organisation posts, auxiliary staff."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from core.models import Region
from personnel.choices import RESERVE
from personnel.models import Appointee
from workflows.choices import CaseState

RESERVE_COLUMNS = (
    ("seq", "序号"), ("track", "组织"), ("name", "姓名"), ("id_number", "身份证号"),
    ("post", "拟任职务"), ("vetting", "联审结果"), ("state", "状态"), ("start_on", "任职日期"),
)
AUXILIARY_COLUMNS = (
    ("name", "姓名"), ("id_number", "身份证号"), ("post", "岗位"), ("pay", "月报酬(元)"),
    ("term", "期限(月)"), ("start_on", "起始日期"), ("end_on", "终止日期"),
    ("vetting", "联审结果"), ("state", "状态"),
)


def register_rows(procedure: str) -> Callable[[Region], Iterable[Sequence[Any]]]:
    def rows(region: Region) -> Iterable[Sequence[Any]]:
        qs = (Appointee.objects.filter(region=region, procedure=procedure)
              .exclude(case__state=CaseState.WITHDRAWN).order_by("case_id", "seq"))
        for n, a in enumerate(qs.iterator(2000), 1):
            if procedure == RESERVE:
                yield (n, a.get_track_display(), a.name, a.masked_id, a.post,
                       a.get_vetting_display(), a.get_state_display(), a.start_on or "")
            else:
                yield (a.name, a.masked_id, a.post, a.monthly_pay, a.term_months,
                       a.start_on or "", a.end_on or "", a.get_vetting_display(),
                       a.get_state_display())

    return rows
