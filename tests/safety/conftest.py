"""The clock of the safety tests: Monday 2026-11-02 10:00 in Shanghai, standing still."""

from collections.abc import Iterator

import pytest
import time_machine

from tests.safety.helpers import START


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller
