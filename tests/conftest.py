"""Shared fixtures: the demo tenancy and its named users (Zulip's example_user), clients
logged in as them (API and browser), the suites' clock. tests/README.md lists them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from core.models import Region, User
from portal.demo import DEMO_PASSWORD, seed_everything
from tests.driver import START


def _seed_everything() -> None:
    seed_everything()


def _seeded() -> bool:
    from portal.demo import PLACES

    return Region.objects.filter(code=PLACES[0].code).exists()


_db_ready = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The demo data are written once, when the test database is made; every test
    runs in a transaction rolled back after it, so each starts from the same data."""
    global _db_ready
    with django_db_blocker.unblock():
        _seed_everything()
    _db_ready = True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A transactional test (live server, Celery worker, races) empties the database
    when it ends: put the demo data back, committed, before the next test begins."""
    if not _db_ready:
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        if not _seeded():
            _seed_everything()


@pytest.fixture
def demo(db: None) -> dict[str, Region]:
    """The demo regions by slug (sfq, dc, dc_th, dc_yl, xh, xh_qq, xh_sq)."""
    from portal.demo import PLACES

    return {p.slug: Region.objects.get(code=p.code) for p in PLACES}


@pytest.fixture
def user(demo: dict[str, Region]) -> Callable[[str], User]:
    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def api(user: Callable[[str], User]) -> Callable[[str | None], APIClient]:
    """An API client logged in as the named demo user (token auth), or anonymous."""

    def make(username: str | None = None) -> APIClient:
        client = APIClient()
        if username:
            response = client.post("/api/token/", {"username": username,
                                                   "password": DEMO_PASSWORD}, format="json")
            assert response.status_code == 200, response.content
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return make


@pytest.fixture
def web(demo: dict[str, Region]) -> Callable[[str | None], Client]:
    """A browser-like client logged in as the named demo user (a session), or anonymous."""

    def make(username: str | None = None) -> Client:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Monday 2026-11-02 10:00 in Shanghai (``tests.driver.START``), standing still."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def media_tmp(settings: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> os.PathLike[str]:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> None:
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))  # type: ignore[attr-defined]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (set DATABASE_URL); CI runs this on its PostgreSQL pass",
)

# A slow suite that asks nothing of the database's kind (the property suite, the schema
# client): run once, on the PostgreSQL pass, to keep CI short.
once_on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a slow suite run once, on CI's PostgreSQL pass (set DATABASE_URL to run it)",
)


# Fault and soak tests stop, restart or kill real services and processes, or load a live
# server for minutes: run only when asked (RUN_FAULT_TESTS=1), which CI does once, on
# PostgreSQL and Redis, after the two suites (.ci/run, step pytest-faults).
RUN_FAULT_TESTS = os.environ.get("RUN_FAULT_TESTS", "") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if RUN_FAULT_TESTS:
        return
    skip = pytest.mark.skip(reason="a fault or soak test: set RUN_FAULT_TESTS=1 "
                                   "(CI runs them once, on PostgreSQL)")
    for item in items:
        if item.get_closest_marker("fault") or item.get_closest_marker("soak"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _interface_language_back_to_chinese():
    """A test that switched to English (a request with the language cookie) must not
    leave the next test in English."""  # and the cache is emptied after each test
    yield
    from django.core.cache import caches
    from django.utils import translation

    translation.deactivate()
    for each in caches.all(initialized_only=True):
        each.clear()  # nor leave cached fragments of rows that were rolled back
