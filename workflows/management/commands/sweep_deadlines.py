"""python manage.py sweep_deadlines [--every SECONDS] — fire due reminders once (contract 4)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from workflows.sweep import sweep


class Command(BaseCommand):
    help = "触发所有到期的提醒、逾期上报和公示期满通知(可重复执行,不会重复发送)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0,
                            help="keep running, sweeping every N seconds (no Redis needed)")

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        while True:
            result = sweep()
            self.stdout.write(f"swept: {result.fired} deadlines fired, "
                              f"{result.notifications} notifications sent")
            if every <= 0:
                return
            close_old_connections()
            time.sleep(every)
