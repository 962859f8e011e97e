"""The dashboard's tallies: kept by the gate, in local months, and rebuilt by the recount."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db.models import Count, Q
from django.utils import timezone

from tests.driver import GATE, drive, person
from tests.portal.pages import scenario
from workflows import tallies
from workflows.models import Case, CaseMonthTally, CaseTally, Task

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def kept() -> tuple[dict, dict]:
    totals = {(t.region_id, t.procedure): (t.opened, t.closed, t.withdrawn)
              for t in CaseTally.objects.all()}
    months = {(t.region_id, t.procedure, t.month): (t.opened, t.closed, t.withdrawn)
              for t in CaseMonthTally.objects.all()
              if (t.opened, t.closed, t.withdrawn) != (0, 0, 0)}
    return totals, months


def counted_from_cases() -> dict:
    return {(r, p): (o, c, w) for r, p, o, c, w in Case.objects.order_by()
            .values("region_id", "procedure")
            .annotate(o=Count("pk"), c=Count("pk", filter=Q(state="closed")),
                      w=Count("pk", filter=Q(state="withdrawn")))
            .values_list("region_id", "procedure", "o", "c", "w")}


@pytest.mark.django_db
def test_the_gate_keeps_the_tallies_that_a_recount_would_make(demo):
    ids = scenario.build(demo)
    drive(ids["seal_open"], via=GATE).do("dc_th_committee_member", "withdraw", samples=False,
                                         comment="申请人不再需要该证明")
    totals, months = kept()
    assert totals == counted_from_cases()
    th = demo["dc_th"].pk
    opened, closed, withdrawn = totals[(th, "04.2")]
    assert (closed, withdrawn) == (1, 1)
    assert opened == Case.objects.filter(region_id=th, procedure="04.2").count() >= 3
    tallies.recount()
    assert kept() == (totals, months)


@pytest.mark.django_db
def test_months_are_local_calendar_months(demo):
    # 2026-10-31 17:30 UTC is 1 November 01:30 in Shanghai
    with time_machine.travel(dt.datetime(2026, 10, 31, 17, 30, tzinfo=dt.UTC), tick=False):
        case = scenario.seal_case(demo["dc_th"], "dc_th", "出具居住证明", finish=False)
    with time_machine.travel(dt.datetime(2026, 11, 30, 16, 5, tzinfo=dt.UTC), tick=False):
        case.do("dc_th_committee_director", "approve", samples=False, opinion="同意")
        case.do("dc_th_seal_keeper", "stamp", samples=False, copies_stamped=2, papers_kept=True)
    _, months = kept()
    key = (demo["dc_th"].pk, "04.2")
    assert months[(*key, dt.date(2026, 11, 1))] == (1, 0, 0)
    assert months[(*key, dt.date(2026, 12, 1))] == (0, 1, 0)  # 1 December 00:05 local
    assert (*key, dt.date(2026, 10, 1)) not in months
    tallies.recount()
    assert kept()[1] == months


@pytest.mark.django_db
def test_recount_sets_drift_right_for_the_villages_asked(demo):
    ids = scenario.build(demo)
    th, qq = demo["dc_th"].pk, demo["xh_qq"].pk
    right = kept()
    CaseTally.objects.filter(region_id__in=[th, qq]).update(opened=999, closed=0)
    CaseMonthTally.objects.filter(region_id=th).delete()
    assert tallies.recount([th]) > (0, 0)
    totals, months = kept()
    assert all(v == right[0][k] for k, v in totals.items() if k[0] == th)
    assert {k: v for k, v in months.items() if k[0] == th} == \
        {k: v for k, v in right[1].items() if k[0] == th}
    assert totals[(qq, "04.2")][0] == 999  # not asked: left alone
    tallies.recount()
    assert kept() == right
    assert Case.objects.filter(pk=ids["qq_seal"]).exists()


@pytest.mark.django_db
def test_the_dashboard_counts_a_case_the_moment_it_closes(demo, client):
    client.force_login(person("sfq_district_civil_affairs"))
    case = scenario.seal_case(demo["dc_th"], "dc_th", "出具居住证明", finish=False)

    def th_counts():
        rows = client.get("/dashboard/").context["region_rows"]
        return next(r.counts for r in rows if r.label == "桃花村")

    before = th_counts()
    assert (before.open, before.closed) == (1, 0)
    case.do("dc_th_committee_director", "approve", samples=False, opinion="同意")
    case.do("dc_th_seal_keeper", "stamp", samples=False, copies_stamped=2, papers_kept=True)
    after = th_counts()
    assert (after.open, after.closed, after.total) == (0, 1, 1)
    trend = client.get("/dashboard/").context["board"].trend
    assert trend["opened"][-1] == 1 and trend["closed"][-1] == 1


def _steps(region_id: int, procedure: str) -> tuple[int, int, int]:
    t = CaseTally.objects.get(region_id=region_id, procedure=procedure)
    return t.steps_due, t.steps_on_time, t.late_cases


@pytest.mark.django_db
def test_steps_done_in_time_are_counted_by_the_gate_as_a_recount_would(demo):
    """A step done after its time limit counts as due and late (its case once, however many
    of its steps are late); one done within it as due and on time; one without a limit not
    at all."""
    th = demo["dc_th"].pk
    case = scenario.seal_case(demo["dc_th"], "dc_th", "出具居住证明", finish=False)
    before = _steps(th, "04.2")
    now = timezone.now()

    def limit(delta: dt.timedelta) -> None:  # the open step's time limit (not yet counted)
        Task.objects.filter(case_id=case.id, state="open").update(due_at=now + delta)

    limit(-dt.timedelta(days=1))
    case.do("dc_th_committee_director", "approve", samples=False, opinion="同意")
    assert _steps(th, "04.2") == (before[0] + 1, before[1], before[2] + 1)
    limit(dt.timedelta(days=1))
    case.do("dc_th_seal_keeper", "stamp", samples=False, copies_stamped=2, papers_kept=True)
    assert _steps(th, "04.2") == (before[0] + 2, before[1] + 1, before[2] + 1)
    second = scenario.seal_case(demo["dc_th"], "dc_th", "出具收入证明", finish=False)
    Task.objects.filter(case_id=second.id, state="open").update(due_at=now - dt.timedelta(1))
    second.do("dc_th_committee_director", "approve", samples=False, opinion="同意")
    assert _steps(th, "04.2")[2] == before[2] + 2  # another case late: counted
    counted = {(t.region_id, t.procedure): _steps(t.region_id, t.procedure)
               for t in CaseTally.objects.all()}
    tallies.recount()
    assert {(t.region_id, t.procedure): _steps(t.region_id, t.procedure)
            for t in CaseTally.objects.all()} == counted


@pytest.mark.django_db
def test_a_case_with_two_late_steps_is_one_late_case(demo):
    th = demo["dc_th"].pk
    case = scenario.seal_case(demo["dc_th"], "dc_th", "出具居住证明", finish=False)
    before = _steps(th, "04.2")
    past = timezone.now() - dt.timedelta(days=1)
    for user, action, data in (
            ("dc_th_committee_director", "approve", {"opinion": "同意"}),
            ("dc_th_seal_keeper", "stamp", {"copies_stamped": 2, "papers_kept": True})):
        Task.objects.filter(case_id=case.id, state="open").update(due_at=past)
        case.do(user, action, samples=False, **data)
    assert _steps(th, "04.2") == (before[0] + 2, before[1], before[2] + 1)
    tallies.recount([th])
    assert _steps(th, "04.2") == (before[0] + 2, before[1], before[2] + 1)
