"""Verification of a village's records without re-checking everything on every page.

A full check of a village — every chain re-hashed under its key, every stored row that
shows what the events say compared with them (``workflows.verify``), the chains against
the township's published digests (``workflows.anchors``) and, at night, every stored
file re-hashed — is stored as a ``ChainCheck`` and refreshed every night by Celery beat
(``check_chains_task``). The audit view then re-verifies the cases that changed since that
check began (new events touch ``Case.updated_at``) and the cases it shows, so that what
it says of them is current without the cost: a village of 5,000 cases and 33,000 events
takes seconds, its day's changes milliseconds. A village never checked is checked in
full on first view. Every problem found is also raised once as an alert
(``AlertKind.RECORD_ALTERED``) to the village's supervisory committee and the township's
discipline commission.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import Region
from core.roles import Level
from workflows.alerts import raise_alert
from workflows.anchors import DigestCheck, verify_digests
from workflows.choices import AlertKind
from workflows.messages import Text
from workflows.models import Alert, Attachment, Case, CaseEvent, ChainCheck
from workflows.verify import CASE_FIELDS, file_problem, load_stored, verify_case_events

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
    """Verify these cases, 500 at a time — chain, case row and every stored row that shows
    what the events say: (cases, events, problems).

    ``heads``: cases the caller has loaded already (with ``CASE_FIELDS``), verified
    without reading them again.
    """
    n_cases = n_events = 0
    problems: dict[int, str] = {}
    known = {c.pk: c for c in heads}
    for batch in _batches(chain(case_ids, list(known))):
        cases = {pk: known[pk] for pk in batch if pk in known}
        if len(cases) < len(batch):
            cases.update((c.pk, c) for c in Case.objects.filter(pk__in=batch)
                         .only(*CASE_FIELDS))
        grouped: dict[int, list[CaseEvent]] = {pk: [] for pk in cases}
        for event in (CaseEvent.objects.filter(case_id__in=batch).order_by("case_id", "seq")
                      .iterator(chunk_size=2000)):
            grouped[event.case_id].append(event)
            n_events += 1
        stored = load_stored(list(cases))
        for pk, case in cases.items():
            problem = verify_case_events(case, grouped[pk], stored[pk])
            if problem:
                problems[pk] = problem
        n_cases += len(cases)
    return n_cases, n_events, problems


def verify_files(attachments: Iterable[Attachment]) -> dict[int, str]:
    """Every stored file re-hashed: the problems by case."""
    problems: dict[int, list[str]] = {}
    for att in attachments:
        problem = file_problem(att)
        if problem:
            problems.setdefault(att.case_id, []).append(problem)
    return {pk: ";".join(found) for pk, found in problems.items()}


def _merge(*parts: Mapping[int, str]) -> dict[int, str]:
    merged: dict[int, str] = {}
    for part in parts:
        for pk, problem in part.items():
            merged[pk] = f"{merged[pk]};{problem}" if pk in merged else problem
    return merged


def raise_record_alerts(problems: Mapping[int, str], notes: Iterable[str] = (),
                        region: Region | None = None) -> int:
    """One alert per problem found (never twice the same): the village's supervisory
    committee and the township's discipline commission are told. Returns how many."""
    raised = 0
    keys = {pk: f"record:{pk}:{hashlib.sha256(p.encode('utf-8')).hexdigest()[:16]}"
            for pk, p in problems.items()}
    # a problem seen before (the page that shows it again) costs one look-up, not a case
    # read and a refused INSERT each
    seen = set(Alert.objects.filter(dedupe_key__in=list(keys.values()))
               .values_list("dedupe_key", flat=True)) if keys else set()
    new = [pk for pk, key in keys.items() if key not in seen]
    cases = Case.objects.filter(pk__in=new).select_related("region") if new else []
    for case in cases:
        problem = problems[case.pk]
        alert = raise_alert(kind=AlertKind.RECORD_ALTERED, case=case,
                            message=Text(gettext_noop("“{title}”的办理记录与其哈希链不符:{problem}"),
                                         title=case.title, problem=problem),
                            key=keys[case.pk])
        raised += alert is not None
    if region is None:
        return raised
    for note in notes:
        key = hashlib.sha256(note.encode("utf-8")).hexdigest()[:16]
        alert = raise_alert(kind=AlertKind.RECORD_ALTERED, region=region,
                            message=Text(gettext_noop("存证摘要校验发现问题:{note}"), note=note),
                            key=f"digest:{region.pk}:{key}")
        raised += alert is not None
    return raised


def check_village(village: Region, *, files: bool = False,
                  digests: DigestCheck | None = None) -> ChainCheck:
    """Verify every case of the village and store the result; with ``files`` re-hash every
    stored file too (else the last file check is kept). ``digests``: the township's digest
    check, when the caller made it (the nightly run, once per township)."""
    started = timezone.now()
    t0 = time.perf_counter()
    ids = list(Case.objects.filter(region=village).order_by("pk").values_list("pk", flat=True))
    n_cases, n_events, problems = verify_cases(ids)
    if digests is None:
        digests = verify_digests(village=village, cases=set(ids))
    mine = set(ids)
    anchored = {k: v for k, v in digests.cases.items() if k in mine}
    try:
        before: ChainCheck | None = village.chain_check
    except ChainCheck.DoesNotExist:
        before = None
    files_at: dt.datetime | None
    if files:
        file_problems = verify_files(Attachment.objects.filter(case__region=village)
                                     .order_by("pk").iterator(chunk_size=500))
        files_at = started
    else:
        file_problems = {int(k): v for k, v in (before.files if before else {}).items()}
        files_at = before.files_checked_at if before else None
    check, _ = ChainCheck.objects.update_or_create(region=village, defaults={
        "checked_at": started, "cases": n_cases, "events": n_events,
        "problems": {str(k): v for k, v in problems.items()},
        "files": {str(k): v for k, v in file_problems.items()},
        "digests": {str(k): v for k, v in anchored.items()},
        "files_checked_at": files_at,
        "notes": list(digests.others),
        "seconds": round(time.perf_counter() - t0, 3),
    })
    village.chain_check = check  # what village_chains reads next, without a query
    raise_record_alerts(_merge(problems, file_problems, anchored), digests.others,
                        village.parent)
    return check


def check_villages(*, files: bool = False) -> Iterator[ChainCheck]:
    """Check every village in full, township by township (its digests checked once),
    storing each result."""
    townships = {t.pk: t for t in Region.objects.filter(level=Level.TOWNSHIP)}
    by_township: dict[int | None, list[Region]] = {}
    for village in Region.objects.filter(level=Level.VILLAGE).order_by("pk"):
        by_township.setdefault(village.parent_id, []).append(village)
    for township_id, villages in by_township.items():
        township = townships.get(township_id) if township_id is not None else None
        digests = verify_digests([township]) if township is not None else DigestCheck()
        for village in villages:
            yield check_village(village, files=files, digests=digests)


def check_all_villages(*, files: bool = True) -> dict[str, int]:
    """The nightly full check of every village (files re-hashed)."""
    villages = checked = broken = 0
    for check in check_villages(files=files):
        villages += 1
        checked += check.events
        broken += len(set(check.problems) | set(check.files) | set(check.digests)) + bool(
            check.notes)
    return {"villages": villages, "events": checked, "problems": broken}


@dataclass
class VillageChains:
    """What the audit view says about a village's records."""

    cases: int
    events: int
    checked_at: Any  # when the stored full check began
    rechecked: int  # cases changed since then (and those shown), verified now
    problems: dict[int, str] = field(default_factory=dict)  # files' and digests' included
    notes: list[str] = field(default_factory=list)  # the township's digests
    # what only the stored check knows: the last file check, the chains against the digests
    kept: dict[int, str] = field(default_factory=dict)
    files_checked_at: Any = None
    # cases changed since the stored check; not yet verified when the caller said it
    # verifies them itself (``village_chains(verify_changed=False)``, then ``shown``)
    changed: list[Case] = field(default_factory=list)
    # the cases read with them (with ``CASE_FIELDS``): those changed and those found wrong
    heads: dict[int, Case] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.notes

    def shown(self, fresh: Mapping[int, str | None]) -> None:
        """What a page found of the cases it shows, verified just now (with their files'
        last check): it replaces what the stored check said of them."""
        for pk, problem in fresh.items():
            merged = _merge(*({pk: p} for p in (problem, self.kept.get(pk)) if p))
            if merged:
                self.problems[pk] = merged[pk]
            else:
                self.problems.pop(pk, None)
        raise_record_alerts({pk: p for pk, p in fresh.items() if p})


def village_chains(village: Region, *, totals: tuple[int, int] | None = None,
                   verify_changed: bool = True) -> VillageChains:
    """The stored full check, brought up to date by re-verifying what changed since (a
    page then verifies the cases it shows: ``VillageChains.shown``).

    ``totals``: (cases, events) of the village when the caller counted them already.
    The village may come with its check (``select_related("chain_check")``).
    ``verify_changed=False``: the changed cases are left in ``changed`` for the caller,
    who reads the rows of the cases it shows anyway, to verify with those and give to
    ``shown`` (one read of the rows instead of two).
    """
    try:
        check: ChainCheck | None = village.chain_check
    except ChainCheck.DoesNotExist:
        check = None
    changed: list[Case] = []
    heads: dict[int, Case] = {}
    if check is not None:
        # with the cases the check found wrong, whose titles the page lists: one query
        wrong = {int(k) for part in (check.problems, check.files, check.digests) for k in part}
        since = check.checked_at
        read = list(Case.objects.filter(region=village)
                    .filter(Q(updated_at__gte=since) | Q(pk__in=wrong))
                    .only(*CASE_FIELDS)[:RECHECK_LIMIT + 1 + len(wrong)])
        heads = {c.pk: c for c in read}
        changed = [c for c in read if c.updated_at >= since]
    if check is None or len(changed) > RECHECK_LIMIT:
        check = check_village(village)
        changed = []
    again = {c.pk for c in changed}
    problems = {int(k): v for k, v in check.problems.items() if int(k) not in again}
    fresh: dict[int, str] = {}
    if verify_changed:
        _, _, fresh = verify_cases((), heads=changed)
    problems.update(fresh)
    kept = _merge({int(k): v for k, v in check.files.items()},
                  {int(k): v for k, v in check.digests.items()})
    raise_record_alerts(fresh)
    if totals is None:
        row = Case.objects.filter(region=village).order_by().aggregate(
            n=Count("pk"), events=Sum("event_count"))
        totals = (row["n"] or 0, row["events"] or 0)
    return VillageChains(cases=totals[0], events=totals[1],
                         checked_at=check.checked_at, rechecked=len(again),
                         problems=_merge(problems, kept), notes=list(check.notes),
                         kept=kept, files_checked_at=check.files_checked_at,
                         changed=[] if verify_changed else changed, heads=heads)


def note_file_problem(att: Attachment, problem: str) -> None:
    """A file found changed when it was asked for: kept in its village's stored check, so
    that the audit view shows it at once (and until the next nightly check)."""
    case = att.case
    check, _ = ChainCheck.objects.get_or_create(region_id=case.region_id, defaults={
        # no full check yet: every case is verified again when the view is next opened
        "checked_at": timezone.now() - dt.timedelta(days=3650)})
    files = dict(check.files)
    files[str(case.pk)] = problem
    ChainCheck.objects.filter(pk=check.pk).update(files=files)


__all__ = ["VillageChains", "check_all_villages", "check_village", "check_villages",
           "note_file_problem", "raise_record_alerts", "verify_cases", "verify_files",
           "village_chains"]
