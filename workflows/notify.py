"""Notifications in the portal (contract 5), written with the action; e-mail queued on commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from core.models import Membership, Region, User
from core.roles import Level, Role
from workflows.acting import acting_region_id
from workflows.messages import Text, spec_text, store
from workflows.models import Case, Notification, Task
from workflows.spec import StepSpec


def holdings() -> QuerySet[Membership]:
    """Roles held today by active users: whom a notification can reach."""
    return Membership.objects.active().filter(user__is_active=True)


def users_holding(roles: Iterable[Role | str], region_id: int) -> list[int]:
    return list(
        holdings()
        .filter(region_id=region_id, role__in=[str(r) for r in roles])
        .values_list("user_id", flat=True)
        .distinct()
    )


def task_holders(task: Task) -> list[Membership]:
    """Who holds the task's roles today where it is done: one membership a person (the
    first of their roles in role order), by role and name."""
    rows = (holdings().filter(region_id=task.region_id, role__in=task.role_list)
            .select_related("user").order_by("role", "user__full_name", "pk"))
    seen: set[int] = set()
    out = []
    for m in rows:
        if m.user_id not in seen:
            seen.add(m.user_id)
            out.append(m)
    return out


def escalation_target(case: Case, task_region: Region) -> tuple[list[Role], int]:
    """The level above the one that must act: township for villages, the district above.

    Returns (roles, region id) of those to tell.
    """
    spec = case.spec
    ids = task_region.ancestor_ids
    if task_region.level == Level.VILLAGE:
        return [Role.TOWNSHIP_PARTY, Role.TOWNSHIP_GOVERNMENT], ids[1]
    roles: list[Role] = [Role.DISTRICT_ORG, Role.DISTRICT_LEADER]
    if spec is not None:
        roles += list(spec.guiding_roles)
    return roles, ids[0]


def send(user_ids: Iterable[int], case: Case | None, message: str | Text, *,
         key: str | None = None) -> list[Notification]:
    """Create one notification per user; a ``key`` makes it happen at most once per user.
    A ``Text`` message is read in each reader's language (workflows.messages)."""
    created: list[Notification] = []
    chinese, text = store(message)
    for user_id in sorted(set(user_ids)):
        dedupe = f"{key}:{user_id}" if key else None
        if dedupe and Notification.objects.filter(dedupe_key=dedupe).exists():
            continue
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(
                    user_id=user_id, case=case, message=chinese, text=text,
                    dedupe_key=dedupe))
        except IntegrityError:
            continue  # someone else sent it at the same moment
    _mail_later([n.pk for n in created])
    return created


def _mail_later(ids: list[int]) -> None:
    """Queue the e-mail of those notifications whose reader has an address (most village
    readers have none: no task is queued for them)."""
    if not ids:
        return
    mailed = list(Notification.objects.filter(pk__in=ids).exclude(user__email="")
                  .values_list("pk", flat=True))
    if mailed:
        transaction.on_commit(lambda: email_notifications.delay(mailed))


def send_batch(items: Iterable[tuple[Iterable[int], Case | None, str | Text, str]]) -> int:
    """Many keyed notifications at once: ``(user_ids, case, message, key)`` per item.

    For the sweep, whose rows are already claimed under lock: one query finds the
    keys sent before, one INSERT writes the rest (a key that appears meanwhile is
    skipped by the unique index), and their e-mails are queued on commit.
    Returns how many notifications were written.
    """
    wanted: dict[str, Notification] = {}
    for user_ids, case, message, key in items:
        chinese, text = store(message)
        for user_id in sorted(set(user_ids)):
            dedupe = f"{key}:{user_id}"
            wanted.setdefault(dedupe, Notification(user_id=user_id, case=case, message=chinese,
                                                    text=text, dedupe_key=dedupe))
    if not wanted:
        return 0
    sent_before = set(Notification.objects.filter(dedupe_key__in=list(wanted))
                      .values_list("dedupe_key", flat=True))
    fresh = [n for key, n in wanted.items() if key not in sent_before]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    ids = list(Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in fresh])
               .values_list("pk", flat=True))
    _mail_later(ids)
    return len(ids)


def queue_task_notice(case: Case, step: StepSpec, *, exclude: Any = None,
                      returned_reason: str = "") -> None:
    region_id = acting_region_id(case.region, step.level)
    seq = case.event_count

    users = [u for u in users_holding(step.roles, region_id)
             if exclude is None or u != exclude.pk]
    if returned_reason:
        message = Text(gettext_noop("【退回】“{title}”已退回到“{step}”,理由:{reason}"),
                       title=case.title, step=spec_text(step.name), reason=returned_reason)
    else:
        message = Text(gettext_noop("【待办】“{title}”待您办理:{step}"),
                       title=case.title, step=spec_text(step.name))
    send(users, case, message, key=f"task:{case.pk}:{seq}")


def close_task_notices(case: Case, reminder_ids: Iterable[int], *, at: Any) -> int:
    """Once anyone has done (or returned, or withdrawn) the step, its 【待办】 and 【催办】
    notices and the reminders of its deadlines are read for every holder: they no longer
    ask anything of anyone. Escalations to the township and alerts stay as they are."""
    keys = (Q(dedupe_key__startswith=f"task:{case.pk}:")
            | Q(dedupe_key__startswith=f"nudge:{case.pk}:"))
    for pk in reminder_ids:
        keys |= Q(dedupe_key__startswith=f"deadline:{pk}:")
    return Notification.objects.filter(keys, case=case, read_at__isnull=True).update(read_at=at)


def queue_nudge_notice(case: Case, step: StepSpec, user_ids: Iterable[int], *, by: str
                       ) -> list[Notification]:
    """A 催办: every holder of the task is told who asks them to do it (the event's seq
    keys it, so a retried request tells nobody twice)."""
    message = Text(gettext_noop("【催办】{actor}提醒您尽快办理“{title}”:{step}"),
                   actor=by, title=case.title, step=spec_text(step.name))
    return send(user_ids, case, message, key=f"nudge:{case.pk}:{case.event_count}")


def queue_objection_notice(case: Case, step: StepSpec, *, also: Iterable[Role | str] = ()
                           ) -> None:
    """A villager's online objection: the holders of the notice's step (who answer it) and
    ``also`` (the village's supervisory committee) are told; never the villager's name."""
    users = set(users_holding(step.roles, acting_region_id(case.region, step.level)))
    users |= set(users_holding(also, case.region_id))
    send(users, case, Text(gettext_noop("【异议】“{title}”的公示收到一条村民网上异议,"
                                        "请在公示期内答复。"), title=case.title),
         key=f"objection:{case.pk}:{case.event_count}")


def queue_closed_notice(case: Case, *, exclude: Any = None) -> None:
    opener = case.opened_by_id
    if exclude is not None and opener == exclude.pk:
        return
    send([opener], case, Text(gettext_noop("【办结】“{title}”已办结:{outcome}。"),
                              title=case.title, outcome=spec_text(case.outcome)),
         key=f"closed:{case.pk}")


def unread_count(user: User) -> int:
    return Notification.objects.filter(Q(user=user) & Q(read_at__isnull=True)).count()


@shared_task(name="workflows.tasks.email_notifications", ignore_result=True)
def email_notifications(notification_ids: list[int]) -> int:
    """Mail notifications to users with an address; each is mailed at most once."""
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
