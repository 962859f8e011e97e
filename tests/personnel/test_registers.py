"""Every register of 01-02, 03, 05 and 06 exports as PDF and Excel through /api/registers/."""

import io
import subprocess

import openpyxl
import pytest

from core.models import Region
from workflows.registers import all_registers

MINE = ("01.", "02.", "03.", "05.", "06")
CODES = sorted(r.code for r in all_registers() if r.procedure.startswith(MINE))
READERS = ("dc_th_supervisory_member", "dc_township_party", "sfq_district_org",
           "sfq_district_civil_affairs", "sfq_district_agriculture")


def test_the_registers_of_these_procedures_are_all_listed():
    assert {"major_matters", "village_rules_versions", "reserve_cadre_register",
            "auxiliary_staff_register", "farmland_subsidy_roster", "party_members",
            "party_activist_pool"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_register_exports_pdf_and_excel_with_its_title_and_columns(demo, api, code, tmp_path):
    reg = next(r for r in all_registers() if r.code == code)
    row = None
    for username in READERS:
        client = api(username)
        rows = [r for r in client.get("/api/registers/").json() if r["code"] == code]
        if rows:
            row = rows[0]
            break
    assert row is not None, f"nobody among the readers may export {code}"
    pdf = client.get(row["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert reg.name in text.replace(" ", "")
    xlsx = client.get(row["xlsx_url"])
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = {c.value for r in sheet.iter_rows() for c in r}
    place = Region.objects.get(pk=row["region"])
    assert {label for _key, label in reg.headings(place)} <= cells  # in the place's words
