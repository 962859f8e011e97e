"""Verification of a village's event chains without re-hashing them on every page.

A full check of a village (every chain re-hashed) is stored as a ``ChainCheck``
and refreshed every night by Celery beat (``check_chains_task``). The audit view
then re-verifies only the cases that changed since that check began (new events
touch ``Case.updated_at``), so its result is current without the cost: a
village of 5,000 cases and 33,000 events takes seconds to re-hash, its day's
changes milliseconds. A village never checked is checked in full on first view.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from core.models import Region
from core.roles import Level
from workflows.models import Case, CaseEvent, ChainCheck
from workflows.verify import verify_case_events

BATCH = 500
# more changed cases than this since the last full check: check the village in full again
RECHECK_LIMIT = 2000


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def verify_cases(case_ids: Iterable[int], *, heads: Iterable[Case] = ()
                 ) -> tuple[int, int, dict[int, str]]:
    """Re-hash the chains of these cases, 500 at a time: (cases, events, problems).

    ``heads``: cases the caller has loaded already (with ``event_count`` and
    ``last_hash``), verified without reading them again.
    """
    n_cases = n_events = 0
    problems: dict[int, str] = {}
    known = {c.pk: c for c in heads}
    for batch in _batches(chain(case_ids, list(known))):
        cases = {pk: known[pk] for pk in batch if pk in known}
        if len(cases) < len(batch):
            cases.update((c.pk, c) for c in Case.objects.filter(pk__in=batch)
                         .only("pk", "event_count", "last_hash"))
        grouped: dict[int, list[CaseEvent]] = {pk: [] for pk in cases}
        for event in (CaseEvent.objects.filter(case_id__in=batch).order_by("case_id", "seq")
                      .iterator(chunk_size=2000)):
            grouped[event.case_id].append(event)
            n_events += 1
        for pk, case in cases.items():
            problem = verify_case_events(case, grouped[pk])
            if problem:
                problems[pk] = problem
        n_cases += len(cases)
    return n_cases, n_events, problems


def check_village(village: Region) -> ChainCheck:
    """Verify every chain of the village and store the result."""
    started = timezone.now()
    t0 = time.perf_counter()
    ids = Case.objects.filter(region=village).order_by("pk").values_list("pk", flat=True)
    n_cases, n_events, problems = verify_cases(ids.iterator(chunk_size=2000))
    check, _ = ChainCheck.objects.update_or_create(region=village, defaults={
        "checked_at": started, "cases": n_cases, "events": n_events,
        "problems": {str(k): v for k, v in problems.items()},
        "seconds": round(time.perf_counter() - t0, 3),
    })
    village.chain_check = check  # what village_chains reads next, without a query
    return check


def check_villages() -> Iterator[ChainCheck]:
    """Check every village in full, one after the other, storing each result."""
    for village in Region.objects.filter(level=Level.VILLAGE).order_by("pk").iterator():
        yield check_village(village)


def check_all_villages() -> dict[str, int]:
    """The nightly full check of every village."""
    villages = checked = broken = 0
    for check in check_villages():
        villages += 1
        checked += check.events
        broken += len(check.problems)
    return {"villages": villages, "events": checked, "problems": broken}


@dataclass
class VillageChains:
    """What the audit view says about a village's chains."""

    cases: int
    events: int
    checked_at: Any  # when the stored full check began
    rechecked: int  # cases changed since then, verified now
    problems: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def village_chains(village: Region, *, totals: tuple[int, int] | None = None
                   ) -> VillageChains:
    """The stored full check, brought up to date by re-verifying what changed since.

    ``totals``: (cases, events) of the village when the caller counted them already.
    The village may come with its check (``select_related("chain_check")``).
    """
    try:
        check: ChainCheck | None = village.chain_check
    except ChainCheck.DoesNotExist:
        check = None
    changed: list[Case] = []
    if check is not None:
        changed = list(Case.objects.filter(region=village, updated_at__gte=check.checked_at)
                       .only("pk", "event_count", "last_hash")[:RECHECK_LIMIT + 1])
    if check is None or len(changed) > RECHECK_LIMIT:
        check = check_village(village)
        changed = []
    again = {c.pk for c in changed}
    problems = {int(k): v for k, v in check.problems.items() if int(k) not in again}
    _, _, fresh = verify_cases((), heads=changed)
    problems.update(fresh)
    if totals is None:
        row = Case.objects.filter(region=village).order_by().aggregate(
            n=Count("pk"), events=Sum("event_count"))
        totals = (row["n"] or 0, row["events"] or 0)
    return VillageChains(cases=totals[0], events=totals[1],
                         checked_at=check.checked_at, rechecked=len(changed),
                         problems=problems)


__all__ = ["VillageChains", "check_all_villages", "check_village", "check_villages",
           "verify_cases",
           "village_chains"]
