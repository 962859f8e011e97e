"""The generic walk: every registered procedure, opened and carried to its end by demo users.

A domain whose rules need particular data to go forward (a roster total, a date a
year back) declares it in ``tests/<app>/walk_data.py`` as
``WALK = {"procedure": {"step": {"field": value}}}``; every other field gets a
sample value of its type.
"""

import datetime as dt
import importlib

import pytest
import time_machine

from tests.walk import walk
from workflows.models import Case, CaseEvent
from workflows.registry import registry
from workflows.verify import verify_case_events

APPS = ("portal", "workflows", "party", "decisions", "seals", "personnel", "subsidies", "safety")


def walk_data() -> dict[str, dict[str, dict[str, object]]]:
    merged: dict[str, dict[str, dict[str, object]]] = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.walk_data")
        except ModuleNotFoundError:
            continue
        merged.update(module.WALK)
    return merged


@pytest.mark.parametrize("procedure", registry.codes())
def test_every_procedure_walks_to_its_end(procedure, demo, api):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False) as clock:
        case = walk(api, procedure, demo["dc_th"], clock=clock,
                    choose=walk_data().get(procedure))
    assert case["closed"] is True
    assert case["state"] == "closed"
    events = list(CaseEvent.objects.filter(case_id=case["id"]).order_by("seq"))
    assert events[0].action == "open"
    assert verify_case_events(Case.objects.get(pk=case["id"]), events) is None
