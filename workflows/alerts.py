"""Integrity-risk alerts: written for the supervisory committee, who are told at once."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from portal.models import Region
from portal.roles import Role
from workflows.models import Alert, Case
from workflows.notify import send, users_holding


def raise_alert(*, kind: str, message: str, case: Case | None = None,
                region: Region | None = None, actor: Any = None,
                key: str | None = None) -> Alert | None:
    """Record an alert once (per ``key``) and notify the village's supervisors and the
    township discipline commission. Safe to call outside or inside a transaction."""
    place = region or (case.region if case else None)
    if place is None:
        raise ValueError("an alert needs a case or a region")
    try:
        with transaction.atomic():
            alert = Alert.objects.create(case=case, region=place, kind=kind,
                                         message=message[:400], actor=actor, dedupe_key=key)
    except IntegrityError:
        return None
    ids = place.ancestor_ids
    watchers = users_holding([Role.SUPERVISORY_MEMBER], place.pk)
    if len(ids) >= 2:
        watchers += users_holding([Role.TOWNSHIP_DISCIPLINE], ids[1])
    send(watchers, case, f"【风险预警】{message}", key=f"alert:{alert.pk}")
    return alert
