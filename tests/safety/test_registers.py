"""The safety registers are listed for the village's supervisors and nobody else's."""

from workflows.registry import registry

CODES = {"safety_dispute_ledger", "safety_petition_register", "safety_correction_roster",
         "safety_grid_incident_log", "safety_legal_education_ledger", "safety_emergency_log",
         "safety_hazard_ledger", "safety_production_ledger", "safety_fire_log"}


def test_every_safety_register_is_listed_for_the_village_supervisor(demo, api):
    rows = api("dc_th_supervisory_member").get("/api/registers/").json()
    mine = {r["code"] for r in rows if r["region"] == demo["dc_th"].pk}
    assert mine >= CODES


def test_another_villages_registers_are_not_listed_or_exported(demo, api):
    rows = api("xh_qq_supervisory_member").get("/api/registers/").json()
    assert not [r for r in rows if r["region"] == demo["dc_th"].pk and r["code"] in CODES]
    url = f"/api/registers/safety_petition_register/{demo['dc_th'].pk}.pdf"
    assert api("xh_qq_supervisory_member").get(url).status_code in (403, 404)


def test_every_safety_procedure_keeps_the_seven_fields():
    for code in ("07.1", "07.2", "07.3", "08", "09", "10.1", "10.2", "10.3", "10.4"):
        spec = registry.get(code)
        assert spec is not None
        assert spec.category == "平安建设"
        assert spec.supervisor == "村(居)务监督委员会"
        assert len(spec.risks) == 3
        assert spec.measures and spec.guiding_units
