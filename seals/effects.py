"""The rule checks and register writes of 04: the seal register line made when the keeper
applies the seal."""

from __future__ import annotations

from core.errors import NotAllowed, RuleError
from seals.choices import PROCEDURE_SEAL
from seals.models import Seal, SealUse
from workflows.effects import EffectContext, effect


def _check_seal_use(ctx: EffectContext) -> None:
    """The seal is registered, the actor is its keeper, and no more copies are stamped than
    were approved. The seal row stays locked until the line is written, so that two uses
    of one seal cannot take the same number."""
    kind = PROCEDURE_SEAL.get(ctx.case.procedure)
    seal = (Seal.objects.select_for_update()
            .filter(region=ctx.case.region, kind=kind, ended_on__isnull=True).first()
            if kind else None)
    if seal is None:
        what = kind.label if kind else "该印章"
        raise RuleError("seal_not_registered",
                        f"本村(社区)尚未登记{what}及其保管人,请先在印章名册中登记。")
    if seal.keeper_id != ctx.actor.pk:
        raise NotAllowed(f"{seal.name}由{seal.keeper.get_full_name()}专人保管,只能由其确认用印。")
    approved = ctx.step_values("apply").get("copies")
    approved = approved if isinstance(approved, int) else 0
    stamped = ctx.data.get("copies_stamped")
    stamped = stamped if isinstance(stamped, int) else 0
    if stamped < 1 or stamped > approved:
        raise RuleError("copies_exceeded",
                        f"实际盖章份数须在1到批准的{approved}份之间。", field="copies_stamped")
    last = (SealUse.objects.filter(seal=seal).order_by("-number")
            .values_list("number", flat=True).first())
    ctx.scratch["seal"] = seal
    ctx.scratch["number"] = (last or 0) + 1


def _write_seal_use(ctx: EffectContext) -> None:
    """The numbered line of the seal register, with the document the approver saw."""
    application = ctx.step_data("apply")
    document = application.get("document")
    document = document if isinstance(document, dict) else {}
    approver = ctx.actor_of("approve")
    applicant = ctx.actor_of("apply")
    SealUse.objects.create(
        seal=ctx.scratch["seal"], region=ctx.case.region, number=ctx.scratch["number"],
        case=ctx.case, used_at=ctx.at, purpose=str(application.get("purpose", "")),
        document=str(document.get("name", "")), document_sha256=str(document.get("sha256", "")),
        copies=int(ctx.data["copies_stamped"]), matter=str(application.get("matter", "")),
        applicant=applicant.get_full_name() if applicant else "",
        approver=approver.get_full_name() if approver else "",
        keeper=ctx.actor.get_full_name(),
    )


RECORD_SEAL_USE = effect("seals.record_seal_use", check=_check_seal_use,
                         apply=_write_seal_use, reads=("apply", "approve"))
