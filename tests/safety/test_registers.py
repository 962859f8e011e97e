"""Every safety register: listed for the village's supervisors only, and exported as a PDF
whose text and an Excel whose cells hold what the procedures recorded."""

import datetime as dt

import pytest

from safety.models import Grid
from tests.driver import open_case, walk
from tests.exports import export, pdf_text, xlsx_rows
from tests.safety.walk_data import WALK
from workflows.registers import all_registers, get_register

SAFETY = ("07.1", "07.2", "07.3", "08", "09", "10.1", "10.2", "10.3", "10.4")

# register code -> (procedure walked to its end, a value the register must show)
EXPECTED = {
    "safety_dispute_ledger": ("07.1",
                              "张三(申请人(一方),一组12号);李四(被申请人(另一方),一组14号)"),
    "safety_petition_register": ("07.2", "信访-2026-0001"),
    "safety_correction_roster": ("07.3", "赵六"),
    "safety_grid_roster": ("08", "第一网格"),
    "safety_grid_incident_log": (None, "路灯损坏"),
    "safety_legal_education_ledger": ("09", "宪法进村"),
    "safety_emergency_log": ("10.1", "后山"),
    "safety_hazard_ledger": ("10.2", "村口桥梁"),
    "safety_production_ledger": ("10.3", "安全生产培训:消防培训"),
    "safety_fire_log": ("10.4", "2026-11-02 09:03"),
}


def test_the_list_covers_every_register_of_the_safety_procedures():
    mine = {r.code for r in all_registers() if r.procedure in SAFETY}
    assert mine == set(EXPECTED)


def test_every_safety_register_is_listed_for_the_village_supervisor(demo, api):
    rows = api("dc_th_supervisory_member").get("/api/registers/").json()
    mine = {r["code"] for r in rows if r["region"] == demo["dc_th"].pk}
    assert mine >= set(EXPECTED)


def test_another_villages_registers_are_not_listed_or_exported(demo, api):
    rows = api("xh_qq_supervisory_member").get("/api/registers/").json()
    assert not [r for r in rows if r["region"] == demo["dc_th"].pk and r["code"] in EXPECTED]
    for fmt in ("pdf", "xlsx"):
        url = f"/api/registers/safety_petition_register/{demo['dc_th'].pk}.{fmt}"
        assert api("xh_qq_supervisory_member").get(url).status_code == 404


def _grid_incident(demo):
    case = open_case("08", demo["dc_th"], "dc_th_branch_secretary", title="集中排查")
    case.do("dc_th_branch_secretary", period="2026-11", situation="平稳", focus="用电安全")
    first = Grid.objects.get(region=demo["dc_th"], name="第一网格")
    case.do("dc_th_grid_worker", "record_incident", grid=first.pk, kind="hazard",
            gravity="ordinary", found_at="2026-11-02T09:00:00+08:00", description="路灯损坏",
            handled=True, handling="已报修")


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_register_exports_its_rows_as_pdf_and_excel(code, demo, api, clock):
    procedure, value = EXPECTED[code]
    if procedure is None:
        _grid_incident(demo)
    else:
        case = walk(procedure, "dc_th", clock=clock, choose=WALK.get(procedure))
        assert case["closed"] is True
    pdf, xlsx = export(api("dc_th_supervisory_member"), code, demo["dc_th"].pk)
    spec = get_register(code)
    assert spec is not None
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    text = "".join(pdf_text(pdf.content, layout=False).split())
    assert f"桃花村{spec.name}" in text
    assert value.replace(" ", "") in text
    header, *rows = xlsx_rows(xlsx.content)
    assert header == [label for _key, label in spec.columns]
    # a date-time is a real one in Excel (the fire log's times): read as it prints
    shown = [[c.strftime("%Y-%m-%d %H:%M") if isinstance(c, dt.datetime) else c for c in row]
             for row in rows]
    assert rows and any(value in row for row in shown)

