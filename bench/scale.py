"""The inputs of docs/scaling.md, measured on a generated district:
``.venv/bin/python -m bench.scale [--db-url URL] [--keep] [--skip-partitions]``.

1. **Sizes**: rows and bytes (table, its indexes and TOAST) of every table the cases fill,
   per case and per year of cases; the hot set (open cases, their tasks, deadlines and the
   events of the last 90 days) as a share of the whole.
2. **Partitioning, on a copy**: the event table copied twice into a schema of its own
   (``scale_probe``, dropped afterwards unless ``--keep``), once partitioned by month of
   ``at`` and once by township (each township standing in for one district of a city), with
   the portal's indexes; then the portal's queries on the event table are explained
   (``EXPLAIN (ANALYZE, BUFFERS)``) on the original and on both copies, printing how many
   partitions each plan touches, its time and its buffers.

Prints Markdown (the tables of docs/scaling.md). PostgreSQL only; reads the bench data,
never writes to the portal's own tables. Like ``bench.run`` it refuses a database whose
name has no "bench" in it.
"""

# SQL here is built from this file's own table names and integers read from the database
# ruff: noqa: S608
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import time
from typing import Any

import psycopg

DEFAULT_DB = "postgres://portal@127.0.0.1:5432/portal_bench"
SCHEMA = "scale_probe"

# the tables whose rows grow with the cases (the rest — places, users, rosters — grow with
# the district, not with its years)
CASE_TABLES = [
    "workflows_case", "workflows_caseevent", "workflows_task", "workflows_deadline",
    "workflows_publicitynotice", "workflows_objection", "workflows_meetingrecord",
    "workflows_attachment", "workflows_notification", "workflows_alert",
    "seals_sealuse", "workflows_casetally", "workflows_casemonthtally", "workflows_chaincheck",
]
OTHER_TABLES = ["core_region", "core_user", "core_membership", "core_historicalmembership",
                "core_historicaluser", "seals_historicalsealuse"]


def _one(cur: psycopg.Cursor[Any], sql: str, params: Any = None) -> Any:
    cur.execute(sql, params)
    row = cur.fetchone()
    return row[0] if row else None


def _exists(cur: psycopg.Cursor[Any], table: str) -> bool:
    return bool(_one(cur, "SELECT to_regclass(%s) IS NOT NULL", (table,)))


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB" if n < 2**30 else f"{n / 2**30:,.2f} GiB"


def sizes(cur: psycopg.Cursor[Any]) -> dict[str, Any]:
    cases = _one(cur, "SELECT count(*) FROM workflows_case")
    newest = _one(cur, "SELECT max(opened_at) FROM workflows_case")
    year = _one(cur, "SELECT count(*) FROM workflows_case WHERE opened_at > %s",
                (newest - dt.timedelta(days=365),))
    span = _one(cur, "SELECT extract(epoch FROM max(opened_at) - min(opened_at)) / 86400 / 365.25"
                     " FROM workflows_case")
    print(f"\n### Sizes\n\n{cases:,} cases over {span:.1f} years, {year:,} opened in the "
          f"last 12 months\n")
    print("| table | rows | table | indexes | total | bytes per case |")
    print("|---|---:|---:|---:|---:|---:|")
    total = 0
    rows_of: dict[str, int] = {}
    for table in CASE_TABLES + OTHER_TABLES:
        if not _exists(cur, table):
            continue
        n = _one(cur, f"SELECT count(*) FROM {table}")
        heap = _one(cur, "SELECT pg_table_size(%s)", (table,))
        index = _one(cur, "SELECT pg_indexes_size(%s)", (table,))
        rows_of[table] = n
        per = ""
        if table in CASE_TABLES:
            total += heap + index
            per = f"{(heap + index) / cases:,.0f}"
        print(f"| {table} | {n:,} | {_mib(heap)} | {_mib(index)} | {_mib(heap + index)} | {per} |")
    print(f"| **what grows with the cases** | | | | **{_mib(total)}** | "
          f"**{total / cases:,.0f}** |")
    # the hot set: what the working day reads — open cases with their tasks and deadlines,
    # the events of the last 90 days (timelines being worked on, the audit's recent checks)
    open_cases = _one(cur, "SELECT count(*) FROM workflows_case WHERE state = 'open'")
    recent_events = _one(cur, "SELECT count(*) FROM workflows_caseevent WHERE at > %s",
                         (newest - dt.timedelta(days=90),))
    events = rows_of.get("workflows_caseevent", 0)
    event_bytes = (_one(cur, "SELECT pg_table_size('workflows_caseevent')")
                   + _one(cur, "SELECT pg_indexes_size('workflows_caseevent')"))
    case_bytes = (_one(cur, "SELECT pg_table_size('workflows_case')")
                  + _one(cur, "SELECT pg_indexes_size('workflows_case')"))
    hot = (recent_events / max(events, 1)) * event_bytes + (open_cases / cases) * case_bytes * 3
    print(f"\nHot set: {open_cases:,} open cases ({open_cases / cases:.1%}), "
          f"{recent_events:,} events in the last 90 days ({recent_events / max(events, 1):.1%});"
          f" about {_mib(hot)} (recent events with their indexes, open cases with their "
          f"tasks and deadlines estimated at 3× the case rows)")
    return {"cases": cases, "per_case": total / cases, "per_year": year, "hot": hot,
            "events": events, "open": open_cases, "total": total}


def _months(cur: psycopg.Cursor[Any]) -> list[dt.datetime]:
    first = _one(cur, "SELECT min(at) FROM workflows_caseevent")
    last = _one(cur, "SELECT max(at) FROM workflows_caseevent")
    start = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [start]
    while months[-1] <= last:
        m = months[-1]
        months.append(m.replace(year=m.year + (m.month == 12), month=m.month % 12 + 1))
    return months


def build_copies(cur: psycopg.Cursor[Any]) -> None:
    cur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    cur.execute(f"CREATE SCHEMA {SCHEMA}")
    columns = ("e.id, e.case_id, e.seq, e.actor_id, e.actor_name, e.role, e.region_id, "
               "e.action, e.action_name, e.from_step, e.to_step, e.data, e.comment, "
               "e.attachments, e.facts, e.at, e.key_id, e.prev_hash, e.hash, e.village_id")
    like = "(LIKE workflows_caseevent INCLUDING DEFAULTS, township_id bigint NOT NULL)"
    # by month of the event's time
    months = _months(cur)
    t0 = time.perf_counter()
    cur.execute(f"CREATE TABLE {SCHEMA}.event_by_month {like} PARTITION BY RANGE (at)")
    for lo, hi in itertools.pairwise(months):
        cur.execute(f"CREATE TABLE {SCHEMA}.event_m{lo:%Y%m} PARTITION OF "
                    f"{SCHEMA}.event_by_month FOR VALUES FROM ('{lo.isoformat()}') "
                    f"TO ('{hi.isoformat()}')")
    # by township (standing in for a district of a city)
    townships = [r[0] for r in cur.execute(
        "SELECT id FROM core_region WHERE level = 'township' ORDER BY id").fetchall()]
    cur.execute(f"CREATE TABLE {SCHEMA}.event_by_district {like} PARTITION BY LIST (township_id)")
    for t in townships:
        cur.execute(f"CREATE TABLE {SCHEMA}.event_d{t} PARTITION OF {SCHEMA}.event_by_district "
                    f"FOR VALUES IN ({int(t)})")
    made = time.perf_counter() - t0
    # the township from the event's own village (CaseEvent.village), no join through the case
    source = (f"SELECT {columns}, v.parent_id FROM workflows_caseevent e "
              "JOIN core_region v ON v.id = e.village_id")
    timings = {}
    for table in ("event_by_month", "event_by_district"):
        t0 = time.perf_counter()
        names = columns.replace("e.", "")
        cur.execute(f"INSERT INTO {SCHEMA}.{table} ({names}, township_id) {source}")
        loaded = time.perf_counter() - t0
        t0 = time.perf_counter()
        # the portal's indexes of the event table (workflows.models.CaseEvent.Meta)
        cur.execute(f"CREATE UNIQUE INDEX ON {SCHEMA}.{table} "
                    f"({'township_id, ' if 'district' in table else ''}case_id, seq"
                    f"{', at' if 'month' in table else ''})")
        cur.execute(f"CREATE INDEX ON {SCHEMA}.{table} (region_id, at DESC)")
        cur.execute(f"CREATE INDEX ON {SCHEMA}.{table} (at DESC)")
        cur.execute(f"ANALYZE {SCHEMA}.{table}")
        timings[table] = (loaded, time.perf_counter() - t0)
    print(f"\n### Partitioned copies\n\n{len(months) - 1} monthly partitions, "
          f"{len(townships)} township partitions (made in {made:.1f} s)\n")
    for table, (loaded, indexed) in timings.items():
        size = _one(cur, f"SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                         f"WHERE inhparent = '{SCHEMA}.{table}'::regclass")
        print(f"- `{table}`: loaded in {loaded:.0f} s, indexed and analysed in {indexed:.0f} s, "
              f"{_mib(size)} with its indexes")


def _explain(cur: psycopg.Cursor[Any], sql: str, params: Any) -> dict[str, Any]:
    cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
    row = cur.fetchone()
    assert row is not None
    plan = row[0][0]
    relations: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            relations.add(node["Relation Name"])
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan["Plan"])
    top = plan["Plan"]
    partitions = {r for r in relations if r.startswith(("event_m", "event_d"))}
    return {"ms": plan["Execution Time"], "partitions": len(partitions),
            "hit": top.get("Shared Hit Blocks", 0), "read": top.get("Shared Read Blocks", 0)}


def queries(cur: psycopg.Cursor[Any]) -> None:
    """The portal's reads of the event table, on the original and on both copies."""
    # a long-lived case of one township, and a village of it
    found = cur.execute(
        "SELECT c.id, c.opened_at, coalesce(c.closed_at, now()), c.region_id, v.parent_id "
        "FROM workflows_case c JOIN core_region v ON v.id = c.region_id "
        "WHERE c.event_count BETWEEN 25 AND 40 ORDER BY c.id LIMIT 1").fetchone()
    assert found is not None, "no case of 25 to 40 events"
    case_id, opened, closed, village, township = found
    newest = _one(cur, "SELECT max(at) FROM workflows_caseevent")
    month_lo = newest.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    village_events = f"SELECT id FROM workflows_case WHERE region_id = {int(village)}"
    plain, by_month, by_district = ("workflows_caseevent", f"{SCHEMA}.event_by_month",
                                    f"{SCHEMA}.event_by_district")
    cases: list[tuple[str, str, str, Any]] = [
        ("a case's timeline (case page, 全程纪实)", plain,
         "SELECT * FROM {t} WHERE case_id = %s ORDER BY seq", (case_id,)),
        ("", by_month, "SELECT * FROM {t} WHERE case_id = %s ORDER BY seq", (case_id,)),
        ("", by_month, "SELECT * FROM {t} WHERE case_id = %s AND at BETWEEN %s AND %s "
                       "ORDER BY seq", (case_id, opened, closed)),
        ("", by_district, "SELECT * FROM {t} WHERE township_id = %s AND case_id = %s "
                          "ORDER BY seq", (township, case_id)),
        ("a village's events this month (audit by period)", plain,
         f"SELECT count(*) FROM {{t}} WHERE case_id IN ({village_events}) AND at >= %s",
         (month_lo,)),
        ("", by_month, f"SELECT count(*) FROM {{t}} WHERE case_id IN ({village_events}) "
                       "AND at >= %s", (month_lo,)),
        ("", by_district, f"SELECT count(*) FROM {{t}} WHERE township_id = %s AND case_id IN "
                          f"({village_events}) AND at >= %s", (township, month_lo)),
        ("the newest 50 events of the district (activity)", plain,
         "SELECT id, at FROM {t} ORDER BY at DESC LIMIT 50", ()),
        ("", by_month, "SELECT id, at FROM {t} ORDER BY at DESC LIMIT 50", ()),
        ("", by_district, "SELECT id, at FROM {t} WHERE township_id = %s "
                          "ORDER BY at DESC LIMIT 50", (township,)),
        ("a year of one district's events counted (yearly report)", plain,
         "SELECT count(*) FROM {t} e JOIN workflows_case c ON c.id = e.case_id "
         "JOIN core_region v ON v.id = c.region_id WHERE v.parent_id = %s AND e.at >= %s",
         (township, newest - dt.timedelta(days=365))),
        ("", by_month, "SELECT count(*) FROM {t} WHERE township_id = %s AND at >= %s",
         (township, newest - dt.timedelta(days=365))),
        ("", by_district, "SELECT count(*) FROM {t} WHERE township_id = %s AND at >= %s",
         (township, newest - dt.timedelta(days=365))),
    ]
    print(f"\n### Plans (case {case_id}, village {village}, township {township}; "
          "best of 3 runs, warm cache)\n")
    print("| query | table | partitions in the plan | ms | buffers hit | read |")
    print("|---|---|---:|---:|---:|---:|")
    for name, table, sql, params in cases:
        runs = [_explain(cur, sql.format(t=table), params) for _ in range(3)]
        best = min(runs, key=lambda r: r["ms"])
        parts = "—" if table == plain else str(best["partitions"])
        shown = table.replace(f"{SCHEMA}.", "")
        print(f"| {name} | `{shown}` | {parts} | {best['ms']:.2f} | {best['hit']:,} | "
              f"{best['read']:,} |")


def detach(cur: psycopg.Cursor[Any]) -> None:
    """What moving the oldest month out of the hot table costs: a DETACH, not a DELETE."""
    oldest = _one(cur, f"SELECT min(inhrelid::regclass::text) FROM pg_inherits "
                       f"WHERE inhparent = '{SCHEMA}.event_by_month'::regclass")
    n = _one(cur, f"SELECT count(*) FROM {oldest}")
    t0 = time.perf_counter()
    cur.execute(f"ALTER TABLE {SCHEMA}.event_by_month DETACH PARTITION {oldest}")
    took = time.perf_counter() - t0
    print(f"\nDetaching the oldest month ({oldest}, {n:,} events) from the monthly table: "
          f"{took * 1000:.0f} ms (it stays a table of its own, to archive or move to a "
          "cheaper tablespace; the chain is unchanged)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_DB)
    parser.add_argument("--keep", action="store_true", help="keep the schema scale_probe")
    parser.add_argument("--skip-partitions", action="store_true")
    args = parser.parse_args(argv)
    if "bench" not in args.db_url.rsplit("/", 1)[-1]:
        print("bench.scale: refusing a database whose name has no 'bench'", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with psycopg.connect(args.db_url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SET jit = off")
        cur.execute("SET max_parallel_workers_per_gather = 0")  # as the portal's sessions
        version = _one(cur, "SELECT version()").split(" on ")[0]
        print(f"## bench.scale of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n\n"
              f"Command: `python -m bench.scale {' '.join(argv or sys.argv[1:])}`  \n"
              f"Database: {version}")
        sizes(cur)
        if not args.skip_partitions:
            build_copies(cur)
            queries(cur)
            detach(cur)
            if not args.keep:
                cur.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    print(f"\nRun time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
