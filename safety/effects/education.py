"""09 effects: the legal-education activity ledger, with photos and sign-in sheets, and a
periodic check that no village lets legal education lapse."""

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
from safety.effects.common import InForce, name_of
from safety.models import LegalEducationActivity
from safety.rules import EDUCATION_CODE, LEGAL_EDUCATION_EVERY
from workflows.alerts import raise_alert
from workflows.calendar import add_months
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.messages import Quantity, Text


def _check_activity(ctx: EffectContext) -> None:
    # the date may not lie in the future: the field's bound (max=TODAY)
    if ctx.data["participants"] < 1:
        raise RuleError("no_participants", _("须填写实际参加人数。"), field="participants")


def _write_activity(ctx: EffectContext) -> None:
    plan = ctx.step_values("plan")
    LegalEducationActivity.objects.create(
        region=ctx.case.region, case=ctx.case, kind=plan["kind"], topic=plan["topic"],
        held_on=ctx.data["held_on"], location=ctx.data["location"],
        participants=ctx.data["participants"],
        participant_names=ctx.data.get("participant_names", ""), content=ctx.data["content"],
        photo=ctx.attachments["photo"], sign_in=ctx.attachments["sign_in"],
        organiser=name_of(ctx.actor),
    )


RECORD_ACTIVITY = effect("safety.record_legal_education", check=_check_activity,
                         apply=_write_activity, reads=("plan",))


def education_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = LegalEducationActivity.objects.filter(region=region).select_related("photo", "sign_in")
    for a in qs.order_by("held_on", "pk").iterator(2000):
        yield (a.held_on, a.get_kind_display(), a.topic, a.location, a.participants,
               a.content, a.photo.original_name, a.sign_in.original_name, a.organiser)


def check_legal_education(now: dt.datetime) -> int:
    """A village whose last activity is older than the limit gets an alert, once per lapse."""
    today = timezone.localdate(now)
    every_in_force = InForce(EDUCATION_CODE, LEGAL_EDUCATION_EVERY)
    sent = 0
    lasts = dict(LegalEducationActivity.objects.order_by().values("region")
                 .annotate(last=Max("held_on")).values_list("region", "last"))
    for region_id, region in Region.objects.in_bulk(list(lasts)).items():
        last = lasts[region_id]
        every = every_in_force(region)
        if today <= timezone.localdate(add_months(dates.start_of(last), every)):
            continue
        alert = raise_alert(kind=AlertKind.DOMAIN, region=region,
                            message=Text(gettext_noop("{place}自{last}以来超过{every}"
                                                      "未开展法治宣传教育活动"),
                                         place=region.name, last=last,
                                         every=Quantity(every, "months")),
                            key=f"legal-education-lapse:{region_id}:{last:%Y%m%d}")
        sent += int(alert is not None)
    return sent
