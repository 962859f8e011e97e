import json

import pytest
from django.core.management import call_command

from core.models import Membership, Region, User
from core.roles import Level, roles_of_level


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_writes_the_manifest(tmp_path, capsys):
    # the scenario's cases (and their idempotence) are tests/portal/test_scenario.py's
    call_command("seed_demo", "--manifest", str(tmp_path / "m.json"), "--no-cases")
    counts = (Region.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", "--manifest", str(tmp_path / "m2.json"), "--no-cases")
    assert (Region.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    manifest = json.loads((tmp_path / "m.json").read_text("utf-8"))
    assert manifest == json.loads((tmp_path / "m2.json").read_text("utf-8"))
    assert set(manifest) == {"password", "regions", "users"}
    levels = [r["level"] for r in manifest["regions"]]
    assert levels.count("district") == 1
    assert levels.count("township") == 2
    assert levels.count("village") == 4
    for region in manifest["regions"]:
        assert set(region) == {"id", "code", "name", "level", "parent"}
        assert len(region["code"]) == 12
    by_id = {r["id"]: r for r in manifest["regions"]}
    for region in manifest["regions"]:
        if region["level"] == "village":
            assert by_id[region["parent"]]["level"] == "township"
    # every place has one user for every role of its level
    for region in manifest["regions"]:
        held = {(role["role"]) for u in manifest["users"] for role in u["roles"]
                if role["region"] == region["id"]}
        assert held == {r.value for r in roles_of_level(Level(region["level"]))}
    for u in manifest["users"]:
        assert set(u) == {"username", "roles"}
        assert User.objects.get(username=u["username"]).check_password(manifest["password"])
    out = capsys.readouterr().out
    assert "dc_th_branch_secretary" in out
    assert manifest["password"] in out
