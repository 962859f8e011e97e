"""07(2) effects: the petition register, numbered on receipt; acceptance within 15 days;
handling within 60 days, extendable once or more by at most 30 in all; review within 30 days.

Every refusal is in a ``check`` (before anything is stored); the register and the alerts
are written by the ``apply`` after the event. The numbers are those in force for the
case (``ctx.param``: tenant settings applied).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.models import Region
from safety.choices import Acceptance, PetitionState
from safety.effects.common import locked
from safety.models import Petition
from safety.rules import (
    PETITION_ACCEPT_DAYS,
    PETITION_EXTENSION_MAX,
    PETITION_HANDLE_DAYS,
    PETITION_REGISTER_DAYS,
    PETITION_REVIEW_DAYS,
)
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.messages import Quantity, Text
from workflows.schedule import shift_open_task


def _find(ctx: EffectContext) -> Petition:
    petition = locked(Petition.objects.filter(case=ctx.case), _("信访事项"))
    ctx.scratch["petition"] = petition
    return petition


def _registered(ctx: EffectContext) -> None:
    """The check of an effect that only needs the petition row locked."""
    _find(ctx)


def _petition(ctx: EffectContext) -> Petition:
    petition: Petition = ctx.scratch["petition"]
    return petition


def _today(ctx: EffectContext) -> dt.date:
    return timezone.localdate(ctx.at)


def _write_petition(ctx: EffectContext) -> None:
    received: dt.date = ctx.data["received_on"]
    today = _today(ctx)
    region = ctx.case.region
    last = Petition.objects.filter(region=region, year=today.year).aggregate(m=Max("seq"))["m"]
    seq = (last or 0) + 1
    petition = Petition.objects.create(
        region=region, case=ctx.case, year=today.year, seq=seq,
        number=f"信访-{today.year}-{seq:04d}", received_on=received, registered_at=ctx.at,
        channel=ctx.data["channel"], petitioner=ctx.data["petitioner"],
        id_number=ctx.data.get("id_number", ""), content=ctx.data["content"],
    )
    limit = int(ctx.param(PETITION_REGISTER_DAYS))
    if (today - received).days > limit:
        raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("{place}信访事项{number}于{received}收到,{today}"
                                              "才登记,超过{limit}的登记时限(拖延登记)"),
                                 place=region.name, number=petition.number, received=received,
                                 today=today, limit=Quantity(limit, "days")),
                    key=f"petition-late-register:{petition.pk}")


# the received date may not lie in the future: the field's bound (max=TODAY)
REGISTER_PETITION = effect("safety.register_petition", apply=_write_petition)


def _check_acceptance(ctx: EffectContext) -> None:
    petition = _find(ctx)
    # the competent body a refusal names is required by its field (required_if)
    dates.not_before(ctx.data["told_on"], petition.received_on, field="told_on",
                     label=_("告知信访人日期"), start_label=_("收到日期"))


def _decide(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    told: dt.date = ctx.data["told_on"]
    petition.acceptance = ctx.data["acceptance"]
    petition.told_on = told
    petition.competent_body = str(ctx.data.get("competent_body", "")).strip()
    region = ctx.case.region
    limit = int(ctx.param(PETITION_ACCEPT_DAYS))
    if (told - petition.received_on).days > limit:
        raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("{place}信访事项{number}收到后{limit}内未告知是否"
                                              "受理({told}才告知)"),
                                 place=region.name, number=petition.number,
                                 limit=Quantity(limit, "days"), told=told),
                    key=f"petition-late-accept:{petition.pk}")
    if ctx.data["acceptance"] == Acceptance.ACCEPT:
        start = _today(ctx)
        petition.state = PetitionState.HANDLING
        petition.handling_started_on = start
        petition.due_on = start + dt.timedelta(days=int(ctx.param(PETITION_HANDLE_DAYS)))
    else:
        petition.state = PetitionState.NOT_ACCEPTED
    petition.save()


DECIDE_ACCEPTANCE = effect("safety.decide_petition_acceptance", check=_check_acceptance,
                           apply=_decide)


def _check_extension(ctx: EffectContext) -> None:
    petition = _find(ctx)
    extra: int = ctx.data["days"]
    limit = int(ctx.param(PETITION_EXTENSION_MAX))
    if petition.extension_days + extra > limit:
        raise RuleError("extension_too_long",
                        _("办理期限最多可延长%(limit)s天,已延长%(extension_days)s天,本次不能延长"
                          "%(extra)s天。")
                        % {"limit": limit, "extension_days": petition.extension_days,
                           "extra": extra}, field="days")
    if petition.due_on is None or petition.handling_started_on is None:
        raise RuleError("not_accepted", _("该信访事项未受理,没有办理期限可延长。"))
    dates.not_before(ctx.data["told_on"], petition.handling_started_on, field="told_on",
                     label=_("告知信访人延期理由日期"), start_label=_("受理日期"))


def _extend(ctx: EffectContext) -> None:
    """The handling deadline, the open task and its reminders move by the days given."""
    petition = _petition(ctx)
    assert petition.due_on is not None  # checked
    extra: int = ctx.data["days"]
    told: dt.date = ctx.data["told_on"]
    petition.extension_days += extra
    petition.due_on = petition.due_on + dt.timedelta(days=extra)
    line = f"延长{extra}天:{ctx.data['reason']}({dates.day_text(told)}告知信访人)"
    petition.extension_reason = "\n".join(filter(None, (petition.extension_reason, line)))
    petition.save(update_fields=["extension_days", "due_on", "extension_reason"])
    shift_open_task(ctx.case, dt.timedelta(days=extra))


EXTEND_HANDLING = effect("safety.extend_petition_handling", check=_check_extension,
                         apply=_extend)


def _check_reply(ctx: EffectContext) -> None:
    petition = _find(ctx)
    if petition.due_on is None or petition.handling_started_on is None:
        raise RuleError("not_accepted", _("该信访事项未受理,不能答复处理意见。"))
    dates.not_before(ctx.data["replied_on"], petition.handling_started_on, field="replied_on",
                     label=_("答复日期"), start_label=_("受理日期"))


def _reply(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    assert petition.due_on is not None  # checked
    replied: dt.date = ctx.data["replied_on"]
    petition.replied_on = replied
    petition.opinion = ctx.data["opinion"]
    petition.state = PetitionState.REPLIED
    petition.save(update_fields=["replied_on", "opinion", "state"])
    if replied > petition.due_on:
        raise_alert(kind=AlertKind.OVERDUE, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("{place}信访事项{number}超过办理期限({due})"
                                              "才答复"),
                                 place=ctx.case.region.name, number=petition.number,
                                 due=petition.due_on),
                    key=f"petition-late-reply:{petition.pk}")


REPLY_PETITION = effect("safety.reply_petition", check=_check_reply, apply=_reply)


def _review_last_day(ctx: EffectContext, petition: Petition) -> tuple[dt.date, int]:
    """The last day on which the petitioner may ask for a review, and the window in days."""
    if petition.replied_on is None:
        raise RuleError("not_replied", _("该信访事项尚未答复处理意见。"))
    window = int(ctx.param(PETITION_REVIEW_DAYS))
    return petition.replied_on + dt.timedelta(days=window), window


def _check_review_request(ctx: EffectContext) -> None:
    petition = _find(ctx)
    last, window = _review_last_day(ctx, petition)
    if _today(ctx) > last:
        raise RuleError("review_window_closed",
                        _("请求复查须在收到处理意见之日起%(window)s日内提出,已于%(day)s届满,不再登"
                          "记复查请求。")
                        % {"window": window, "day": dates.local_day(last)})


def _request_review(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    petition.review_requested_on = _today(ctx)
    petition.state = PetitionState.REVIEW
    petition.save(update_fields=["review_requested_on", "state"])


REQUEST_REVIEW = effect("safety.request_petition_review", check=_check_review_request,
                        apply=_request_review)


def _check_window_passed(ctx: EffectContext) -> None:
    last, _window = _review_last_day(ctx, _find(ctx))
    if _today(ctx) <= last:
        raise RuleError("too_early", _("请求复查期限至%(day)s届满,届满后方可归档。")
                                     % {"day": dates.local_day(last)},
                        not_before=dates.start_of(last + dt.timedelta(days=1)))


CLOSE_WITHOUT_REVIEW = effect("safety.close_petition_without_review",
                              check=_check_window_passed)


def _record_review(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    petition.review_opinion = ctx.data["opinion"]
    petition.save(update_fields=["review_opinion"])


RECORD_REVIEW = effect("safety.record_petition_review", check=_registered, apply=_record_review)


def _archive(ctx: EffectContext) -> None:
    petition = _petition(ctx)
    petition.archived_at = ctx.at
    petition.state = PetitionState.ARCHIVED
    petition.save(update_fields=["archived_at", "state"])


ARCHIVE_PETITION = effect("safety.archive_petition", check=_registered, apply=_archive)


def petition_rows(region: Region) -> Iterable[Sequence[Any]]:
    for p in Petition.objects.filter(region=region).order_by("year", "seq").iterator(2000):
        yield (p.number, p.received_on, timezone.localtime(p.registered_at).date(),
               p.get_channel_display(), p.petitioner, p.masked_id, p.content,
               p.get_acceptance_display() if p.acceptance else "", p.told_on or "",
               p.competent_body, p.due_on or "", p.extension_days or "", p.replied_on or "",
               p.review_requested_on or "", p.get_state_display())
