"""Fixtures of the oversight pages: the demo tenancy with cases made through the gate."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from core.models import Region, User
from tests.portal.pages import scenario


@pytest.fixture
def cases(demo: dict[str, Region]) -> dict[str, int]:
    return scenario.build(demo)


@pytest.fixture
def web(demo: dict[str, Region]) -> Callable[[str | None], Client]:
    """A browser-like client logged in as the named demo user, or anonymous."""

    def make(username: str | None = None) -> Client:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        return client

    return make

