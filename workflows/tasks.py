"""Celery tasks. Beat runs the sweep every SWEEP_INTERVAL_SECONDS (settings)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail


@shared_task(name="workflows.tasks.sweep_deadlines_task")
def sweep_deadlines_task() -> dict[str, int]:
    from workflows.sweep import sweep

    result = sweep()
    return {"fired": result.fired, "notifications": result.notifications}


@shared_task(name="workflows.tasks.email_notifications", ignore_result=True)
def email_notifications(notification_ids: list[int]) -> int:
    """Mail notifications to users with an address; each is mailed at most once."""
    from django.db import transaction

    from workflows.models import Notification

    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids, emailed=False)
            .select_related("user")
        )
        messages = [
            ("村(社区)履职事项全程纪实平台提醒", n.message, settings.DEFAULT_FROM_EMAIL,
             [n.user.email])
            for n in rows if n.user.email
        ]
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed=True)
    if messages:
        send_mass_mail(messages, fail_silently=True)
    return len(messages)


@shared_task(name="workflows.tasks.recount_tallies_task")
def recount_tallies_task() -> dict[str, int]:
    """Nightly: rebuild the dashboard's tallies from the cases (sets any drift right)."""
    from workflows.tallies import recount

    totals, months = recount()
    return {"tallies": totals, "months": months}


@shared_task(name="workflows.tasks.check_chains_task")
def check_chains_task() -> dict[str, int]:
    """Nightly: re-hash every village's event chains and store the result (audit view)."""
    from workflows.chaincheck import check_all_villages

    return check_all_villages()
