"""The write side of seals: the register entry made when the keeper applies the seal."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Max
from django.utils import timezone

from core.errors import NotAllowed, RuleError
from core.models import Region
from seals.choices import PROCEDURE_SEAL, SealKind
from seals.models import Seal, SealUse
from workflows.effects import EffectContext


def record_seal_use(ctx: EffectContext) -> None:
    """Effect of the ``stamp`` action: check the keeper and copies, number the register line."""
    kind = PROCEDURE_SEAL[ctx.case.procedure]
    seal = Seal.objects.select_for_update().filter(region=ctx.case.region, kind=kind).first()
    if seal is None:
        raise RuleError("seal_not_registered",
                        f"本村(社区)尚未登记{kind.label}及其保管人,请先在管理后台登记。")
    if seal.keeper_id != ctx.actor.pk:
        raise NotAllowed(f"{seal.name}由{seal.keeper.get_full_name()}专人保管,只能由其确认用印。")
    application = ctx.step_data("apply")
    approved = int(application.get("copies", 0))
    stamped = int(ctx.data.get("copies_stamped", 0))
    if stamped < 1 or stamped > approved:
        raise RuleError("copies_exceeded",
                        f"实际盖章份数须在1到批准的{approved}份之间。", field="copies_stamped")
    document = application.get("document") or {}
    number = (SealUse.objects.filter(seal=seal).aggregate(m=Max("number"))["m"] or 0) + 1
    approver = ctx.actor_of("approve")
    applicant = ctx.actor_of("apply")
    SealUse.objects.create(
        seal=seal, region=ctx.case.region, number=number, case=ctx.case,
        used_at=ctx.event.at, purpose=application.get("purpose", ""),
        document=document.get("name", ""), document_sha256=document.get("sha256", ""),
        copies=stamped, matter=application.get("matter", ""),
        applicant=applicant.get_full_name() if applicant else "",
        approver=approver.get_full_name() if approver else "",
        keeper=ctx.actor.get_full_name(),
    )


def seal_register_rows(kind: SealKind) -> Callable[[Region], Iterable[Sequence[Any]]]:
    def rows(region: Region) -> Iterable[Sequence[Any]]:
        uses = SealUse.objects.filter(region=region, seal__kind=kind).order_by("number")
        for use in uses.iterator(2000):
            yield (use.number, timezone.localtime(use.used_at).date(), use.purpose, use.document,
                   use.copies, use.applicant, use.approver, use.keeper)

    return rows
