"""Per-case grants through django-guardian (a case shared with a named reviewer)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def granted_case_ids(user: Any) -> QuerySet[Any]:
    from workflows.models import CaseUserObjectPermission

    return CaseUserObjectPermission.objects.filter(
        user=user, permission__codename="view_case"
    ).values("content_object_id")


def grant_case(user: Any, case: Any) -> None:
    from guardian.shortcuts import assign_perm

    from core.scope import forget_scope

    assign_perm("workflows.view_case", user, case)
    forget_scope(user)
