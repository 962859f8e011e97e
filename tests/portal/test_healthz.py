"""/healthz answers a load balancer: JSON naming each check, 200 when the database and the
cache answer, 500 naming what failed — without a login, whatever the Accept header."""

from __future__ import annotations

import pytest
from django.core.cache.backends.base import BaseCache


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["*/*", "text/html", "application/json"])
def test_healthz_answers_json_with_each_check(client, accept):
    answer = client.get("/healthz", HTTP_ACCEPT=accept)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert set(body) == {"Database(alias='default')", "Cache(alias='default')"}
    assert set(body.values()) == {"OK"}
    assert "no-cache" in answer["Cache-Control"]


@pytest.mark.django_db
def test_healthz_says_which_check_failed(client, monkeypatch):
    async def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(BaseCache, "aset", broken)
    answer = client.get("/healthz")
    assert answer.status_code == 500
    body = answer.json()
    assert body["Database(alias='default')"] == "OK"
    assert body["Cache(alias='default')"] != "OK"
