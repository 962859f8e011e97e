"""Fixtures of the oversight pages: the demo tenancy with cases made through the gate."""

from __future__ import annotations

import pytest

from core.models import Region
from tests.portal.pages import scenario


@pytest.fixture
def cases(demo: dict[str, Region]) -> dict[str, int]:
    return scenario.build(demo)
