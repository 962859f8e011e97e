"""Helpers of the oversight page tests."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from workflows import tallies
from workflows.models import Task


def queries_for(client: Client, url: str, data: dict[str, object] | None = None) -> int:
    """How many queries a page runs (after a first request warmed the session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, data)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def late_and_on_time(cases: dict[str, int]) -> None:
    """桃花村's open seal case overdue; its closed one with one step done a day late and one
    in time (the other steps of the scenario have no due time or were done in time). The
    times are changed behind the gate, so the tallies are recounted after, as the nightly
    recount would."""
    Task.objects.filter(case_id=cases["seal_open"], state="open").update(
        due_at=timezone.now() - dt.timedelta(days=1))
    done = list(Task.objects.filter(case_id=cases["seal_closed"], state="done").order_by("pk"))
    Task.objects.filter(pk=done[0].pk).update(due_at=done[0].closed_at - dt.timedelta(days=1))
    Task.objects.filter(pk=done[1].pk).update(due_at=done[1].closed_at + dt.timedelta(days=1))
    tallies.recount()
