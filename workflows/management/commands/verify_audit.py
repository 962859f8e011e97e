"""python manage.py verify_audit — check every case's event chain (contract 8).

``--store`` also keeps each village's result for the audit view (what the
nightly Celery beat task does).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workflows.chaincheck import check_villages, verify_cases
from workflows.models import Case


class Command(BaseCommand):
    help = "校验所有事项办理记录的哈希链;有被改动的记录时以非零状态退出并列出事项"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--store", action="store_true",
                            help="按村(社区)保存校验结果,供村务监督页面显示")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["store"]:
            problems: dict[int, str] = {}
            checked = 0
            for check in check_villages():
                checked += check.cases
                problems.update({int(k): v for k, v in check.problems.items()})
        else:
            ids = Case.objects.order_by("pk").values_list("pk", flat=True).iterator(2000)
            checked, _, problems = verify_cases(ids)
        if problems:
            titles = dict(Case.objects.filter(pk__in=list(problems)).values_list("pk", "title"))
            for pk, problem in sorted(problems.items()):
                self.stderr.write(f"case {pk} ({titles.get(pk, '')}): {problem}")
            raise CommandError(f"{len(problems)} case(s) failed verification")
        self.stdout.write(f"ok: {checked} cases, every event chain verifies")
