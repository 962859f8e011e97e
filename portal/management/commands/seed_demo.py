"""python manage.py seed_demo [--manifest PATH] [--no-cases] — idempotent demo data (contract
2), then the demo scenario's cases (``fixtures/demo_scenario.json``) unless ``--no-cases``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.models import Membership
from core.roles import Role
from portal.demo import DEMO_PASSWORD, manifest, seed_everything
from portal.scenario import load_scenario


class Command(BaseCommand):
    help = ("创建演示数据:一个区、两个镇、每镇两个村,每处每个角色一名用户,"
            "及各种状态的演示事项(可重复执行)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--manifest", type=Path, help="write the demo manifest JSON here")
        parser.add_argument("--quiet", action="store_true", help="do not print the login table")
        parser.add_argument("--no-cases", action="store_true",
                            help="only the tenancy and rosters, not the scenario's cases")

    def handle(self, *args: Any, **options: Any) -> None:
        regions, users, extra = seed_everything()
        if not options["no_cases"]:
            extra = [*extra, *load_scenario().lines()]
        if options["manifest"]:
            path: Path = options["manifest"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                json.dumps(manifest(regions, users), ensure_ascii=False, indent=2), "utf-8"
            )
            self.stdout.write(f"manifest written to {path}")
        if options["quiet"]:
            return
        self.stdout.write(f"演示账号 demo logins — 密码 password: {DEMO_PASSWORD}")
        rows = (
            Membership.objects.active()
            .filter(user__in=users)
            .select_related("user", "region")
            .order_by("region__path", "role")
        )
        self.stdout.write(f"{'用户名 username':<40} {'姓名':<6} {'地点':<8} 角色 role")
        for m in rows:
            self.stdout.write(
                f"{m.user.username:<40} {m.user.full_name:<6} {m.region.name:<8} "
                f"{Role(m.role).label} ({m.role})"
            )
        for line in extra:
            self.stdout.write(line)
