"""python manage.py recount_tallies — rebuild the dashboard's counts from the cases.

The gate keeps the tallies as cases move and Celery beat recounts them nightly;
run this after loading or changing cases around the gate (a restore, an import).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workflows.tallies import recount


class Command(BaseCommand):
    help = "按事项办理记录重新统计看板计数(每晚自动运行一次)"

    def handle(self, *args: Any, **options: Any) -> None:
        totals, months = recount()
        self.stdout.write(f"ok: {totals} village/procedure counts, {months} monthly counts")
