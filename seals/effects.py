"""The rule checks and register writes of 04: the seal register line made when the keeper
applies the seal, and that line as a fact of the chain (``workflows.facts``): the event of
the stamping carries it, and verify_audit compares the stored line with it. A stamp tried
by someone who is not the seal's registered keeper is refused and alerts the supervisors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import NotAllowed, RuleError
from seals.choices import PROCEDURE_SEAL
from seals.models import Seal, SealUse
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.facts import FactCheck, jsonable, register_fact_check
from workflows.messages import Text


def _check_seal_use(ctx: EffectContext) -> None:
    """The seal is registered, the actor is its keeper, and no more copies are stamped than
    were approved. The seal row stays locked until the line is written, so that two uses
    of one seal cannot take the same number."""
    kind = PROCEDURE_SEAL.get(ctx.case.procedure)
    seal = (Seal.objects.select_for_update()
            .filter(region=ctx.case.region, kind=kind, ended_on__isnull=True).first()
            if kind else None)
    if seal is None:
        what = kind.label if kind else _("该印章")
        raise RuleError("seal_not_registered",
                        _("本村(社区)尚未登记%(what)s及其保管人,请先在印章名册中登记。")
                        % {"what": what})
    if seal.keeper_id != ctx.actor.pk:
        # refused, and the supervisors are told of the attempt (kept after the rollback);
        # stored as a template and its parameters, read in each supervisor's language
        ctx.refusal_alerts.append({
            "kind": AlertKind.DOMAIN, "case": ctx.case, "actor": ctx.actor,
            "message": Text(gettext_noop("{actor}试图为“{title}”确认加盖{seal},"
                                         "但该印章登记由{keeper}专人保管,系统已拒绝。"),
                            actor=ctx.actor.get_full_name(), title=ctx.case.title,
                            seal=seal.name, keeper=seal.keeper.get_full_name()),
            "key": f"seal-not-keeper:{ctx.case.pk}:{ctx.actor.pk}"})
        raise NotAllowed(_("%(seal)s由%(keeper)s专人保管,只能由其确认用印。")
                         % {"seal": seal.name, "keeper": seal.keeper.get_full_name()})
    approved = ctx.step_values("apply").get("copies")
    approved = approved if isinstance(approved, int) else 0
    stamped = ctx.data.get("copies_stamped")
    stamped = stamped if isinstance(stamped, int) else 0
    if stamped < 1 or stamped > approved:
        raise RuleError("copies_exceeded",
                        _("实际盖章份数须在1到批准的%(approved)s份之间。")
                        % {"approved": approved}, field="copies_stamped")
    last = (SealUse.objects.filter(seal=seal).order_by("-number")
            .values_list("number", flat=True).first())
    # the whole line, numbered, before anything is stored: the event that records the
    # stamping carries it (its hash covers it) and apply writes exactly this row
    application = ctx.step_data("apply")
    document = application.get("document")
    document = document if isinstance(document, dict) else {}
    approver = ctx.actor_of("approve")
    applicant = ctx.actor_of("apply")
    line = SealUse(
        seal=seal, region=ctx.case.region, number=(last or 0) + 1, case=ctx.case,
        used_at=ctx.at, purpose=str(application.get("purpose", "")),
        document=str(document.get("name", "")), document_sha256=str(document.get("sha256", "")),
        copies=stamped, matter=str(application.get("matter", "")),
        applicant=applicant.get_full_name() if applicant else "",
        approver=approver.get_full_name() if approver else "",
        keeper=ctx.actor.get_full_name(),
    )
    ctx.scratch["line"] = line
    ctx.facts[SEAL_USE_FACT] = line_fact(line)


def _write_seal_use(ctx: EffectContext) -> None:
    """The numbered line of the seal register, with the document the approver saw."""
    ctx.scratch["line"].save()


RECORD_SEAL_USE = effect("seals.record_seal_use", check=_check_seal_use,
                         apply=_write_seal_use, reads=("apply", "approve"))


# --- the register line as a fact of the chain ----------------------------------------------

SEAL_USE_FACT = "seal_use"
LINE_FIELDS = ("seal", "number", "used_at", "purpose", "document", "document_sha256", "copies",
               "matter", "applicant", "approver", "keeper")
LINE_LABELS = (("seal", "印章"), ("number", "登记序号"), ("used_at", "用印日期"),
               ("purpose", "事由"), ("document", "文件"), ("document_sha256", "文件SHA-256"),
               ("copies", "份数"), ("matter", "事项类别"), ("applicant", "申请人"),
               ("approver", "批准人"), ("keeper", "经办人(保管人)"))


def line_fact(line: Any) -> dict[str, Any]:
    """A line of the seal register as the chain keeps it (the seal by its id)."""
    values = {name: getattr(line, "seal_id" if name == "seal" else name)
              for name in LINE_FIELDS}
    return dict(jsonable(values))


def _stored_lines(case_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for line in SealUse.objects.filter(case_id__in=list(case_ids)).order_by("pk"):
        out.setdefault(line.case_id, []).append(line_fact(line))
    return out


SEAL_USE_CHECK = register_fact_check(FactCheck(
    SEAL_USE_FACT, "用印登记", _stored_lines, labels=LINE_LABELS))
