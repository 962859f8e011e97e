"""06 (耕地地力保护补贴) step by step, and XLSX rosters built with openpyxl: the households of the
tests, what each step records and who records it."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.driver import CaseDriver, open_case
from tests.samples import upload_pdf, upload_png

WANG = "330299198001010012"
LI = "330299198503150023"
ZHANG = "330299199007200030"
ZHAO = "330299197511110043"  # not on the roster below
HEADER = ("户主姓名", "身份证号", "面积(亩)")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Rows = list[dict[str, Any]]


def households(*rows: tuple[str, str, Any]) -> Rows:
    """The roster typed in the form: one household a row (户主姓名, 身份证号, 面积)."""
    return [{"name": name, "id_number": number, "area": str(area)}
            for name, number, area in rows]


def payments(*rows: tuple[str, str, Any]) -> Rows:
    """The payment list typed in the form: one payee a row (户主姓名, 身份证号, 发放金额)."""
    return [{"name": name, "id_number": number, "amount": str(amount)}
            for name, number, amount in rows]


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


def open_subsidy(village_id: int, *, rate: str = "105.83", township: str = "dc") -> CaseDriver:
    """Opened by the township, which hands last year's forms out (the first step done)."""
    gov = f"{township}_township_government"
    case = open_case("06", village_id, gov, title="2026年度耕地地力保护补贴")
    r = case.post(gov, "issue", {"year": 2026, "rate": rate, "handed_on": "2026-11-02"},
                  {"forms": upload_pdf("上年度登记表.pdf")})
    assert r.status_code == 200, r.content
    return case


def submit_roster(case: CaseDriver, upload: SimpleUploadedFile | None = None,
                  rows: Rows | None = None, prefix: str = "dc_th") -> Any:
    data = {"roster_rows": rows} if rows is not None else {}
    files = {"roster_file": upload} if upload is not None else None
    return case.post(f"{prefix}_committee_member", "submit_roster", data, files)


def end_publicity(case: CaseDriver) -> Any:
    return case.post("dc_th_committee_director", "publicity_done", {"location": "村务公开栏"},
                     {"photo": upload_png()})


def through_the_chain(case: CaseDriver) -> None:
    """From the township's check to the quota, as the township and the district record it."""
    r = case.post("dc_township_government", "approve", {"checked": True, "opinion": "审核无误"})
    assert r.status_code == 200, r.content
    agri = "sfq_district_agriculture"
    r = case.post(agri, "approve", {"reported_on": "2026-11-10", "opinion": "同意上报"})
    assert r.status_code == 200, r.content
    for ref in ("市农〔2026〕5号", "浙农〔2026〕8号"):
        r = case.post(agri, "confirm", {"confirmed_on": "2026-11-10", "reference": ref})
        assert r.status_code == 200, r.content
    r = case.post(agri, "confirm", {"confirmed_on": "2026-11-10", "reference": "浙财〔2026〕1号"})
    assert r.status_code == 200, r.content
    assert r.json()["current_step"] == "payment_list"


def payees(case: CaseDriver, rows: Rows | str) -> Any:
    return case.post("sfq_district_finance", "import_payees", {"payees": rows})


def pay(case: CaseDriver) -> Any:
    return case.post("sfq_district_finance", "pay", {"paid_on": "2026-11-10"})
