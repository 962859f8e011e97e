"""python manage.py anchor_chains [--day YYYY-MM-DD] — the daily digests by hand.

What Celery beat runs just after midnight (``workflows.tasks.anchor_chains_task``): each
township's chain heads of the day (default: yesterday, and any day missed since its last
digest) folded into one digest, kept, shown on its boards and sent to the township.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflows.anchors import anchor, yesterday


class Command(BaseCommand):
    help = "生成各乡镇(街道)某日(默认昨天)办理记录的存证摘要,公布到公开栏并通知乡镇"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day",
                            help="the local day to anchor, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--quiet-notify", action="store_true",
                            help="keep the digests without notifying the townships")

    def handle(self, *args: Any, **options: Any) -> None:
        day = yesterday()
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError(f"--day {options['day']!r}: not a date (YYYY-MM-DD)") from None
            if day > yesterday():
                raise CommandError("only a day that has ended can be anchored")
        try:
            made = anchor(day, notify=not options["quiet_notify"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for row in made:
            self.stdout.write(f"{row.township.name} {row.day}: {row.digest} ({row.cases} cases)")
        self.stdout.write(f"ok: {len(made)} digest(s) up to {day}")
