"""The generic walk: every registered procedure, opened and carried to its end by demo users."""

import datetime as dt

import pytest
import time_machine

from tests.walk import walk
from workflows.models import CaseEvent
from workflows.registry import registry
from workflows.verify import verify_case_events


@pytest.mark.parametrize("procedure", registry.codes())
def test_every_procedure_walks_to_its_end(procedure, demo, api):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False) as clock:
        case = walk(api, procedure, demo["dc_th"], clock=clock)
    assert case["closed"] is True
    assert case["state"] == "closed"
    events = list(CaseEvent.objects.filter(case_id=case["id"]).order_by("seq"))
    assert events[0].action == "open"
    from workflows.models import Case

    assert verify_case_events(Case.objects.get(pk=case["id"]), events) is None
