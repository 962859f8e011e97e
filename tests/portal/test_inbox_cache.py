"""我的待办 served from the cache (portal.inbox): never a stale list, never another's list,
and a bounded number of queries per request."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import portal.inbox
from core.models import Membership
from tests.driver import GATE, drive
from tests.workflows.web.test_review_and_lists import submitted, township_spec  # noqa: F401
from workflows.models import Task
from workflows.schedule import shift_open_task

# one inbox request served from the cache: the session (SQLite and no Redis: the database
# session engine), the user, their memberships, the page's rows with the counts, the
# latest notifications with the unread count; and for a township's user whether next
# year's working days were entered (the demo has not)
HIT_QUERIES = 6
# rendered: the page's tasks with their cases and regions, the regions of the roles held
MISS_QUERIES = HIT_QUERIES + 2


def _titles(html: str) -> list[str]:
    return re.findall(r'class="task-title"[^>]*>([^<]+)<', html)


def _list(html: str) -> str:
    """The task list with its summary, and the roles held (what is kept in the cache)."""
    return "".join(re.findall(r'<p class="summary">.*?</ul>|我的职务</h2>.*?</section>',
                              html, re.S))


@pytest.fixture
def renders(monkeypatch):
    """How many times the inbox's parts were rendered (not served from the cache)."""
    count = {"n": 0}
    real = portal.inbox.render_to_string

    def counting(name, context=None, *args, **kwargs):
        if name == "portal/_home_content.html":
            count["n"] += 1
        return real(name, context, *args, **kwargs)

    monkeypatch.setattr(portal.inbox, "render_to_string", counting)
    return count


def test_a_task_opened_or_closed_shows_on_the_very_next_request(
        web, demo, user, renders, township_spec):  # noqa: F811
    member = user("dc_th_committee_member")
    first = submitted(member, demo["dc_th"], "第一件待审")
    client = web("dc_township_government")
    client.get("/")  # the first page after login also records the session's last use
    before = client.get("/").content.decode()
    assert "第一件待审" in _titles(before)
    served = renders["n"]
    assert _list(client.get("/").content.decode()) == _list(before)  # from the cache
    assert renders["n"] == served

    second = submitted(member, demo["dc_th"], "第二件待审")  # a task opened for the role
    after = client.get("/").content.decode()
    assert {"第一件待审", "第二件待审"} <= set(_titles(after))
    assert "第二件待审" not in before

    drive(first.pk, via=GATE).do("dc_township_government", "approve", samples=False)
    closed = client.get("/").content.decode()  # the task closed: gone at once
    assert "第一件待审" not in _titles(closed)
    assert "第二件待审" in _titles(closed)

    drive(second.pk, via=GATE).do("dc_township_government", "approve", samples=False)
    empty = client.get("/").content.decode()
    assert "第二件待审" not in _titles(empty)


def test_a_moved_due_time_and_a_task_falling_late_show_at_once(
        web, demo, user, township_spec):  # noqa: F811
    member = user("dc_th_committee_member")
    case = submitted(member, demo["dc_th"], "有时限事项")
    Task.objects.filter(case=case, state="open").update(
        due_at=timezone.now() + dt.timedelta(days=10))
    client = web("dc_township_government")
    client.get("/")
    html = client.get("/").content.decode()
    assert "三天内到期" not in html
    shift_open_task(case, dt.timedelta(days=-8))  # two days left now
    assert "1 件三天内到期" in client.get("/").content.decode()
    # and written behind the engine's back (no event): the due time is in the key too
    Task.objects.filter(case=case, state="open").update(
        due_at=timezone.now() - dt.timedelta(hours=1))
    assert "1 件已逾期" in client.get("/").content.decode()


def test_a_membership_ended_or_given_changes_the_list_at_once(
        web, demo, user, township_spec):  # noqa: F811
    member = user("dc_th_committee_member")
    submitted(member, demo["dc_th"], "镇里的待审")
    client = web("dc_township_government")
    client.get("/")
    assert "镇里的待审" in _titles(client.get("/").content.decode())
    held = Membership.objects.get(user=user("dc_township_government"), region=demo["dc"],
                                  role="township_government")
    held.end = timezone.localdate() - dt.timedelta(days=1)
    held.save()
    html = client.get("/").content.decode()
    assert "镇里的待审" not in _titles(html)
    held.end = None
    held.save()
    assert "镇里的待审" in _titles(client.get("/").content.decode())


def test_another_user_never_gets_a_list_cached_for_someone_else(
        web, demo, user, renders, monkeypatch, township_spec):  # noqa: F811
    from django.core.cache import caches

    from core.models import User

    member = user("dc_th_committee_member")
    submitted(member, demo["dc_th"], "同岗位的待审")
    # a colleague holding the very same role in the very same place, and nothing else:
    # the same tasks, the same roles, the same page
    colleague = User.objects.create(username="dc_second_government")
    Membership.objects.create(user=colleague, region=demo["dc"], role="township_government")
    keys = []
    real_key = portal.inbox._key

    def recording(*args, **kwargs):
        keys.append(real_key(*args, **kwargs))
        return keys[-1]

    monkeypatch.setattr(portal.inbox, "_key", recording)
    one, other = web("dc_township_government"), web("dc_second_government")
    one.get("/")
    mine = one.get("/").content.decode()
    assert "同岗位的待审" in _titles(mine)
    # what the first one's key holds, marked: whoever is served it shows the mark
    for each in caches.all(initialized_only=True):
        each.set(keys[-1], "<p>MARK-OF-THE-FIRST</p>", 60)
    assert "MARK-OF-THE-FIRST" in one.get("/").content.decode()
    rendered = renders["n"]
    theirs = other.get("/").content.decode()
    assert "MARK-OF-THE-FIRST" not in theirs
    assert renders["n"] == rendered + 1  # rendered for them
    assert "同岗位的待审" in _titles(theirs)


def test_the_language_is_part_of_the_key(web, demo, user, township_spec):  # noqa: F811
    submitted(user("dc_th_committee_member"), demo["dc_th"], "语言")
    client = web("dc_township_government")
    client.get("/")
    assert "件待办" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "件待办" not in english and re.search(r"\b1 task\b", english)


def test_one_inbox_request_asks_few_queries(web, demo, user, township_spec):  # noqa: F811
    """A bound that shows regressions: the counts over all tasks, the page and the cache
    key come from one query, whatever the number of tasks."""
    from django.core.cache import caches

    member = user("dc_th_committee_member")
    for n in range(12):
        submitted(member, demo["dc_th"], f"事项{n:02d}")
    client = web("dc_township_government")
    client.get("/")  # the session's last use recorded
    for each in caches.all(initialized_only=True):
        each.clear()
    with CaptureQueriesContext(connection) as miss:
        client.get("/")
    with CaptureQueriesContext(connection) as hit:
        html = client.get("/").content.decode()
    assert len(_titles(html)) == 12
    assert len(hit) <= HIT_QUERIES, [q["sql"][:120] for q in hit]
    assert len(miss) <= MISS_QUERIES, [q["sql"][:120] for q in miss]


def test_a_new_or_read_notification_shows_at_once(web, demo, user):
    from workflows.models import Notification

    client = web("dc_township_government")
    client.get("/")
    client.get("/")
    note = Notification.objects.create(user=user("dc_township_government"),
                                       message="一条新的通知")
    html = client.get("/").content.decode()
    assert "<strong>一条新的通知</strong>" in html
    note.read_at = timezone.now()
    note.save()
    html = client.get("/").content.decode()
    assert "一条新的通知" in html and "<strong>一条新的通知</strong>" not in html
