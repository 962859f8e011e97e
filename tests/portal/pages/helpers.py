"""Helpers of the oversight page tests."""

from __future__ import annotations

from django.test import Client


def queries_for(client: Client, url: str, data: dict[str, object] | None = None) -> int:
    """How many queries a page runs (after a first request warmed the session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, data)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(ctx.captured_queries)
