"""A browser-like client logged in as a named demo user."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from core.models import User


@pytest.fixture
def as_user(demo: object) -> Callable[[str], Client]:
    def login(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return login
