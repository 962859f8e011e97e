"""My tasks and the review queue put what is late first, then what is due soon."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from tests.workflows.web.test_review_and_lists import submitted, township_spec  # noqa: F401
from workflows.choices import DeadlineKind
from workflows.models import Deadline, Task


def _due(case, when):
    Task.objects.filter(case=case, state="open").update(due_at=when)


def _order(html, titles):
    return sorted(titles, key=html.index)


def test_my_tasks_overdue_first_then_due_soon_with_time_left(web, demo, user,
                                                             township_spec):  # noqa: F811
    member = user("dc_th_committee_member")
    now = timezone.now()
    cases = {name: submitted(member, demo["dc_th"], name)
             for name in ("无时限事项", "下月到期事项", "明天到期事项", "昨天逾期事项")}
    _due(cases["下月到期事项"], now + dt.timedelta(days=30))
    _due(cases["明天到期事项"], now + dt.timedelta(days=1))
    _due(cases["昨天逾期事项"], now - dt.timedelta(days=1))
    html = web("dc_township_government").get("/").content.decode()
    assert _order(html, list(cases)) == ["昨天逾期事项", "明天到期事项", "下月到期事项",
                                         "无时限事项"]
    assert "1 件已逾期" in html and "1 件三天内到期" in html
    assert "无办理时限" in html and "已逾期" in html


def test_review_queue_puts_escalated_and_overdue_first(web, demo, user,
                                                       township_spec):  # noqa: F811
    member = user("dc_th_committee_member")
    now = timezone.now()
    soon = submitted(member, demo["dc_th"], "按期事项")
    _due(soon, now + dt.timedelta(days=2))
    escalated = submitted(member, demo["dc_th"], "已督办事项")
    _due(escalated, now + dt.timedelta(days=5))
    task = Task.objects.get(case=escalated, state="open")
    Deadline.objects.create(case=escalated, task=task, kind=DeadlineKind.ESCALATION,
                            due_at=now - dt.timedelta(hours=1), fired_at=now)
    late = submitted(member, demo["dc_th"], "逾期事项")
    _due(late, now - dt.timedelta(days=1))
    html = web("dc_township_government").get("/review/").content.decode()
    assert _order(html, ["按期事项", "已督办事项", "逾期事项"]) == [
        "逾期事项", "已督办事项", "按期事项"]
    assert "已上报" in html


def test_my_tasks_come_fifty_a_page_with_counts_over_all(web, demo, user,
                                                         township_spec):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = user("dc_th_committee_member")
    now = timezone.now()
    cases = [submitted(member, demo["dc_th"], f"事项{n:02d}") for n in range(55)]
    for n, case in enumerate(cases):
        _due(case, now + dt.timedelta(days=n - 3, hours=1))  # 3 overdue, then one a day
    from django.core.cache import caches

    def forget() -> None:  # each page rendered, not served from a cache (portal.inbox)
        for each in caches.all(initialized_only=True):
            each.clear()

    client = web("dc_township_government")
    client.get("/")  # the first page after login also records the session's last use
    forget()
    with CaptureQueriesContext(connection) as first_page:
        html = client.get("/").content.decode()
    assert "共 55 件待办" in html and "3 件已逾期" in html and "3 件三天内到期" in html
    listed = re.findall(r'class="task-title"[^>]*>([^<]+)<', html)
    assert listed == [f"事项{n:02d}" for n in range(50)]
    assert "第 1 / 2 页" in html
    forget()
    with CaptureQueriesContext(connection) as second_page:
        html = client.get("/", {"page": 2}).content.decode()
    listed = re.findall(r'class="task-title"[^>]*>([^<]+)<', html)
    assert listed == [f"事项{n:02d}" for n in range(50, 55)]
    assert len(second_page) == len(first_page)
