"""The registry loads every procedure once, before the first request, and never half.

Before: the flag was set before the modules were imported and nothing loaded it at
start-up, so on a fresh gunicorn worker with threads 30 concurrent requests for the
procedures answered 0, 1, 6 or 27 of them.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import socket
import subprocess
import sys
import threading
import time
import types
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from core.models import User
from workflows import registry as registry_module
from workflows.registry import Registry
from workflows.spec import ProcedureSpec

ROOT = Path(__file__).resolve().parents[2]


def _fake_app(name: str, registry: Registry, specs: list[ProcedureSpec], delay: float) -> None:
    """A module ``<name>.procedures`` that takes ``delay`` seconds to register ``specs``."""
    package = types.ModuleType(name)
    package.__path__ = []
    sys.modules[name] = package

    def exec_module(module: types.ModuleType) -> None:
        for spec in specs:
            time.sleep(delay / len(specs))
            registry.register(spec)

    module_name = f"{name}.procedures"

    class Loader:
        def create_module(self, spec):
            return None

        def exec_module(self, module):
            exec_module(module)

    class Finder:
        def find_spec(self, fullname, path, target=None):
            if fullname != module_name:
                return None
            return importlib.machinery.ModuleSpec(fullname, Loader())

    sys.meta_path.insert(0, Finder())


def test_threads_asking_while_the_registry_loads_all_see_every_procedure(monkeypatch):
    real = registry_module.registry
    specs = real.all()
    fresh = Registry()
    halves = [specs[: len(specs) // 2], specs[len(specs) // 2:]]
    names = ["fake_domain_one", "fake_domain_two"]
    finders_before = list(sys.meta_path)
    try:
        for name, part in zip(names, halves, strict=True):
            _fake_app(name, fresh, part, delay=0.3)
        configs = [types.SimpleNamespace(name=n) for n in names]
        monkeypatch.setattr(registry_module.apps, "get_app_configs", lambda: configs)
        seen: list[int] = []
        start = threading.Barrier(20)

        def ask() -> None:
            start.wait()
            seen.append(len(fresh.all()))

        threads = [threading.Thread(target=ask) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert seen == [len(specs)] * 20
    finally:
        sys.meta_path[:] = finders_before
        for name in names:
            sys.modules.pop(name, None)
            sys.modules.pop(f"{name}.procedures", None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_a_cold_threaded_server_answers_every_procedure_to_concurrent_requests(demo):
    """gunicorn, one worker with 8 threads, started cold; 30 requests at once."""
    user = User.objects.get(username="dc_th_branch_secretary")
    token = Token.objects.create(user=user).key
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.base", DJANGO_DEBUG="1",
               SECRET_KEY="test-cold-start-key")
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{db['NAME']}")
    env.pop("REDIS_URL", None)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--workers", "1",
         "--threads", "8", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    output = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"the server did not start: {output[-2000:]}")
                time.sleep(0.05)

        def fetch(_: int) -> tuple[int, int]:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/procedures/",
                headers={"Authorization": f"Token {token}"})
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, len(json.loads(response.read()))

        with ThreadPoolExecutor(max_workers=30) as pool:
            answers = list(pool.map(fetch, range(30)))
    finally:
        server.terminate()
        server.wait(timeout=20)
    # what a fresh process loads (the test process may hold procedures registered by tests)
    fresh = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from workflows.registry import registry; print(len(registry.all()))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    expected = int(fresh.stdout.strip().splitlines()[-1])
    assert expected >= 27  # the model text's procedures at least
    assert answers == [(200, expected)] * 30
