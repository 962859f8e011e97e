"""07(2) effects: the petition register, numbered on receipt; acceptance within 15 days;
handling within 60 days, extendable once or more by at most 30 in all; review within 30 days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max
from django.utils import timezone

from core.errors import RuleError
from core.models import Region
from safety.choices import Acceptance, PetitionState
from safety.effects.common import not_before, param, past_day
from safety.models import Petition
from safety.rules import (
    PETITION_ACCEPT_DAYS,
    PETITION_EXTENSION_MAX,
    PETITION_HANDLE_DAYS,
    PETITION_REGISTER_DAYS,
    PETITION_REVIEW_DAYS,
)
from workflows.alerts import raise_alert
from workflows.choices import AlertKind, TaskState
from workflows.effects import EffectContext
from workflows.models import Deadline, Task


def _petition(ctx: EffectContext) -> Petition:
    petition = Petition.objects.select_for_update().filter(case=ctx.case).first()
    if petition is None:
        raise RuleError("not_registered", "该信访事项尚未登记。")
    return petition


def register_petition(ctx: EffectContext) -> None:
    received = past_day(ctx.data, "received_on", "收到日期")
    today = timezone.localdate(ctx.event.at)
    region = ctx.case.region
    last = Petition.objects.filter(region=region, year=today.year).aggregate(m=Max("seq"))["m"]
    seq = (last or 0) + 1
    petition = Petition.objects.create(
        region=region, case=ctx.case, year=today.year, seq=seq,
        number=f"信访-{today.year}-{seq:04d}", received_on=received, registered_at=ctx.event.at,
        channel=ctx.data["channel"], petitioner=ctx.data["petitioner"],
        id_number=ctx.data.get("id_number", ""), content=ctx.data["content"],
    )
    limit = param(ctx.case.procedure, PETITION_REGISTER_DAYS, region)
    late = (today - received).days
    if late > limit:
        raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                    message=f"{region.name}信访事项{petition.number}于{received:%Y年%m月%d日}收到,"
                            f"{today:%Y年%m月%d日}才登记,超过{limit}天的登记时限(拖延登记)",
                    key=f"petition-late-register:{petition.pk}")


def decide_acceptance(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    told = past_day(ctx.data, "told_on", "告知信访人日期")
    not_before(told, petition.received_on, "told_on", "告知信访人日期", "收到日期")
    accepted = ctx.data["acceptance"] == Acceptance.ACCEPT
    body = str(ctx.data.get("competent_body", "")).strip()
    if not accepted and not body:
        raise RuleError("missing_field", "不予受理的,须写明告知信访人向哪个有权处理的机关提出。",
                        field="competent_body")
    petition.acceptance = ctx.data["acceptance"]
    petition.told_on = told
    petition.competent_body = body
    region = ctx.case.region
    limit = param(ctx.case.procedure, PETITION_ACCEPT_DAYS, region)
    if (told - petition.received_on).days > limit:
        raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                    message=f"{region.name}信访事项{petition.number}收到后{limit}天内未告知"
                            f"是否受理({told:%Y年%m月%d日}才告知)",
                    key=f"petition-late-accept:{petition.pk}")
    if accepted:
        start = timezone.localdate(ctx.event.at)
        petition.state = PetitionState.HANDLING
        petition.handling_started_on = start
        handle = param(ctx.case.procedure, PETITION_HANDLE_DAYS, region)
        petition.due_on = start + dt.timedelta(days=handle)
    else:
        petition.state = PetitionState.NOT_ACCEPTED
    petition.save()


def extend_handling(ctx: EffectContext) -> None:
    """Side action: the handling deadline moves by the days given, at most 30 in all."""
    petition = _petition(ctx)
    extra = int(ctx.data["days"])
    limit = param(ctx.case.procedure, PETITION_EXTENSION_MAX, ctx.case.region)
    if extra < 1:
        raise RuleError("invalid_extension", "延长天数至少为1天。", field="days")
    if petition.extension_days + extra > limit:
        raise RuleError("extension_too_long",
                        f"办理期限最多可延长{limit}天,已延长{petition.extension_days}天,"
                        f"本次不能延长{extra}天。", field="days")
    assert petition.due_on is not None
    assert petition.handling_started_on is not None
    told = past_day(ctx.data, "told_on", "告知信访人延期理由日期")
    not_before(told, petition.handling_started_on, "told_on", "告知信访人延期理由日期",
               "受理日期")
    petition.extension_days += extra
    petition.due_on = petition.due_on + dt.timedelta(days=extra)
    reason = str(ctx.data["reason"])
    petition.extension_reason = "\n".join(filter(None, (petition.extension_reason,
                                                        f"延长{extra}天:{reason}"
                                                        f"({told:%Y年%m月%d日}告知信访人)")))
    petition.save(update_fields=["extension_days", "due_on", "extension_reason"])
    shift = dt.timedelta(days=extra)
    task = Task.objects.filter(case=ctx.case, state=TaskState.OPEN).first()
    if task is not None and task.due_at is not None:
        task.due_at = task.due_at + shift
        task.save(update_fields=["due_at"])
        for deadline in Deadline.objects.filter(task=task, fired_at__isnull=True,
                                                cancelled=False):
            deadline.due_at = deadline.due_at + shift
            deadline.save(update_fields=["due_at"])


def reply_petition(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    replied = past_day(ctx.data, "replied_on", "答复日期")
    assert petition.handling_started_on is not None
    assert petition.due_on is not None
    not_before(replied, petition.handling_started_on, "replied_on", "答复日期", "受理日期")
    petition.replied_on = replied
    petition.opinion = ctx.data["opinion"]
    petition.state = PetitionState.REPLIED
    petition.save(update_fields=["replied_on", "opinion", "state"])
    if replied > petition.due_on:
        raise_alert(kind=AlertKind.OVERDUE, case=ctx.case, actor=ctx.actor,
                    message=f"{ctx.case.region.name}信访事项{petition.number}超过办理期限"
                            f"({petition.due_on:%Y年%m月%d日})才答复",
                    key=f"petition-late-reply:{petition.pk}")


def _review_last_day(ctx: EffectContext, petition: Petition) -> tuple[dt.date, int]:
    assert petition.replied_on is not None
    window = param(ctx.case.procedure, PETITION_REVIEW_DAYS, ctx.case.region)
    return petition.replied_on + dt.timedelta(days=window), window


def request_review(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    last, window = _review_last_day(ctx, petition)
    today = timezone.localdate(ctx.event.at)
    if today > last:
        raise RuleError("review_window_closed",
                        f"请求复查须在收到处理意见之日起{window}日内提出,"
                        f"已于{last:%Y年%m月%d日}届满,不再登记复查请求。")
    petition.review_requested_on = today
    petition.state = PetitionState.REVIEW
    petition.save(update_fields=["review_requested_on", "state"])


def close_without_review(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    last, _window = _review_last_day(ctx, petition)
    if timezone.localdate(ctx.event.at) <= last:
        until = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
        raise RuleError("too_early", f"请求复查期限至{last:%Y年%m月%d日}届满,届满后方可归档。",
                        not_before=until)


def record_review(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    petition.review_opinion = ctx.data["opinion"]
    petition.save(update_fields=["review_opinion"])


def archive_petition(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    petition.archived_at = ctx.event.at
    petition.state = PetitionState.ARCHIVED
    petition.save(update_fields=["archived_at", "state"])


def petition_rows(region: Region) -> Iterable[Sequence[Any]]:
    for p in Petition.objects.filter(region=region).order_by("year", "seq").iterator(2000):
        yield (p.number, p.received_on, timezone.localtime(p.registered_at).date(),
               p.get_channel_display(), p.petitioner, p.masked_id, p.content,
               p.get_acceptance_display() if p.acceptance else "", p.told_on or "",
               p.competent_body, p.due_on or "", p.extension_days or "", p.replied_on or "",
               p.review_requested_on or "", p.get_state_display())
