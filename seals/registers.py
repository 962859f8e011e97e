"""The seal registers (用印登记簿) 04 exports, one per kind of seal."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils import timezone

from core.models import Region
from seals.choices import SealKind
from seals.models import SealUse

SEAL_COLUMNS = (
    ("number", "序号"), ("date", "日期"), ("purpose", "事由"), ("document", "文件"),
    ("copies", "份数"), ("applicant", "申请人"), ("approver", "批准人"),
    ("keeper", "经办人(保管人)"),
)


def seal_register_rows(kind: SealKind) -> Callable[[Region], Iterable[Sequence[Any]]]:
    def rows(region: Region) -> Iterable[Sequence[Any]]:
        uses = SealUse.objects.filter(region=region, seal__kind=kind).order_by("number")
        for use in uses.iterator(2000):
            yield (use.number, timezone.localtime(use.used_at).date(), use.purpose, use.document,
                   use.copies, use.applicant, use.approver, use.keeper)

    return rows
