"""07(1) effects: the dispute ledger, its mediation records, report to the township,
the follow-up visit that must come before closing.

Each effect checks (``check``) before the gate stores anything and writes the ledger
(``apply``) after the event; the dispute row a check locked reaches its apply through
``ctx.scratch``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.models import Region
from safety.choices import DisputeState, Gravity, MediationResult, PartySide
from safety.effects.common import locked, name_of
from safety.models import Dispute, MediationRecord
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.messages import Text


def _find(ctx: EffectContext) -> Dispute:
    dispute = locked(Dispute.objects.filter(case=ctx.case), _("纠纷"))
    ctx.scratch["dispute"] = dispute
    return dispute


def _registered(ctx: EffectContext) -> None:
    """The check of an effect that only needs the dispute row locked."""
    _find(ctx)


def _dispute(ctx: EffectContext) -> Dispute:
    dispute: Dispute = ctx.scratch["dispute"]
    return dispute


def parties_text(rows: Iterable[Mapping[str, Any]]) -> str:
    """The parties as the ledger shows them: 张三(申请人(一方),一组12号,13800000000);…"""
    out = []
    for row in rows:
        details = [str(PartySide(row["side"]).label), str(row["address"])]
        if row.get("phone"):
            details.append(str(row["phone"]))
        out.append(f"{row['name']}({','.join(details)})")
    return ";".join(out)


def _write_dispute(ctx: EffectContext) -> None:
    last = Dispute.objects.filter(region=ctx.case.region).aggregate(m=Max("number"))["m"]
    major = ctx.data["gravity"] == Gravity.MAJOR
    Dispute.objects.create(
        region=ctx.case.region, case=ctx.case, number=(last or 0) + 1,
        registered_at=ctx.at, received_on=ctx.data["received_on"],
        parties=parties_text(ctx.data["parties"]), kind=ctx.data["kind"], source=ctx.data["source"],
        gravity=ctx.data["gravity"], summary=ctx.data["summary"],
        state=DisputeState.REPORTED if major else DisputeState.MEDIATING,
        reported_at=ctx.at if major else None,
    )


# the received date may not lie in the future: the field's bound (max=TODAY)
REGISTER_DISPUTE = effect("safety.register_dispute", apply=_write_dispute)


def _acknowledge(ctx: EffectContext) -> None:
    dispute = _dispute(ctx)
    dispute.acknowledged_at = ctx.at
    dispute.state = DisputeState.MEDIATING
    dispute.save(update_fields=["acknowledged_at", "state"])


ACKNOWLEDGE_REPORT = effect("safety.acknowledge_dispute_report", check=_registered,
                            apply=_acknowledge)


def _check_session(ctx: EffectContext) -> None:
    dispute = _find(ctx)
    dates.not_before(ctx.data["held_on"], dispute.received_on, field="held_on",
                     label=_("调解日期"), start_label=_("受理日期"))


def _write_session(ctx: EffectContext) -> None:
    MediationRecord.objects.create(
        dispute=_dispute(ctx), held_on=ctx.data["held_on"], means=ctx.data["means"],
        content=ctx.data["content"], mediator=name_of(ctx.actor), recorded_at=ctx.at,
    )


RECORD_SESSION = effect("safety.record_mediation_session", check=_check_session,
                        apply=_write_session)


def _conclude(ctx: EffectContext) -> None:
    _write_session(ctx)
    dispute = _dispute(ctx)
    dispute.result = str(MediationResult(ctx.data["result"]).label)
    dispute.concluded_at = ctx.at
    dispute.state = DisputeState.CONCLUDED
    dispute.save(update_fields=["result", "concluded_at", "state"])


CONCLUDE_MEDIATION = effect("safety.conclude_mediation", check=_check_session,
                            apply=_conclude)


def _check_follow_up(ctx: EffectContext) -> None:
    dispute = _find(ctx)
    last_session = dispute.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
    if last_session is not None:
        dates.not_before(ctx.data["visited_on"], last_session, field="visited_on",
                         label=_("回访日期"), start_label=_("最后一次调解日期"))


def _write_follow_up(ctx: EffectContext) -> None:
    dispute = _dispute(ctx)
    dispute.visited_on = ctx.data["visited_on"]
    dispute.visited_by = name_of(ctx.actor)
    dispute.satisfied = bool(ctx.data.get("satisfied"))
    dispute.state = DisputeState.VISITED
    dispute.save(update_fields=["visited_on", "visited_by", "satisfied", "state"])
    if not dispute.satisfied:
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("{place}纠纷第{number}号回访时当事人不满意:"
                                              "{feedback}"),
                                 place=ctx.case.region.name, number=dispute.number,
                                 feedback=ctx.data.get("feedback", "")),
                    key=f"dispute-unsatisfied:{dispute.pk}")


RECORD_FOLLOW_UP = effect("safety.record_dispute_follow_up", check=_check_follow_up,
                          apply=_write_follow_up)


def _check_archive(ctx: EffectContext) -> None:
    if _find(ctx).visited_on is None:
        raise RuleError("follow_up_missing", _("未完成跟踪回访的纠纷不能归档。"))


def _archive(ctx: EffectContext) -> None:
    dispute = _dispute(ctx)
    dispute.archived_at = ctx.at
    dispute.state = DisputeState.ARCHIVED
    dispute.save(update_fields=["archived_at", "state"])


ARCHIVE_DISPUTE = effect("safety.archive_dispute", check=_check_archive, apply=_archive)


def dispute_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = Dispute.objects.filter(region=region).annotate(n=Count("sessions")).order_by("number")
    for d in qs.iterator(2000):
        yield (d.number, d.received_on, d.parties, d.get_kind_display(),
               d.get_source_display(), d.get_gravity_display(),
               timezone.localtime(d.reported_at).date() if d.reported_at else "",
               d.n, d.result, d.visited_on or "",
               "" if d.satisfied is None else ("满意" if d.satisfied else "不满意"),
               d.get_state_display())
