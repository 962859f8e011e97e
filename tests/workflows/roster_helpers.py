"""Helpers of the roster tests: Excel files made from a roster's own template, and a
made-up procedure whose step names a roster entry by ``ref`` (for ``choices_url``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from openpyxl import load_workbook

from core.idcard import check_digit
from core.models import Region
from core.roles import Level, Role
from workflows.registry import registry
from workflows.rosters import HEADER_ROW, RosterSpec, template_xlsx
from workflows.spec import (
    ActionSpec,
    FieldType,
    ProcedureSpec,
    Risk,
    StepSpec,
    field,
)


def id_number(seq: int, birth: str = "19700101") -> str:
    first17 = f"330299{birth}{seq % 1000:03d}"
    return first17 + check_digit(first17)


def workbook_rows(body: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(body), data_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def with_rows(body: bytes, rows: list[Mapping[str, Any]], spec: RosterSpec) -> bytes:
    """The workbook ``body`` (a template or an export) with its data rows replaced by
    ``rows`` (column name -> cell; a column left out keeps the example's cell)."""
    book = load_workbook(io.BytesIO(body))
    sheet = book.worksheets[0]
    example = [c.value for c in sheet[HEADER_ROW + 1]]
    sheet.delete_rows(HEADER_ROW + 1, sheet.max_row)
    names = [c.name for c in spec.columns]
    for row in rows:
        sheet.append([row.get(name, example[i]) if i < len(example) else row.get(name)
                      for i, name in enumerate(names)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fresh_example(spec: RosterSpec, village: Region, seq: int) -> bytes:
    """The village's template with its example changed into a new entry of the roster."""
    changes: dict[str, Any] = {}
    for column in spec.columns:
        if column.format is not None and str(column.format) == "id_number":
            changes[column.name] = id_number(seq)
        elif column.name in ("name", "head_name"):
            changes[column.name] = ("第九网格" if spec.code == "grid"
                                    else "试登记" + "甲乙丙丁"[seq % 4])
        elif column.name == "as_of":
            changes[column.name] = dt.date(2026, 11, 3)
    return with_rows(template_xlsx(spec, village), [changes], spec)


CHOOSER = ProcedureSpec(
    code="99.7", name="测试:选择户", category="测试", guiding_units=("测试",),
    guiding_roles=(Role.DISTRICT_CIVIL_AFFAIRS,), supervisor="村(居)务监督委员会",
    risks=(Risk("测试", "测试"),), measures=("测试",),
    steps=(StepSpec(
        code="pick", name="选择", roles=(Role.COMMITTEE_DIRECTOR,), level=Level.VILLAGE,
        actions=(ActionSpec("pick", "选择", fields=(
            field("household", "户", FieldType.REF, ref="household"),
            field("rows", "明细", FieldType.TABLE, columns=(
                field("member", "党员", FieldType.REF, ref="party_member",
                      ref_filter="voting"),
                field("home", "户", FieldType.REF, ref="household"),
            )),
        )),),
    ),),
)


@contextmanager
def chooser() -> Iterator[ProcedureSpec]:
    with registry.override(CHOOSER):
        yield CHOOSER


def exercise_choices(api: Any, village: Region) -> None:
    """Every answer of ``GET /api/cases/{id}/choices/…`` (a ref field's ``choices_url``):
    200, 400, 401, 404 — for the OpenAPI test, which holds each answer to the schema."""
    with chooser():
        client = api("dc_th_committee_director")
        case = client.post("/api/cases/", {"procedure": CHOOSER.code, "region": village.pk,
                                           "title": "选户"}, format="json").json()
        url = case["actions"][0]["fields"][0]["choices_url"]
        assert client.get(url, {"q": "户"}).status_code == 200
        assert client.get(url, {"limit": "x"}).status_code == 400
        assert client.get(f"/api/cases/{case['id']}/choices/pick/nope/").status_code == 404
        assert api(None).get(url).status_code == 401
