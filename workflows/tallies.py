"""Case counts by village, procedure and month, kept as cases move.

The dashboard of a district reads these instead of grouping a million cases:
the gate adds one as a case opens (``opened``), closes or is withdrawn
(``finished``), in the same transaction as the change itself; ``recount``
rebuilds them from the cases (Celery beat, nightly, and after a bulk load), so
that anything written around the gate is set right by the next morning.

Open cases are ``opened - closed - withdrawn``. Months are local (Asia/Shanghai)
calendar months: the month a case was opened, and the month it was closed or
withdrawn.

The steps done in time are kept the same way (``steps_done``, by the gate as it closes a
step): the steps done that had a time limit, those done within it, and the cases with a
step done late — counting those live means reading every step a district ever did.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from workflows.choices import CaseState, TaskState
from workflows.models import Case, CaseMonthTally, CaseTally, Task

COUNTERS = ("opened", "closed", "withdrawn")
STEP_COUNTERS = ("steps_due", "steps_on_time", "late_cases")


def month_of(at: dt.datetime) -> dt.date:
    local = timezone.localtime(at)
    return dt.date(local.year, local.month, 1)


def _counters(model: type[Any]) -> tuple[str, ...]:
    return COUNTERS + STEP_COUNTERS if model is CaseTally else COUNTERS


def _upsert(model: type[Any], keys: dict[str, Any], deltas: dict[str, int]) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding ``deltas`` (PostgreSQL and SQLite alike)."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    counters = _counters(model)
    values = {**keys, **{c: deltas.get(c, 0) for c in counters}}
    columns = [qn(model._meta.get_field(name).column) for name in values]
    key_columns = [qn(model._meta.get_field(name).column) for name in keys]
    adds = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in deltas)
    params = [connection.ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v
              for v in values.values()]
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (names are ours)
           f"VALUES ({', '.join(['%s'] * len(params))}) "
           f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {adds}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _bump(case: Case, counter: str, at: dt.datetime) -> None:
    keys = {"region": case.region_id, "procedure": case.procedure}
    _upsert(CaseTally, keys, {counter: 1})
    _upsert(CaseMonthTally, {**keys, "month": month_of(at)}, {counter: 1})


def opened(case: Case) -> None:
    """Count a case just opened (call inside the gate's transaction)."""
    _bump(case, "opened", case.opened_at)


def finished(case: Case) -> None:
    """Count a case just closed or withdrawn (call inside the gate's transaction)."""
    counter = "withdrawn" if case.state == CaseState.WITHDRAWN else "closed"
    _bump(case, counter, case.closed_at or timezone.now())


def steps_done(case: Case, closing: list[tuple[int, dt.datetime | None]],
               at: dt.datetime) -> None:
    """Count the steps of ``case`` being done at ``at`` (``closing``: their task ids and
    time limits; call inside the gate's transaction, before the tasks are marked done).
    A case is counted late once, at its first step done late."""
    limited = [due for _pk, due in closing if due is not None]
    if not limited:
        return
    deltas = {"steps_due": len(limited), "steps_on_time": sum(at <= due for due in limited)}
    if any(at > due for due in limited) and not Task.objects.filter(
            case=case, state=TaskState.DONE, due_at__isnull=False,
            closed_at__gt=F("due_at")).exists():
        deltas["late_cases"] = 1
    _upsert(CaseTally, {"region": case.region_id, "procedure": case.procedure}, deltas)


def recount(region_ids: Iterable[int] | None = None, *, apps: Any = None) -> tuple[int, int]:
    """Rebuild the tallies of the given villages (all when None) from their cases.

    ``apps``: a migration's app registry (the migration that made the tables fills
    them with this). Returns (tally rows, month rows) written.
    """
    models: tuple[Any, Any, Any, Any] = (Case, CaseTally, CaseMonthTally, Task)
    if apps is not None:
        models = tuple(apps.get_model("workflows", m.__name__) for m in models)  # type: ignore[assignment]
    case_model, tally_model, month_model, task_model = models
    cases = case_model.objects.order_by()
    tallies = tally_model.objects.all()
    months = month_model.objects.all()
    done = task_model.objects.filter(state=TaskState.DONE, due_at__isnull=False).order_by()
    if region_ids is not None:
        ids = sorted(set(region_ids))
        cases = cases.filter(region_id__in=ids)
        done = done.filter(village_id__in=ids)
        tallies = tallies.filter(region_id__in=ids)
        months = months.filter(region_id__in=ids)
    closed = Q(state=CaseState.CLOSED)
    withdrawn = Q(state=CaseState.WITHDRAWN)
    with transaction.atomic():
        tallies.delete()
        months.delete()
        steps = {(r, p): (n, t, late) for r, p, n, t, late in done.values(
            "village_id", "procedure").annotate(
                n=Count("pk"), t=Count("pk", filter=Q(closed_at__lte=F("due_at"))),
                late=Count("case_id", distinct=True, filter=Q(closed_at__gt=F("due_at"))),
            ).values_list("village_id", "procedure", "n", "t", "late")}
        totals = [
            tally_model(region_id=r, procedure=p, opened=o, closed=c, withdrawn=w,
                        **dict(zip(STEP_COUNTERS, steps.get((r, p), (0, 0, 0)), strict=True)))
            for r, p, o, c, w in cases.values("region_id", "procedure").annotate(
                o=Count("pk"), c=Count("pk", filter=closed), w=Count("pk", filter=withdrawn),
            ).values_list("region_id", "procedure", "o", "c", "w")
        ]
        by_month: dict[tuple[int, str, dt.date], dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(COUNTERS, 0))
        for r, p, m, n in (cases.annotate(m=TruncMonth("opened_at", output_field=DateField()))
                           .values("region_id", "procedure", "m").annotate(n=Count("pk"))
                           .values_list("region_id", "procedure", "m", "n")):
            by_month[(r, p, m)]["opened"] += n
        for r, p, s, m, n in (cases.filter(closed | withdrawn, closed_at__isnull=False)
                              .annotate(m=TruncMonth("closed_at", output_field=DateField()))
                              .values("region_id", "procedure", "state", "m")
                              .annotate(n=Count("pk"))
                              .values_list("region_id", "procedure", "state", "m", "n")):
            by_month[(r, p, m)]["closed" if s == CaseState.CLOSED else "withdrawn"] += n
        rows = [month_model(region_id=r, procedure=p, month=m, **counts)
                for (r, p, m), counts in by_month.items()]
        # update_conflicts: a gate that counted a new (village, procedure) meanwhile
        # has committed a row this snapshot already includes
        tally_model.objects.bulk_create(
            totals, batch_size=2000, update_conflicts=True,
            unique_fields=["region", "procedure"],
            update_fields=list(COUNTERS + STEP_COUNTERS))
        month_model.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True,
            unique_fields=["region", "procedure", "month"], update_fields=list(COUNTERS))
    return len(totals), len(rows)


__all__ = ["finished", "month_of", "opened", "recount", "steps_done"]
