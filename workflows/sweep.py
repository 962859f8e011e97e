"""The deadline sweep: fires every due reminder, escalation and window end once.

Only rows that are due and not yet fired are read (a partial index covers them).
Each row is claimed under a row lock (SKIP LOCKED on PostgreSQL) and marked
fired in the same transaction as its notifications, so running the sweep twice,
or in two processes at once, sends nothing twice. Nothing lives in the broker:
a Redis restart loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.roles import Role
from workflows.alerts import raise_case_alerts
from workflows.calendar import add_months
from workflows.choices import AlertKind, DeadlineKind, TaskState
from workflows.messages import Text, spec_text
from workflows.models import Case, Deadline
from workflows.notify import escalation_target, holdings, send_batch, users_holding
from workflows.registry import registry

BATCH = 500


@dataclass
class SweepResult:
    fired: int = 0
    notifications: int = 0


def _message(deadline: Deadline) -> Text:
    case = deadline.case
    task = deadline.task
    due = task.due_at if task and task.due_at else ""
    if deadline.kind == DeadlineKind.REMINDER:
        return Text(gettext_noop("【即将到期】“{title}”的当前环节须于{due}前办理。"),
                    title=case.title, due=due)
    if deadline.kind == DeadlineKind.OVERDUE:
        return Text(gettext_noop("【已逾期】“{title}”的当前环节已超过办理时限({due}),请尽快办理。"),
                    title=case.title, due=due)
    if deadline.kind == DeadlineKind.ESCALATION:
        return Text(gettext_noop("【逾期督办】{place}“{title}”已超过办理时限({due}),请督促办理。"),
                    place=case.region.name, title=case.title, due=due)
    if deadline.kind == DeadlineKind.HARD_LIMIT:
        return Text(gettext_noop("【超过最长期限】{place}“{title}”已超过规定的最长办理期限。"),
                    place=case.region.name, title=case.title)
    if deadline.kind == DeadlineKind.RECURRING:
        return Text(gettext_noop("【定期提醒】“{title}”:{reminder}"),
                    title=case.title, reminder=spec_text(deadline.message))
    return Text(gettext_noop("【公示期满】“{title}”的公示期已满,可以进行下一步。"),
                title=case.title)


class _Recipients:
    """Who is told of a deadline: the active memberships of every place a batch needs,
    read in one query per batch (``prefetch``), then grouped here."""

    def __init__(self) -> None:
        self.holders: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        self.loaded: set[int] = set()

    def prefetch(self, rows: list[Deadline]) -> None:
        regions: set[int] = set()
        for deadline in rows:
            task = deadline.task
            if task is None or task.state != TaskState.OPEN:
                continue
            regions.add(task.region_id)
            if deadline.kind in (DeadlineKind.ESCALATION, DeadlineKind.HARD_LIMIT):
                regions.add(escalation_target(deadline.case, task.region)[1])
        fresh = regions - self.loaded
        if fresh:
            for region_id, role, user_id in (
                holdings().filter(region_id__in=fresh).values_list("region_id", "role", "user_id")
            ):
                self.holders[region_id][role].add(user_id)
            self.loaded |= fresh

    def _holding(self, roles: Iterable[Role | str], region_id: int) -> list[int]:
        if region_id not in self.loaded:
            return users_holding(roles, region_id)
        held = self.holders[region_id]
        return sorted(set().union(*(held.get(str(r), set()) for r in roles)))

    def __call__(self, deadline: Deadline) -> list[int]:
        task = deadline.task
        if task is None or task.state != TaskState.OPEN:
            return []
        actors = self._holding(task.role_list, task.region_id)
        if deadline.kind not in (DeadlineKind.ESCALATION, DeadlineKind.HARD_LIMIT):
            return actors
        above = self._holding(*escalation_target(deadline.case, task.region))
        if deadline.kind == DeadlineKind.ESCALATION:
            return above
        return sorted(set(actors) | set(above))


def _recipients(deadline: Deadline) -> list[int]:
    """Who is told of one deadline, without the batch's cache (the benchmark's baseline)."""
    return _Recipients()(deadline)


def sweep(now: dt.datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    registry.load()  # domain apps register their periodic checks with their procedures
    moment = now or timezone.now()
    result = SweepResult()
    skip_locked = connection.features.has_select_for_update_skip_locked
    recipients = _Recipients()
    while True:
        with transaction.atomic():
            qs = Deadline.objects.filter(fired_at__isnull=True, cancelled=False,
                                         due_at__lte=moment).order_by("due_at", "pk")
            if skip_locked:  # PostgreSQL: lock only the deadline rows, skip those taken
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            else:
                qs = qs.select_for_update()
            rows = list(qs.select_related("case", "case__region", "task", "task__region")[:batch])
            if not rows:
                break
            recipients.prefetch(rows)
            follow_ups: list[Deadline] = []
            notices = []
            overdue: list[tuple[Case, str | Text, str]] = []
            for deadline in rows:
                users = recipients(deadline)
                if users:
                    notices.append((users, deadline.case, _message(deadline),
                                    f"deadline:{deadline.pk}"))
                if deadline.kind == DeadlineKind.ESCALATION and deadline.task is not None \
                        and deadline.task.state == TaskState.OPEN:
                    overdue.append((deadline.case, _message(deadline), f"overdue:{deadline.pk}"))
                if (deadline.kind == DeadlineKind.RECURRING and deadline.repeat_months
                        and deadline.task is not None
                        and deadline.task.state == TaskState.OPEN):
                    follow_ups.append(Deadline(
                        case=deadline.case, task=deadline.task, kind=DeadlineKind.RECURRING,
                        due_at=add_months(deadline.due_at, deadline.repeat_months),
                        message=deadline.message, repeat_months=deadline.repeat_months))
                deadline.fired_at = moment
            result.notifications += send_batch(notices)
            raise_case_alerts(AlertKind.OVERDUE, overdue)
            Deadline.objects.filter(pk__in=[d.pk for d in rows]).update(fired_at=moment)
            Deadline.objects.bulk_create(follow_ups)
            result.fired += len(rows)
        if len(rows) < batch:
            break
    for check in _CHECKS:
        result.notifications += check(moment)
    return result


# Periodic checks that are not tied to one case (e.g. a branch that has not held its
# monthly committee meeting). Each returns how many notifications it sent and must be
# idempotent (use notification keys that name the period).
_CHECKS: list[Callable[[dt.datetime], int]] = []


def register_check(check: Callable[[dt.datetime], int]) -> Callable[[dt.datetime], int]:
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check
