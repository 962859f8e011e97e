"""我的待办 (the home page), its content rendered once and kept in the cache.

The page's content (the list of tasks, the newest notifications, the user's roles) is
rendered once and served from the cache while nothing it shows has changed. Their key is
read from the database on every request, by the one query the page needs anyway
(docs/performance.md, "Inbox throughput"):

- the rows of the page shown, in the page's order, as (task id, due time, the case's
  number of events): a task opened or closed for one of the user's roles and places
  changes the rows, a moved due time changes them, and every action on a case appends an
  event to it;
- the counts over all the user's open tasks (how many, how many late, how many due soon:
  the summary line and the pager; a task that falls late moves them), read with the
  rows as window aggregates: one query.

With them the key holds the newest notifications (read with their unread count in one
query) and the user, their roles and places today (the memberships are read on every
request), the language, the time zone, the page number and the minute (the
time left is shown to the minute). So a new task is listed on the very next request and a
closed one is gone from it; nothing is ever deleted from the cache to make that so, which
is why it holds with a cache of each process's own too. What the key does not see (a
village renamed, a case's title corrected in the admin) shows within ``KEEP_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Window
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from core.models import Region
from core.places import kind_of, place_words
from core.scope import Scope, get_scope
from workflows.models import Notification
from workflows.registry import registry
from workflows.visibility import inbox, urgency
from workflows.web.display import time_left
from workflows.wording import placed

SOON = dt.timedelta(days=3)
TASKS_PER_PAGE = 50
# how long a rendered part is kept: its key changes with the minute anyway
KEEP_SECONDS = 120
_VERSION = "1"


def _ordered(mine: Any) -> Any:
    """Emergencies first, then overdue first and due soonest, then the oldest."""
    return mine.annotate(urgent=urgency()).order_by(
        "urgent", F("due_at").asc(nulls_last=True), "opened_at", "pk")


def _key(user: Any, scope: Scope, page: int, now: dt.datetime, totals: dict[str, Any],
         rows: list[tuple[Any, ...]], around: tuple[Any, ...]) -> str:
    held = sorted((str(h.role), h.region_id) for h in scope.held)
    digest = hashlib.sha256(repr((
        held, sorted(totals.items()), [(pk, due.timestamp() if due else None, events)
                                       for pk, due, events in rows], around,
    )).encode()).hexdigest()[:32]
    minute = int(now.timestamp()) // 60
    return (f"inbox:{_VERSION}:{user.pk}:{translation.get_language()}:"
            f"{timezone.get_current_timezone_name()}:{page}:{minute}:{digest}")


def _signature(ordered: Any, page: Page[Any]) -> list[tuple[Any, ...]]:
    if not page.paginator.count:
        return []
    start = page.start_index() - 1
    return list(ordered.values_list("pk", "due_at", "case__event_count")
                [start:start + TASKS_PER_PAGE])


def _counts(now: dt.datetime) -> dict[str, Any]:
    return {"n": Count("pk"), "overdue": Count("pk", filter=Q(due_at__lt=now)),
            "soon": Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + SOON))}


def _asked_page(value: str | None) -> int | None:
    """The page asked for when it is a number from 1 (no number: the first page); None
    for one below 1, which Paginator.get_page answers with the last page."""
    try:
        number = int(value) if value is not None else 1
    except ValueError:
        return 1
    return number if number >= 1 else None


def _page_and_counts(ordered: Any, number: int, now: dt.datetime
                     ) -> tuple[list[tuple[Any, ...]], dict[str, Any]] | None:
    """The page's rows and the counts over all the user's open tasks, in one query (the
    counts as window aggregates on each row); None when the page is past the last."""
    start = (number - 1) * TASKS_PER_PAGE
    names = list(_counts(now))
    found = list(ordered.annotate(**{f"all_{k}": Window(v) for k, v in _counts(now).items()})
                 .values_list("pk", "due_at", "case__event_count",
                              *(f"all_{k}" for k in names))[start:start + TASKS_PER_PAGE])
    if not found:
        if number > 1:
            return None
        return [], dict.fromkeys(names, 0)  # the first page of no task: nothing to count
    return ([row[:3] for row in found], dict(zip(names, found[0][3:], strict=True)))


def _local() -> BaseCache | None:
    """The process's own cache, unless the shared one is process-local already."""
    if "local" not in settings.CACHES or isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache):
        return None
    return caches["local"]


class InboxPage:
    """The page's content, fetched (or rendered) when the page's template asks for it:
    the page's own template stays the first one rendered."""

    def __init__(self, key: str, build: Callable[[], tuple[str, bool]]) -> None:
        self._key = key
        self._build = build
        self._html: str | None = None
        self.hit = False

    def _load(self) -> str:
        if self._html is None:
            # this process's memory first (the key names the content: no other process
            # can make it stale), then the shared cache
            local = _local()
            found = local.get(self._key) if local is not None else None
            if not isinstance(found, str):
                found = cache.get(self._key)
                if isinstance(found, str) and local is not None:
                    local.set(self._key, found, KEEP_SECONDS)
            if isinstance(found, str):
                self._html, self.hit = found, True
            else:
                self._html, keep = self._build()
                if keep:
                    cache.set(self._key, self._html, KEEP_SECONDS)
                    if local is not None:
                        local.set(self._key, self._html, KEEP_SECONDS)
        return self._html

    def __str__(self) -> str:
        return mark_safe(self._load())  # noqa: S308 - our own rendered template

    def __html__(self) -> str:
        return str(self)


def inbox_context(request: HttpRequest, ways_for: Callable[[Any, dict[int, Region]], Any],
                  *, notifications: list[Notification], unread: int,
                  missing_years: list[int], can_start: bool) -> dict[str, Any]:
    """The content of portal/home.html (``content``), kept in the cache: the tasks, the
    roles held, and what the view read for the rest of the page (``ways_for``: where a
    user with no task is sent instead)."""
    user = request.user
    now = timezone.now()
    scope = get_scope(user)
    mine = inbox(user)
    ordered = _ordered(mine)
    paginator = Paginator(ordered, TASKS_PER_PAGE)
    asked = _asked_page(request.GET.get("page"))
    read = _page_and_counts(ordered, asked, now) if asked is not None else None
    if read is not None:
        rows, totals = read
        paginator.count = totals["n"]  # known already: no COUNT
        page = paginator.page(asked or 1)
    else:  # a page past the last (or below the first): the last one, as get_page does
        totals = mine.order_by().aggregate(**_counts(now))
        paginator.count = totals["n"]
        page = paginator.get_page(request.GET.get("page"))
        rows = _signature(ordered, page)
    # the rest of the page: the newest notifications (a row's text never changes; read or
    # not does), the count unread, the years' warning, the 发起事项 button
    around = ([(n.pk, n.read_at) for n in notifications], unread, missing_years, can_start)
    key = _key(user, scope, page.number, now, totals, rows, around)

    def build() -> tuple[str, bool]:
        ids = [row[0] for row in rows]
        found = {t.pk: t for t in mine.filter(pk__in=ids)} if ids else {}
        tasks = [found[pk] for pk in ids if pk in found]
        # what was read must be what the key says (a task closed in between: not kept)
        keep = [(t.pk, t.due_at, t.case.event_count) for t in tasks] == rows
        for task in tasks:
            task.time_left = time_left(task.due_at, now)  # type: ignore[attr-defined]
            spec = registry.get(task.case.procedure)
            spec = placed(spec, None) if spec else None  # in the reader's language
            task.procedure_name = spec.name if spec else task.case.procedure  # type: ignore[attr-defined]
            task.step_name = (spec.step(task.step).name  # type: ignore[attr-defined]
                              if spec and spec.has_step(task.step) else task.step)
            task.is_overdue = bool(task.due_at and task.due_at < now)  # type: ignore[attr-defined]
            task.is_soon = bool(task.due_at and now <= task.due_at < now + SOON)  # type: ignore[attr-defined]
        regions = Region.objects.in_bulk([h.region_id for h in scope.held])
        # the role in the words of its place: 村委会委员 in a 村, 居委会委员 in a 社区
        held: list[dict[str, Any]] = [
            {"role": h.role, "label": place_words(h.role.label, kind_of(regions.get(h.region_id))),
             "region_name": regions[h.region_id].name if h.region_id in regions else ""}
            for h in scope.held]
        html = render_to_string("portal/_home_content.html", {
            # with nothing to do, what this user can do here instead
            "ways": [] if totals["n"] else ways_for(user, regions),
            "tasks": tasks, "page": page, "total": totals["n"],
            "overdue": totals["overdue"], "soon": totals["soon"], "held": held,
            "notifications": notifications, "unread": unread,
            "missing_years": missing_years, "can_start": can_start})
        return html, keep

    return {"content": InboxPage(key, build), "total": totals["n"],
            "overdue": totals["overdue"], "soon": totals["soon"]}
