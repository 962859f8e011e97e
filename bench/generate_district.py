"""python -m bench.generate_district — a synthetic district for benchmarks (bench data only).

    python -m bench.generate_district --preset small --flush
    python -m bench.generate_district --preset district --seed 7 --flush
    python -m bench.generate_district --preset small --villages 5 --cases 2000 --flush

A Django command object run from here, not a ``manage.py`` command: the portal never
loads bench/ (design.md, "Layout"). Settings as for ``manage.py``.

Refuses to write into a database whose name does not contain "bench" or "test"
unless ``--force`` is given: it is meant for ``portal_bench``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

import bench


class Command(BaseCommand):
    help = "生成用于性能测试的模拟区县数据(村、用户、事项、办理记录)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=("district", "small"), default="small")
        parser.add_argument("--townships", type=int, help="override the preset")
        parser.add_argument("--villages", type=int, help="override the preset")
        parser.add_argument("--cases", type=int, help="override the preset")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--now", help="reference time (ISO 8601); default: now")
        parser.add_argument("--flush", action="store_true",
                            help="empty every table of the database first")
        parser.add_argument("--keep-indexes", action="store_true",
                            help="PostgreSQL: load with indexes in place (slower)")
        parser.add_argument("--jobs", type=int, default=2,
                            help="PostgreSQL: worker processes (the same seed and jobs give "
                                 "the same data)")
        parser.add_argument("--force", action="store_true",
                            help="allow a database whose name has neither bench nor test")

    def handle(self, *args: Any, **options: Any) -> None:
        from bench.generate import BENCH_PASSWORD, PRESETS, generate  # models: after setup()

        name = str(connection.settings_dict.get("NAME") or "")
        if not options["force"] and not any(w in name.lower()
                                            for w in ("bench", "test", "memory")):
            raise CommandError(f"database {name!r} is not a bench database; use --force")
        preset = PRESETS[options["preset"]]
        villages = options["villages"] or preset.villages
        townships = options["townships"] or (
            preset.townships if options["villages"] is None
            else max(1, round(villages * preset.townships / preset.villages)))
        cases = options["cases"] if options["cases"] is not None else preset.cases
        now = timezone.now()
        if options["now"]:
            parsed = parse_datetime(options["now"])
            if parsed is None:
                raise CommandError("--now must be an ISO 8601 date-time")
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        if options["flush"]:
            started = time.perf_counter()
            if connection.vendor == "postgresql":
                # the event table refuses TRUNCATE unless the session allows it (the
                # append-only trigger of workflows' first migration); bench data only
                with connection.cursor() as cursor:
                    cursor.execute("SET portal.allow_truncate = on")
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write(f"flushed in {time.perf_counter() - started:.1f} s")
        self.stdout.write(f"generating {townships} townships, {villages} villages, "
                          f"{cases:,} cases (seed {options['seed']}, now {now:%Y-%m-%d %H:%M})")
        started = time.perf_counter()
        try:
            stats = generate(townships=townships, villages=villages, cases=cases,
                             seed=options["seed"], now=now.astimezone(dt.UTC),
                             log=self.stdout.write,
                             rebuild_indexes=not options["keep_indexes"],
                             jobs=options["jobs"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        total = time.perf_counter() - started
        self.stdout.write(f"regions {stats.regions}, users {stats.users:,}, "
                          f"memberships {stats.memberships:,}")
        for table, count in stats.counts.items():
            self.stdout.write(f"  {table:<13} {count:>12,}")
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in stats.seconds.items())
        self.stdout.write(f"done in {total:.1f} s ({phases}); password {BENCH_PASSWORD}")


def main(argv: list[str] | None = None) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    # the suite's key (bench.run), not the development key DJANGO_DEBUG=1 would give
    os.environ.setdefault("AUDIT_KEY", bench.AUDIT_KEY)
    django.setup()
    Command().run_from_argv(["bench.generate_district", "generate_district",
                             *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
