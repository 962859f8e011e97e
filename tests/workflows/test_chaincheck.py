"""The stored chain check of a village and the audit view's re-check of what changed since."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.portal.pages import scenario
from workflows.chaincheck import check_village, village_chains
from workflows.models import Case, ChainCheck

pytestmark = pytest.mark.django_db


def test_first_view_checks_the_village_in_full_and_stores_it(demo):
    ids = scenario.build(demo)
    th = demo["dc_th"]
    chains = village_chains(th)
    stored = ChainCheck.objects.get(region=th)
    assert chains.ok and chains.rechecked == 0
    assert stored.cases == chains.cases == Case.objects.filter(region=th).count()
    assert stored.events == chains.events == sum(
        Case.objects.filter(region=th).values_list("event_count", flat=True))
    assert stored.problems == {}
    assert ids["seal_closed"] in Case.objects.filter(region=th).values_list("pk", flat=True)


def test_a_case_changed_since_the_check_is_checked_again_at_once(demo):
    ids = scenario.build(demo)
    th = demo["dc_th"]
    check = check_village(th)
    # a later change to the case row (its head no longer matches its last event)
    Case.objects.filter(pk=ids["seal_open"]).update(last_hash="f" * 64,
                                                    updated_at=timezone.now())
    chains = village_chains(th)
    changed = Case.objects.filter(region=th, updated_at__gte=check.checked_at)
    assert ids["seal_open"] in changed.values_list("pk", flat=True)
    assert chains.rechecked == changed.count() < chains.cases
    assert set(chains.problems) == {ids["seal_open"]}
    assert "最后一条记录的哈希与事项不符" in chains.problems[ids["seal_open"]]


def test_an_old_case_altered_in_place_is_found_by_the_next_full_check(demo):
    ids = scenario.build(demo)
    th = demo["dc_th"]
    check_village(th)
    # altered without touching updated_at: the re-check of changes cannot see it ...
    Case.objects.filter(pk=ids["seal_closed"]).update(event_count=99)
    assert village_chains(th).ok
    # ... the nightly full check does, and the view shows it from then on
    ChainCheck.objects.filter(region=th).update(
        checked_at=timezone.now() - dt.timedelta(days=1))
    check_village(th)
    chains = village_chains(th)
    assert set(chains.problems) == {ids["seal_closed"]}
    assert "记录条数不符" in chains.problems[ids["seal_closed"]]


def test_verify_audit_store_keeps_each_villages_result(demo, capsys):
    ids = scenario.build(demo)
    call_command("verify_audit", "--store")
    assert "every event chain verifies" in capsys.readouterr().out
    villages = set(ChainCheck.objects.values_list("region__name", flat=True))
    assert {"桃花村", "杨柳村", "清泉社区"} <= villages
    Case.objects.filter(pk=ids["yl_seal"]).update(last_hash="0" * 64)
    with pytest.raises(CommandError):
        call_command("verify_audit", "--store")
    assert f"case {ids['yl_seal']}" in capsys.readouterr().err
    stored = ChainCheck.objects.get(region=demo["dc_yl"])
    assert list(stored.problems) == [str(ids["yl_seal"])]
