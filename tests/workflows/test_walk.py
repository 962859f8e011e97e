"""The generic walk: every registered procedure, opened and carried to its end by demo users.

A domain whose rules need particular data to go forward (a roster total, a date a
year back) declares it in ``tests/<app>/walk_data.py`` as
``WALK = {"procedure": {"step": {"field": value}}}``; every other field gets a
sample value of its type (``tests.samples``), within the bounds its schema says.
"""

import pytest

from tests.driver import walk
from workflows.models import Case, CaseEvent
from workflows.registry import registry
from workflows.verify import verify_case_events


@pytest.mark.parametrize("procedure", registry.codes())
def test_every_procedure_walks_to_its_end(procedure, demo, clock):
    case = walk(procedure, "dc_th", clock=clock)
    assert case["closed"] is True
    assert case["state"] == "closed"
    events = list(CaseEvent.objects.filter(case_id=case["id"]).order_by("seq"))
    assert events[0].action == "open"
    assert verify_case_events(Case.objects.get(pk=case["id"]), events) is None
