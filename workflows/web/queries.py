"""Read-side helpers of the browser pages. Everything starts from the scoped queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import cached_property

from core.models import Region
from core.roles import Level
from core.scope import visible_regions
from workflows.choices import DeadlineKind, NoticeState, TaskState
from workflows.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseQuerySet,
    Deadline,
    MeetingRecord,
    PublicityNotice,
    Task,
)
from workflows.registry import registry
from workflows.spec import ActionSpec, ProcedureSpec, StepSpec
from workflows.visibility import inbox, urgency, visible_cases

# Procedures whose steps the model text says must be decided one case at a time (逐个审议).
ONE_BY_ONE = frozenset({"01.1"})


def my_villages(user: Any) -> list[Region]:
    return list(visible_regions(user).filter(level=Level.VILLAGE).select_related("parent")
                .order_by("path"))


def batch_action(spec: ProcedureSpec | None, step: StepSpec | None) -> ActionSpec | None:
    """The way forward by which a step may be done in a batch (its spec says so: ``batch``,
    linted to ask for nothing but the opinion), or None (逐个审议)."""
    if spec is None or step is None:
        return None
    return step.batch_action()


def township_tasks(user: Any) -> QuerySet[Task]:
    """Open tasks of the user's roles that are done at a township (the review queue)."""
    return inbox(user).filter(region__level=Level.TOWNSHIP)


def review_queue(user: Any) -> QuerySet[Task]:
    """Open township-level tasks of the user's roles, most urgent first: emergencies
    (``ProcedureSpec.urgent``), then lapsed deadlines (or escalated), then the nearest due,
    then the oldest."""
    escalated = Deadline.objects.filter(
        task=OuterRef("pk"), kind__in=[DeadlineKind.ESCALATION, DeadlineKind.HARD_LIMIT],
        fired_at__isnull=False,
    )
    now = timezone.now()
    return (
        township_tasks(user)
        .annotate(escalated=Exists(escalated), urgent=urgency())
        .annotate(lapsed=DbCase(When(Q(due_at__lt=now) | Q(escalated=True), then=Value(0)),
                                default=Value(1), output_field=IntegerField()))
        .order_by("urgent", "lapsed", F("due_at").asc(nulls_last=True), "opened_at", "pk")
    )


def review_tasks(user: Any) -> list[Task]:
    """The first 300 tasks of the queue, in its order."""
    return list(review_queue(user)[:300])


@dataclass
class VillageRow:
    village: Region
    open: int = 0
    overdue: int = 0
    publicity: int = 0
    # meetings of the regular organisational life (三会一课) this month and last month
    meetings: int = 0
    last_month: int = 0

    @property
    def missing(self) -> bool:
        """Last month ended without a meeting (the month running is never missing yet)."""
        return self.last_month == 0


def month_starts(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The first moments (local time) of this month and of the month before."""
    this = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last = (this - dt.timedelta(days=1)).replace(day=1)
    return this, last


def village_overview(user: Any, villages: list[Region]) -> list[VillageRow]:
    """Per village: open cases, overdue, publicity running, meetings of 三会一课 (the
    procedures marked ``regular_meetings``) this month and in the month that has ended."""
    if not villages:
        return []
    ids = [v.pk for v in villages]
    cases: CaseQuerySet = visible_cases(user).filter(region_id__in=ids).open()

    def counts(qs: QuerySet[Any]) -> dict[int, int]:
        return {row["region"]: row["n"]
                for row in qs.values("region").annotate(n=Count("pk")).order_by()}

    opened = counts(cases)
    late = counts(cases.overdue())
    notices = counts(PublicityNotice.objects.filter(
        state=NoticeState.RUNNING, case__in=visible_cases(user), region_id__in=ids))
    this, last = month_starts(timezone.now())
    regular = [spec.code for spec in registry.all() if spec.regular_meetings]
    held = MeetingRecord.objects.filter(
        region_id__in=ids, held_at__gte=last, case__procedure__in=regular,
        case__in=visible_cases(user))
    months = {row["region"]: (row["now"], row["before"]) for row in held.values("region")
              .annotate(now=Count("pk", filter=Q(held_at__gte=this)),
                        before=Count("pk", filter=Q(held_at__lt=this))).order_by()}
    return [VillageRow(v, opened.get(v.pk, 0), late.get(v.pk, 0), notices.get(v.pk, 0),
                       *months.get(v.pk, (0, 0))) for v in villages]


def with_open_tasks(qs: CaseQuerySet) -> CaseQuerySet:
    return qs.select_related("region").prefetch_related(
        Prefetch("tasks", queryset=Task.objects.filter(state=TaskState.OPEN),
                 to_attr="open_tasks"))


def case_for_page(case: Case) -> Case:
    """The case with everything its page shows, in a fixed number of queries."""
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("region", "region__parent", "opened_by")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.order_by("pk")),
            Prefetch("events", queryset=CaseEvent.objects.order_by("seq")),
            Prefetch("notices", queryset=PublicityNotice.objects.prefetch_related("objections")
                     .order_by("start")),
            Prefetch("attachment_set", queryset=Attachment.objects.order_by("pk")),
            "meetings",
        )
        .get()
    )


# The case list counts at most this many matching cases: past it the page says "1,000 件以上"
# and pages on by next/previous (a COUNT of every match is most of a long list's cost).
COUNT_CAP = 1000


class CappedPage(Page):  # type: ignore[type-arg]
    """A page whose rows were read with one row more than a page: that row says whether a
    next page exists (the list's length may be known only up to the cap)."""

    def __init__(self, object_list: list[Any], number: int, paginator: Paginator,  # type: ignore[type-arg]
                 *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator with a capped count. One query reads the ids of the matching rows
    up to the end of the page asked for, and at least ``cap + 1`` of them (the index answers
    it, without sorting wide rows); a second reads the page's rows by id. When fewer ids come
    back than were asked for, ``count`` is exact; otherwise ``capped`` is true and ``count``
    is the cap ("1,000 件以上"). A page number past the end gives the last page."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *,
                 cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.matching = object_list
        self.cap = COUNT_CAP if cap is None else cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        """Exact up to the cap (``get_page`` sets it from the ids it read)."""
        found = self.matching[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    @property
    def cap_text(self) -> str:
        """The cap as the list says it: "1,000"."""
        return f"{self.cap:,}"

    def get_page(self, number: Any) -> CappedPage:
        try:
            wanted = max(1, int(number))
        except (TypeError, ValueError):
            wanted = 1
        bottom = (wanted - 1) * self.per_page
        limit = max(self.cap + 1, bottom + self.per_page + 1)
        ids = list(self.matching.values_list("pk", flat=True)[:limit])
        self.capped = len(ids) == limit
        self.__dict__["count"] = self.cap if self.capped else len(ids)
        self.__dict__.pop("num_pages", None)
        if not self.capped and bottom >= len(ids) > 0:  # past the end: the last page
            wanted = self.num_pages
            bottom = (wanted - 1) * self.per_page
        shown = ids[bottom: bottom + self.per_page]
        by_pk = {row.pk: row for row in self.matching.filter(pk__in=shown)} if shown else {}
        rows = [by_pk[pk] for pk in shown if pk in by_pk]
        return CappedPage(rows, wanted, self, more=len(ids) > bottom + self.per_page)
