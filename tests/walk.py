"""Walk a case to its end through the API as the demo users (the generic walk)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import time_machine
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from core.models import Membership, Region
from tests.samples import sample_value, upload_pdf, upload_png
from workflows.registry import registry


def candidates(case: dict[str, Any], region: Region) -> list[str]:
    """Demo usernames that hold one of the open task's roles where the task is."""
    task = case["tasks"][0]
    return list(
        Membership.objects.active()
        .filter(region_id=task["region"], role__in=task["roles"])
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )


def post_action(client: APIClient, case_id: int, action: dict[str, Any],
                overrides: dict[str, Any] | None = None) -> Any:
    data: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for fld in action["fields"]:
        if overrides and fld["name"] in overrides:
            data[fld["name"]] = overrides[fld["name"]]
            continue
        if fld["type"] == "file":
            if fld["required"]:
                files[fld["name"]] = (upload_pdf() if "application/pdf" in fld["accept"]
                                      else upload_png())
            continue
        data[fld["name"]] = sample_value(fld)
    url = f"/api/cases/{case_id}/actions/"
    if files:
        payload = {"action": action["code"], "comment": "同意", "data": json.dumps(data),
                   **files}
        return client.post(url, payload, format="multipart")
    return client.post(url, {"action": action["code"], "data": data, "comment": "同意"},
                       format="json")


def walk(
    api: Callable[[str | None], APIClient],
    procedure: str,
    village: Region,
    *,
    clock: time_machine.Coordinates,
    choose: dict[str, dict[str, Any]] | None = None,
    max_steps: int = 60,
) -> dict[str, Any]:
    """Open a case of ``procedure`` in ``village`` and walk it to its end, usual way forward."""
    spec = registry.get(procedure)
    assert spec is not None
    first = spec.first_step
    from workflows.acting import acting_region_id as _acting_region_id

    opener_region = _acting_region_id(village, first.level)
    opener = (
        Membership.objects.active()
        .filter(region_id=opener_region, role__in=[str(r) for r in first.roles])
        .order_by("user__username").values_list("user__username", flat=True).first()
    )
    assert opener, f"{procedure}: no demo user may open it"
    response = api(opener).post("/api/cases/", {"procedure": procedure, "region": village.pk,
                                                "title": f"{spec.name}(演示)"}, format="json")
    assert response.status_code == 201, response.content
    case = response.json()
    clients: dict[str, APIClient] = {}
    for _ in range(max_steps):
        if case["closed"]:
            return case
        done = False
        for username in candidates(case, village):
            client = clients.setdefault(username, api(username))
            case = client.get(f"/api/cases/{case['id']}/").json()
            forward = [a for a in case["actions"] if a["kind"] == "forward"]
            if not forward:
                continue
            action = forward[0]
            response = post_action(client, case["id"], action,
                                   (choose or {}).get(case["current_step"]))
            body = response.json()
            if response.status_code == 400 and body.get("not_before"):
                target = parse_datetime(body["not_before"])
                clock.move_to(target + dt.timedelta(minutes=1))
                clients.clear()  # tokens expire when the clock jumps days ahead
                client = clients.setdefault(username, api(username))
                response = post_action(client, case["id"], action,
                                       (choose or {}).get(case["current_step"]))
                body = response.json()
            assert response.status_code == 200, (procedure, case["current_step"], body)
            case = body
            done = True
            break
        assert done, f"{procedure}: nobody can move step {case['current_step']}"
    raise AssertionError(f"{procedure}: not closed after {max_steps} actions")


def now() -> dt.datetime:
    return timezone.now()
