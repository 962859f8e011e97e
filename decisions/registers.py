"""The ledger 03.2 exports: every filed version of a village's rules, newest first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from core.models import Region
from decisions.models import VillageRules

RULES_COLUMNS = (
    ("version", "版本号"), ("adopted_on", "表决通过日期"), ("adopted_by", "表决机构"),
    ("filed_on", "区民政局备案日期"), ("filing_number", "备案文号"), ("status", "状态"),
    ("summary", "条文摘要"),
)
SUMMARY_CHARS = 60


def rules_register_rows(region: Region) -> Iterable[Sequence[Any]]:
    rows = VillageRules.objects.of(region)
    current = True
    for row in rows.iterator(500):
        summary = row.text if len(row.text) <= SUMMARY_CHARS else row.text[:SUMMARY_CHARS] + "…"
        yield (row.version, row.adopted_on, row.adopted_by, row.filed_on, row.filing_number,
               "现行" if current else "已被新版本取代", summary)
        current = False
