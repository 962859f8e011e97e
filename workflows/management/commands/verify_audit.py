"""python manage.py verify_audit — check every case's event chain (contract 8)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workflows.models import Case, CaseEvent
from workflows.verify import verify_case_events


class Command(BaseCommand):
    help = "校验所有事项办理记录的哈希链;有被改动的记录时以非零状态退出并列出事项"

    def handle(self, *args: Any, **options: Any) -> None:
        broken: list[str] = []
        checked = 0
        case_ids = Case.objects.order_by("pk").values_list("pk", flat=True).iterator(2000)
        batch: list[int] = []
        for case_id in case_ids:
            batch.append(case_id)
            if len(batch) == 500:
                checked += self._check(batch, broken)
                batch = []
        if batch:
            checked += self._check(batch, broken)
        if broken:
            for line in broken:
                self.stderr.write(line)
            raise CommandError(f"{len(broken)} case(s) failed verification")
        self.stdout.write(f"ok: {checked} cases, every event chain verifies")

    def _check(self, case_ids: list[int], broken: list[str]) -> int:
        events = CaseEvent.objects.filter(case_id__in=case_ids).order_by("case_id", "seq")
        cases = {c.pk: c for c in Case.objects.filter(pk__in=case_ids)}
        grouped: dict[int, list[CaseEvent]] = {pk: [] for pk in case_ids}
        for event in events.iterator(2000):
            grouped[event.case_id].append(event)
        for pk, rows in grouped.items():
            problem = verify_case_events(cases[pk], rows)
            if problem:
                broken.append(f"case {pk} ({cases[pk].title}): {problem}")
        return len(case_ids)
