"""python manage.py verify_audit — check every case's record (contract 8).

Exits 0 when every chain verifies under its key, every stored row that shows what the
events say agrees with them (publicity windows, meeting records, attachments, the
seal register, the case rows), and the chains fold into the published daily digests;
non-zero otherwise, naming each case (and each digest) that does not.

``--files`` also re-hashes every stored file. ``--store`` keeps each village's result for
the audit view (what the nightly Celery beat task does, files included).
``--anchor TOWNSHIP:DAY:DIGEST`` compares a digest someone kept (from the board or the
notification) with the one the portal holds. ``--keys`` lists the keys in force and how
many events each signed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from workflows.anchors import verify_digests
from workflows.audit import keyring
from workflows.chaincheck import check_villages, verify_cases, verify_files
from workflows.models import Attachment, Case, CaseEvent


def _kept(text: str) -> tuple[int, dt.date, str]:
    try:
        township, day, digest = text.split(":")
        return int(township), dt.date.fromisoformat(day), digest
    except ValueError:
        raise CommandError(f"--anchor {text!r}: expected TOWNSHIP_ID:YYYY-MM-DD:DIGEST") from None


class Command(BaseCommand):
    help = ("校验所有事项的办理记录:哈希链、公示期、会议、附件、用印登记与记录是否一致,"
            "是否与公布的存证摘要相符;有问题时以非零状态退出并列出事项")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--store", action="store_true",
                            help="按村(社区)保存校验结果,供村务监督页面显示")
        parser.add_argument("--files", action="store_true",
                            help="同时重新计算每个已存附件的SHA-256")
        parser.add_argument("--anchor", action="append", default=[], metavar="T:DAY:DIGEST",
                            help="核对留存的存证摘要(乡镇id:日期:摘要),可多次给出")
        parser.add_argument("--keys", action="store_true",
                            help="列出在用的签名密钥及各自签名的记录数")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keys"]:
            self._keys()
        kept = [_kept(text) for text in options["anchor"]]
        problems: dict[int, str] = {}
        notes: list[str] = []
        if options["store"]:
            checked = 0
            for check in check_villages(files=options["files"]):
                checked += check.cases
                for part in (check.problems, check.files, check.digests):
                    for k, v in part.items():
                        problems[int(k)] = f"{problems[int(k)]};{v}" if int(k) in problems else v
                notes += [n for n in check.notes if n not in notes]
            notes += [n for n in verify_digests([], kept).others if n not in notes]
        else:
            ids = Case.objects.order_by("pk").values_list("pk", flat=True).iterator(2000)
            checked, _, problems = verify_cases(ids)
            digests = verify_digests(kept=kept)
            for pk, problem in digests.cases.items():
                problems[pk] = f"{problems[pk]};{problem}" if pk in problems else problem
            notes = digests.others
            if options["files"]:
                for pk, problem in verify_files(
                        Attachment.objects.order_by("pk").iterator(chunk_size=500)).items():
                    problems[pk] = f"{problems[pk]};{problem}" if pk in problems else problem
        if problems or notes:
            titles = dict(Case.objects.filter(pk__in=list(problems)).values_list("pk", "title"))
            for pk, problem in sorted(problems.items()):
                self.stderr.write(f"case {pk} ({titles.get(pk, '')}): {problem}")
            for note in notes:
                self.stderr.write(f"digest: {note}")
            raise CommandError(f"{len(problems)} case(s) and {len(notes)} digest problem(s) "
                               "failed verification")
        what = "every event chain verifies" + (", every file matches" if options["files"] else "")
        self.stdout.write(f"ok: {checked} cases, {what}")

    def _keys(self) -> None:
        ring = keyring()
        used = dict(CaseEvent.objects.order_by().values("key_id").annotate(n=Count("pk"))
                    .values_list("key_id", "n"))
        for rank, key_id in enumerate(ring.ids):
            mark = " (current)" if key_id == ring.current_id else ""
            self.stdout.write(f"epoch {rank}: key {key_id}{mark}: {used.pop(key_id, 0)} events")
        for key_id, n in used.items():
            self.stdout.write(f"unknown key {key_id or '(none)'}: {n} events")
