"""Every procedure of the catalogue can be opened and worked in the browser.

For each code of the registry: a demo user who may open it in 东村 (as the catalogue
decides) posts the catalogue's 发起 form; the case page then answers 200, shows the
current step, and — for a demo user who holds that step — the step's form with an
input for every field of every action the engine offers.
"""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import User
from workflows.acting import openable_villages
from workflows.models import Case
from workflows.registry import registry
from workflows.serializers import actions_json
from workflows.web.forms import input_name


def _opener(spec, village) -> User:
    for user in User.objects.filter(is_active=True).order_by("username"):
        if openable_villages(user, spec, [village]):
            return user
    raise AssertionError(f"no demo user may open {spec.code} in {village.name}")


def _inputs(field: dict) -> list[str]:
    name = input_name(field["name"])
    if field["type"] == "meeting":  # the day; the roll's checklist or the present typed
        roll = field.get("roll")
        shown = [] if roll is None else [f'name="{name}.attendees"' if "members" in roll
                                         else f'name="{name}.present"']
        return [f'name="{name}.held_at"', *shown]
    return [f'name="{name}"']


@pytest.mark.parametrize("code", registry.codes())
def test_every_procedure_opens_and_shows_its_step_form(demo, code):
    spec = registry.get(code)
    village = demo["dc_th"]
    opener = _opener(spec, village)
    client = Client()
    client.force_login(opener)
    catalogue = client.get("/procedures/").content.decode()
    assert f"/procedures/{code}/" in catalogue
    form = client.get(f"/procedures/{code}/open/")
    assert form.status_code == 200
    assert 'name="title"' in form.content.decode()
    response = client.post(f"/procedures/{code}/open/",
                           {"region": village.pk, "title": f"浏览器发起{code}"})
    assert response.status_code == 302, response.content.decode()[:1500]
    case = Case.objects.get(procedure=code, title=f"浏览器发起{code}")
    assert response["Location"] == f"/cases/{case.pk}/"
    step = spec.step(case.current_step)

    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert step.name in page.content.decode()

    workers = [u for u in User.objects.filter(is_active=True).order_by("username")
               if any(a["kind"] not in ("return", "withdraw") for a in actions_json(u, case))]
    assert workers, f"nobody in the demo can do step {step.code} of {code}"
    worker = workers[0]
    client.force_login(worker)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    offered = actions_json(worker, case)
    for act in offered:
        assert f'value="{act["code"]}"' in html, (code, act["code"])
        for field in act["fields"]:
            for needle in _inputs(field):
                assert needle in html, (code, act["code"], field["name"])
