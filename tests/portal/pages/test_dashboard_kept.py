"""The dashboard keeps the months before this one for a minute, under the query itself; the
steps done in time come from the tallies and the live counts (overdue, publicity running)
are never kept."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from portal.pages import dashboard_data
from tests.portal.pages.helpers import late_and_on_time
from workflows.models import CaseMonthTally, Task

BUREAU = "sfq_district_civil_affairs"


def _village(response, name):
    return next(row.counts for row in response.context["ranking"] if row.label == name)


def test_the_months_before_this_one_are_kept_a_minute_and_the_rest_is_live(cases, web, demo):
    client = web(BUREAU)
    before = client.get("/dashboard/").context["board"].trend
    assert before["closed"][-2] == 0
    late_and_on_time(cases)  # one step done late (recounted), one open task past its time
    first = date_of_month(-1)  # last month, from the portal's clock
    CaseMonthTally.objects.create(region=demo["dc_th"], procedure="04.2", month=first,
                                  opened=0, closed=3, withdrawn=0)
    now = client.get("/dashboard/")
    th = _village(now, "桃花村")
    assert (th.overdue, th.late_cases) == (1, 1)  # live, and from the tallies: at once
    assert now.context["board"].trend["closed"][-2] == 0  # last month: as a minute ago
    later = timezone.now() + dt.timedelta(seconds=dashboard_data.KEPT_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        fresh = client.get("/dashboard/")
    assert fresh.context["board"].trend["closed"][-2] == 3


def date_of_month(offset: int) -> dt.date:
    local = timezone.localtime(timezone.now())
    month = local.year * 12 + local.month - 1 + offset
    return dt.date(month // 12, month % 12 + 1, 1)


def test_a_scope_never_gets_the_counts_kept_for_another(cases, web, demo):
    late_and_on_time(cases)
    township = web("dc_township_party").get("/dashboard/")
    assert {row.label for row in township.context["ranking"]} == {"桃花村", "杨柳村"}
    # the district's bureau, a minute not yet passed: its own query, its own answer
    district = web(BUREAU).get("/dashboard/")
    assert {row.label for row in district.context["ranking"]} == {
        "桃花村", "杨柳村", "清泉社区", "石桥村"}
    done = Task.objects.filter(state="done", due_at__isnull=False,
                               procedure__in=["03.1", "03.2", "04.2"])
    for name in ("桃花村", "清泉社区"):
        village = demo["dc_th"] if name == "桃花村" else demo["xh_qq"]
        assert _village(district, name).steps_due == done.filter(village=village).count()


def test_the_key_is_the_query_with_its_parameters(cases):
    """The same SQL with other values (another procedure) is another key."""
    done = Task.objects.filter(state="done").order_by("pk")
    for code in ("04.2", "03.1", "04.2"):
        expected = [(pk,) for pk in done.filter(procedure=code).values_list("pk", flat=True)]
        assert expected
        assert dashboard_data.kept(done.filter(procedure=code).values_list("pk"), "t") == expected
