"""The ledger 06 exports: the households of every year's roster, with what they were paid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from core.idcard import mask_id
from core.models import Region
from subsidies.models import SubsidyHousehold
from workflows.choices import CaseState

ROSTER_REGISTER_COLUMNS = (
    ("year", "年度"), ("seq", "序号"), ("name", "户主姓名"), ("id_number", "身份证号"),
    ("area", "面积(亩)"), ("rate", "补贴标准(元/亩)"), ("amount", "补贴金额(元)"),
    ("paid_amount", "实发金额(元)"), ("paid_on", "发放日期"),
)


def roster_register_rows(region: Region) -> Iterable[Sequence[Any]]:
    rows = (SubsidyHousehold.objects.filter(region=region)
            .exclude(case__state=CaseState.WITHDRAWN)
            .order_by("-year", "case_id", "seq"))
    for h in rows.iterator(2000):
        yield (h.year, h.seq, h.name, mask_id(h.id_number), h.area, h.rate, h.amount,
               h.paid_amount if h.paid_amount is not None else "", h.paid_on or "")
