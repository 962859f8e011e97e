"""The beat task on a real Celery worker over a real Redis; a Redis flush loses nothing."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from portal.celery import app
from tests.conftest import requires_postgres
from tests.seals.helpers import applied
from workflows.models import Deadline, Notification
from workflows.tasks import sweep_deadlines_task

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL.startswith("redis"),
                       reason="needs a real Redis (set REDIS_URL); CI sets it"),
    # The worker runs in a thread with its own connection; SQLite's test database
    # allows one writer, so the worker and the test lock each other out there.
    requires_postgres,
]


@pytest.fixture
def worker(settings):
    from celery.contrib.testing.worker import start_worker

    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING",
                          shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(task_always_eager=True)


@pytest.mark.django_db(transaction=True)
def test_sweep_runs_on_a_worker_and_survives_a_redis_flush(demo, worker):
    import redis

    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    Deadline.objects.create(case_id=case.id, kind="window_end",
                            due_at=timezone.now() - dt.timedelta(minutes=1))
    redis.Redis.from_url(REDIS_URL).flushdb()  # a Redis restart: nothing was kept there
    result = sweep_deadlines_task.delay().get(timeout=30)
    assert result["fired"] == 1
    again = sweep_deadlines_task.delay().get(timeout=30)
    assert again == {"fired": 0, "notifications": 0}
    assert Deadline.objects.filter(fired_at__isnull=False).count() == 1
    assert Notification.objects.exists()
