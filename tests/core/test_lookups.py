"""``among``: one array parameter on PostgreSQL, a plain IN elsewhere; the same rows either way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from core.lookups import among
from core.models import Region

pytestmark = pytest.mark.django_db


def test_among_finds_the_same_rows_as_in(demo):
    ids = list(Region.objects.values_list("pk", flat=True))
    wanted = ids[::2]
    assert set(Region.objects.filter(among("pk", wanted)).values_list("pk", flat=True)) == \
        set(Region.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert not Region.objects.filter(among("pk", [])).exists()
    assert Region.objects.filter(among("pk", [])).count() == 0
    assert set(Region.objects.filter(among("pk", wanted) | Q(pk=ids[1]))
               .values_list("pk", flat=True)) == {*wanted, ids[1]}
    assert not Region.objects.exclude(among("pk", ids)).exists()


def test_a_long_list_is_one_parameter_on_postgresql(demo, monkeypatch):
    from core import lookups

    ids = list(Region.objects.values_list("pk", flat=True))
    monkeypatch.setattr(lookups, "ARRAY_FROM", 3)
    with CaptureQueriesContext(connection) as queries:
        assert len(Region.objects.filter(among("pk", ids))) == len(ids)
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
