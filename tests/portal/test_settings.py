"""Production start-up: a missing SECRET_KEY or AUDIT_KEY stops it; check --deploy is clean."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_DEBUG",
                         "DJANGO_ALLOW_ASYNC_UNSAFE", "AUDIT_KEY", "AUDIT_KEY_ID",
                         "AUDIT_KEYS"}}
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=120, check=False)


def test_missing_secret_key_stops_production_start():
    result = run_manage("check", env={"DJANGO_SETTINGS_MODULE": "portal.settings.base"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_missing_or_short_audit_key_stops_production_start():
    base = {"DJANGO_SETTINGS_MODULE": "portal.settings.base", "SECRET_KEY": "x" * 60}
    result = run_manage("check", env=base)
    assert result.returncode != 0
    assert "AUDIT_KEY is not set" in result.stderr
    result = run_manage("check", env={**base, "AUDIT_KEY": "short"})
    assert result.returncode != 0
    assert "AUDIT_KEY is too short" in result.stderr
    result = run_manage("check", env={**base, "AUDIT_KEY": "k" * 40, "AUDIT_KEYS": "broken"})
    assert result.returncode != 0
    assert "AUDIT_KEYS must read id:key" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%")
                              for _ in range(60)),
        "AUDIT_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "portal.example.org",
    })
    assert result.returncode == 0, result.stdout + result.stderr


def test_beat_runs_the_sweep_the_export_purge_and_the_nightly_checks():
    from celery.schedules import crontab
    from django.conf import settings

    from portal.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"] for entry in schedule.values()}
    assert tasks == {"workflows.tasks.sweep_deadlines_task", "portal.tasks.purge_old_exports_task",
                     "workflows.tasks.recount_tallies_task", "workflows.tasks.check_chains_task",
                     "workflows.tasks.anchor_chains_task"}
    nightly = [e["schedule"] for e in schedule.values()
               if e["task"] in {"workflows.tasks.recount_tallies_task",
                                "workflows.tasks.check_chains_task"}]
    assert all(isinstance(s, crontab) and s.hour == {2} for s in nightly)
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)


@pytest.mark.django_db
def test_the_nightly_tasks_run(demo):
    from tests.portal.pages import scenario
    from workflows.models import CaseTally, ChainCheck
    from workflows.tasks import check_chains_task, recount_tallies_task

    scenario.seal(demo["dc_th"], "dc_th", "出具居住证明", finish=True)
    CaseTally.objects.update(closed=0)
    assert recount_tallies_task.delay().get()["tallies"] >= 1
    assert CaseTally.objects.get(region=demo["dc_th"], procedure="04.2").closed == 1
    result = check_chains_task.delay().get()
    assert result["problems"] == 0 and result["events"] >= 3
    assert ChainCheck.objects.filter(region=demo["dc_th"]).exists()


def test_the_browsers_favicon_request_finds_the_icon(client):
    """Browsers ask for /favicon.ico whatever the page links: it leads to the portal's icon."""
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")


def test_sqlite_silences_only_the_include_columns_warning(settings):
    """The demo's SQLite builds the covering indexes without INCLUDE (models.W040); nothing
    else is silenced, and PostgreSQL silences nothing."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.SILENCED_SYSTEM_CHECKS == ["models.W040"]
    else:
        assert not getattr(settings, "SILENCED_SYSTEM_CHECKS", [])
