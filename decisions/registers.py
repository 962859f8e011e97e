"""The ledgers 03 exports: the "四议两公开" ledger of the major matters (03.1), and every
filed version of a village's rules, newest first (03.2)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from core.models import Region
from decisions.models import MajorMatter, VillageRules

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


MATTER_COLUMNS = (
    ("number", "序号"), ("title", "事项"), ("matter", "类别"),
    ("proposed_on", "党组织提议日期"), ("proposal", "党组织提议结果"),
    ("deliberated_on", "两委会议商议日期"), ("deliberation", "两委会议商议结果"),
    ("reviewed_on", "党员大会审议日期"), ("review", "党员大会审议结果"),
    ("decided_on", "村(居)民(代表)会议决议日期"), ("decision", "决议结果"),
    ("publicity_start", "决议公开开始"), ("publicity_end", "决议公开期满(最早结束)"),
    ("publicity_ended", "决议公开结束"),
    ("result_published_on", "实施结果公开日期"), ("result", "实施结果"), ("state", "状态"),
)


def _moment(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def matter_register_rows(region: Region) -> Iterable[Sequence[Any]]:
    """Every major matter of the village in the order it was proposed, each stage with its
    day and result; a matter withdrawn stays on the ledger, marked as such."""
    rows = MajorMatter.objects.filter(region=region).select_related("case").order_by("number")
    for m in rows.iterator(500):
        window = f"{m.publicity_days}天" if m.publicity_days else ""
        yield (m.number, m.title, m.matter,
               m.proposed_on or "", m.proposal_result, m.deliberated_on or "",
               m.deliberation_result, m.reviewed_on or "", m.review_result,
               m.decided_on or "", m.decision_result,
               _moment(m.publicity_start),
               f"{_moment(m.publicity_end)}({window})" if m.publicity_end else "",
               _moment(m.publicity_ended_at), m.result_published_on or "",
               m.implementation_result, m.case.get_state_display())
