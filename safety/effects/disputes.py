"""07(1) effects: the dispute ledger, its mediation records, report to the township,
the follow-up visit that must come before closing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from core.errors import RuleError
from core.models import Region
from safety.choices import DisputeState, Gravity, MediationResult
from safety.effects.common import name_of, not_before, past_day
from safety.models import Dispute, MediationRecord
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext


def _dispute(ctx: EffectContext) -> Dispute:
    dispute = Dispute.objects.select_for_update().filter(case=ctx.case).first()
    if dispute is None:
        raise RuleError("not_registered", "该纠纷尚未登记。")
    return dispute


def register_dispute(ctx: EffectContext) -> None:
    received = past_day(ctx.data, "received_on", "受理日期")
    last = Dispute.objects.filter(region=ctx.case.region).aggregate(m=Max("number"))["m"]
    major = ctx.data["gravity"] == Gravity.MAJOR
    Dispute.objects.create(
        region=ctx.case.region, case=ctx.case, number=(last or 0) + 1,
        registered_at=ctx.event.at, received_on=received, parties=ctx.data["parties"],
        kind=ctx.data["kind"], source=ctx.data["source"], gravity=ctx.data["gravity"],
        summary=ctx.data["summary"],
        state=DisputeState.REPORTED if major else DisputeState.MEDIATING,
        reported_at=ctx.event.at if major else None,
    )


def acknowledge_report(ctx: EffectContext) -> None:
    dispute = _dispute(ctx)
    dispute.acknowledged_at = ctx.event.at
    dispute.state = DisputeState.MEDIATING
    dispute.save(update_fields=["acknowledged_at", "state"])


def record_session(ctx: EffectContext) -> None:
    dispute = _dispute(ctx)
    held = past_day(ctx.data, "held_on", "调解日期")
    not_before(held, dispute.received_on, "held_on", "调解日期", "受理日期")
    MediationRecord.objects.create(
        dispute=dispute, held_on=held, means=ctx.data["means"], content=ctx.data["content"],
        mediator=name_of(ctx.actor), recorded_at=ctx.event.at,
    )


def conclude_mediation(ctx: EffectContext) -> None:
    record_session(ctx)
    dispute = _dispute(ctx)
    dispute.result = str(MediationResult(ctx.data["result"]).label)
    dispute.concluded_at = ctx.event.at
    dispute.state = DisputeState.CONCLUDED
    dispute.save(update_fields=["result", "concluded_at", "state"])


def record_follow_up(ctx: EffectContext) -> None:
    dispute = _dispute(ctx)
    visited = past_day(ctx.data, "visited_on", "回访日期")
    last_session = dispute.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
    if last_session is not None:
        not_before(visited, last_session, "visited_on", "回访日期", "最后一次调解日期")
    dispute.visited_on = visited
    dispute.visited_by = name_of(ctx.actor)
    dispute.satisfied = bool(ctx.data.get("satisfied"))
    dispute.state = DisputeState.VISITED
    dispute.save(update_fields=["visited_on", "visited_by", "satisfied", "state"])
    if not dispute.satisfied:
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=f"{ctx.case.region.name}纠纷第{dispute.number}号回访时当事人不满意:"
                            f"{ctx.data.get('feedback', '')}",
                    key=f"dispute-unsatisfied:{dispute.pk}")


def archive_dispute(ctx: EffectContext) -> None:
    dispute = _dispute(ctx)
    if dispute.visited_on is None:
        raise RuleError("follow_up_missing", "未完成跟踪回访的纠纷不能归档。")
    dispute.archived_at = ctx.event.at
    dispute.state = DisputeState.ARCHIVED
    dispute.save(update_fields=["archived_at", "state"])


def dispute_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = Dispute.objects.filter(region=region).annotate(n=Count("sessions")).order_by("number")
    for d in qs.iterator(2000):
        yield (d.number, d.received_on, d.parties, d.get_kind_display(),
               d.get_source_display(), d.get_gravity_display(),
               timezone.localtime(d.reported_at).date() if d.reported_at else "",
               d.n, d.result, d.visited_on or "",
               "" if d.satisfied is None else ("满意" if d.satisfied else "不满意"),
               d.get_state_display())

