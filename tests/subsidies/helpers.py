"""Driving 06 (耕地地力保护补贴) through the API; XLSX rosters built with openpyxl."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.decisions.rules_helpers import act, client
from tests.samples import upload_pdf, upload_png

WANG = "330299198001010012"
LI = "330299198503150023"
ZHANG = "330299199007200030"
ZHAO = "330299197511110043"  # not on the roster below
HEADER = ("户主姓名", "身份证号", "面积(亩)")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows: list[tuple[Any, ...]], header: tuple[str, ...] = HEADER,
         name: str = "清册.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX_MIME)


def open_subsidy(village_id: int, *, rate: str = "105.83", township: str = "dc") -> int:
    gov = client(f"{township}_township_government")
    r = gov.post("/api/cases/", {"procedure": "06", "region": village_id,
                                 "title": "2026年度耕地地力保护补贴"}, format="json")
    assert r.status_code == 201, r.content
    case_id = int(r.json()["id"])
    r = act(gov, case_id, "issue", {"year": 2026, "rate": rate, "handed_on": "2026-11-02"},
            {"forms": upload_pdf("上年度登记表.pdf")})
    assert r.status_code == 200, r.content
    return case_id


def submit_roster(case_id: int, upload: SimpleUploadedFile | None = None,
                  rows: str | None = None, prefix: str = "dc_th") -> Any:
    data = {"roster_rows": rows} if rows is not None else {}
    files = {"roster_file": upload} if upload is not None else None
    c = client(f"{prefix}_committee_member")
    if files:
        return act(c, case_id, "submit_roster", data, files)
    return act(c, case_id, "submit_roster", data)


def end_publicity(case_id: int) -> Any:
    return act(client("dc_th_committee_director"), case_id, "publicity_done",
               {"location": "村务公开栏"}, {"photo": upload_png()})


def through_the_chain(case_id: int) -> None:
    """From the township's check to the quota, as the township and the district record it."""
    r = act(client("dc_township_government"), case_id, "approve",
            {"checked": True, "opinion": "审核无误"})
    assert r.status_code == 200, r.content
    agri = client("sfq_district_agriculture")
    r = act(agri, case_id, "approve", {"reported_on": "2026-11-10", "opinion": "同意上报"})
    assert r.status_code == 200, r.content
    for ref in ("市农〔2026〕5号", "浙农〔2026〕8号"):
        r = act(agri, case_id, "confirm", {"confirmed_on": "2026-11-10", "reference": ref})
        assert r.status_code == 200, r.content
    r = act(agri, case_id, "confirm",
            {"confirmed_on": "2026-11-10", "reference": "浙财〔2026〕1号"})
    assert r.status_code == 200, r.content
    assert r.json()["current_step"] == "payment_list"


def payees(case_id: int, text: str) -> Any:
    return act(client("sfq_district_finance"), case_id, "import_payees", {"payees": text})


def pay(case_id: int) -> Any:
    return act(client("sfq_district_finance"), case_id, "pay", {"paid_on": "2026-11-10"})
