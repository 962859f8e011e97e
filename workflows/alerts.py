"""Integrity-risk alerts: written for the supervisory committee, who are told at once."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from core.models import Region
from core.roles import Role
from workflows.messages import Text, store
from workflows.models import Alert, Case
from workflows.notify import send, send_batch, users_holding

ALERT_NOTICE = gettext_noop("【风险预警】{alert}")


def raise_alert(*, kind: str, message: str | Text, case: Case | None = None,
                region: Region | None = None, actor: Any = None,
                key: str | None = None) -> Alert | None:
    """Record an alert once (per ``key``) and notify the village's supervisors and the
    township discipline commission. Safe to call outside or inside a transaction."""
    place = region or (case.region if case else None)
    if place is None:
        raise ValueError("an alert needs a case or a region")
    chinese, text = store(message)
    try:
        with transaction.atomic():
            alert = Alert.objects.create(case=case, region=place, kind=kind, message=chinese,
                                         text=text, actor=actor, dedupe_key=key)
    except IntegrityError:
        return None
    send(_watchers(place), case, _notice(alert), key=f"alert:{alert.pk}")
    return alert


def _watchers(place: Region) -> list[int]:
    """The village's supervisory committee and the township discipline commission."""
    ids = place.ancestor_ids
    watchers = users_holding([Role.SUPERVISORY_MEMBER], place.pk)
    if len(ids) >= 2:
        watchers += users_holding([Role.TOWNSHIP_DISCIPLINE], ids[1])
    return watchers


def _notice(alert: Alert) -> Text:
    """The watchers' notification of ``alert``, in each reader's language."""
    what = Text.from_json(alert.text) if alert.text else alert.message
    return Text(ALERT_NOTICE, alert=what)


def raise_case_alerts(kind: str, items: list[tuple[Case, str | Text, str]]) -> int:
    """Many case alerts at once, ``(case, message, key)`` each, for the sweep (its rows
    are claimed under lock): one query for keys raised before, one INSERT, and the
    watchers of each place looked up once. Returns how many alerts were written."""
    wanted = {key: Alert(case=case, region=case.region, kind=kind, message=stored[0],
                         text=stored[1], dedupe_key=key)
              for case, message, key in items for stored in [store(message)]}
    if not wanted:
        return 0
    before = set(Alert.objects.filter(dedupe_key__in=list(wanted))
                 .values_list("dedupe_key", flat=True))
    Alert.objects.bulk_create([a for k, a in wanted.items() if k not in before],
                              ignore_conflicts=True)
    fresh = Alert.objects.filter(dedupe_key__in=[k for k in wanted if k not in before])
    places: dict[int, list[int]] = {}
    notices = []
    for alert in fresh.only("pk", "message", "text", "dedupe_key"):
        case = wanted[str(alert.dedupe_key)].case
        assert case is not None
        if case.region_id not in places:
            places[case.region_id] = _watchers(case.region)
        notices.append((places[case.region_id], case, _notice(alert), f"alert:{alert.pk}"))
    send_batch(notices)
    return len(notices)
