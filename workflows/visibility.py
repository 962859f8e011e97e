"""Scoped reads. Every id from a URL goes through an ``access_*`` helper (404 if unseen)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from core.scope import get_scope
from workflows.choices import TaskState
from workflows.models import Attachment, Case, CaseQuerySet, Notification, Task


def visible_cases(user: Any) -> CaseQuerySet:
    return Case.objects.visible_to(user)


def access_case(user: Any, case_id: int | str) -> Case:
    """The case if ``user`` sees it; 404 for missing and out-of-scope alike."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case = visible_cases(user).select_related("region", "opened_by").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def access_attachment(user: Any, attachment_id: int | str) -> Attachment:
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    att = Attachment.objects.filter(pk=pk, case__in=visible_cases(user)).first()
    if att is None:
        raise Http404
    return att


def inbox_q(user: Any) -> Q:
    """Open tasks that ``user`` may act on: a held role listed on a task of that region."""
    q = Q(pk__in=[])
    for held in get_scope(user).held:
        q |= Q(region_id=held.region_id, roles__contains=f",{held.role},")
    return q


def inbox(user: Any) -> QuerySet[Task]:
    return (
        Task.objects.filter(state=TaskState.OPEN)
        .filter(inbox_q(user))
        .select_related("case", "case__region", "region")
    )


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)
