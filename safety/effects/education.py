"""09 effects: the legal-education activity ledger, with photos and sign-in sheets, and a
periodic check that no village lets legal education lapse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max

from core.errors import RuleError
from core.models import Region
from safety.effects.common import name_of, past_day
from safety.models import LegalEducationActivity
from workflows.alerts import raise_alert
from workflows.calendar import add_months
from workflows.choices import AlertKind
from workflows.effects import EffectContext


def record_activity(ctx: EffectContext) -> None:
    plan = ctx.step_data("plan")
    held = past_day(ctx.data, "held_on", "活动日期")
    count = int(ctx.data["participants"])
    if count < 1:
        raise RuleError("no_participants", "须填写实际参加人数。", field="participants")
    LegalEducationActivity.objects.create(
        region=ctx.case.region, case=ctx.case, kind=plan["kind"], topic=plan["topic"],
        held_on=held, location=ctx.data["location"], participants=count,
        participant_names=ctx.data.get("participant_names", ""), content=ctx.data["content"],
        photo=ctx.attachments["photo"], sign_in=ctx.attachments["sign_in"],
        organiser=name_of(ctx.actor),
    )


def education_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = LegalEducationActivity.objects.filter(region=region).select_related("photo", "sign_in")
    for a in qs.order_by("held_on", "pk").iterator(2000):
        yield (a.held_on, a.get_kind_display(), a.topic, a.location, a.participants,
               a.content, a.photo.original_name, a.sign_in.original_name, a.organiser)


def check_legal_education(now: dt.datetime) -> int:
    """A village whose last activity is older than the limit gets an alert, once per lapse."""
    from django.utils import timezone

    from safety.procedures.education import EDUCATION
    from safety.rules import LEGAL_EDUCATION_EVERY
    from workflows import params as tenant_params

    today = timezone.localdate(now)
    sent = 0
    lasts = (LegalEducationActivity.objects.order_by().values("region")
             .annotate(last=Max("held_on")).values_list("region", "last"))
    for region_id, last in lasts:
        region = Region.objects.get(pk=region_id)
        every = int(tenant_params.effective(EDUCATION, LEGAL_EDUCATION_EVERY, region))
        start = timezone.make_aware(dt.datetime.combine(last, dt.time()))
        if today <= timezone.localdate(add_months(start, every)):
            continue
        alert = raise_alert(kind=AlertKind.DOMAIN, region=region,
                            message=f"{region.name}自{last:%Y年%m月%d日}以来超过{every}个月"
                                    "未开展法治宣传教育活动",
                            key=f"legal-education-lapse:{region_id}:{last:%Y%m%d}")
        sent += int(alert is not None)
    return sent
