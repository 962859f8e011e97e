"""The periodic custody check of 04 (``workflows.sweep``): a seal still in use with a keeper
whose office as seal keeper (印章保管人) has ended raises a supervisor alert, once for that
seal and that keeper."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import Membership
from core.roles import Role
from seals.models import Seal
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.messages import Text, spec_text
from workflows.models import Alert


def keeper_ended_key(seal: Seal) -> str:
    return f"seal-keeper-ended:{seal.pk}:{seal.keeper_id}"


def check_seal_keepers(now: dt.datetime) -> int:
    """Seals in use whose registered keeper no longer holds the office in the seal's
    village: one alert each (per seal and keeper), however often the sweep runs."""
    today = timezone.localdate(now)
    seals = [s for s in Seal.objects.filter(ended_on__isnull=True)
             .select_related("keeper", "region") if s.on_roster(today)]
    if not seals:
        return 0
    serving = set(Membership.objects.active(today)
                  .filter(role=Role.SEAL_KEEPER, region_id__in={s.region_id for s in seals})
                  .values_list("user_id", "region_id"))
    ended_rows = (Membership.objects.filter(role=Role.SEAL_KEEPER, end__lt=today,
                                            region_id__in={s.region_id for s in seals})
                  .order_by().values_list("user_id", "region_id").annotate(last=Max("end")))
    ended = {(user, region): last for user, region, last in ended_rows}
    stray = [s for s in seals if (s.keeper_id, s.region_id) not in serving]
    told = set(Alert.objects.filter(dedupe_key__in=[keeper_ended_key(s) for s in stray])
               .values_list("dedupe_key", flat=True))
    sent = 0
    for seal in stray:
        if keeper_ended_key(seal) in told:
            continue
        last = ended.get((seal.keeper_id, seal.region_id))
        since = (Text(gettext_noop("已于{day}终止"), day=last) if last
                 else Text(gettext_noop("不在任")))
        message = Text(gettext_noop("{place}的{seal}仍登记由{keeper}保管,但其印章保管人任职"
                                    "{since};请及时变更保管人或停用印章。"),
                       place=seal.region.name, seal=spec_text(seal.name),
                       keeper=seal.keeper.get_full_name(), since=since)
        if raise_alert(kind=AlertKind.DOMAIN, region=seal.region, message=message,
                       key=keeper_ended_key(seal)) is not None:
            sent += 1
    return sent


__all__ = ["check_seal_keepers", "keeper_ended_key"]
