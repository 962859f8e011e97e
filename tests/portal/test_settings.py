"""Production start-up: a missing SECRET_KEY stops it; check --deploy is clean."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_DEBUG",
                         "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=120, check=False)


def test_missing_secret_key_stops_production_start():
    result = run_manage("check", env={"DJANGO_SETTINGS_MODULE": "portal.settings.base"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%")
                              for _ in range(60)),
        "ALLOWED_HOSTS": "portal.example.org",
    })
    assert result.returncode == 0, result.stdout + result.stderr


def test_beat_runs_the_sweep_and_the_export_purge():
    from django.conf import settings

    from portal.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {"workflows.tasks.sweep_deadlines_task", "portal.tasks.purge_old_exports_task"}
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)
