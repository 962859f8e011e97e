"""Reading what the portal exports: a register's PDF and Excel, a PDF's text, a sheet's cells."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import openpyxl


def pdf_text(content: bytes, *, layout: bool = True) -> str:
    """The text of a PDF (poppler's pdftotext); without ``layout`` each table cell comes out
    whole (a wrapped cell's lines follow one another), so that whitespace-free text holds
    every value."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(content)
        args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """A register's sheet from its header row on (the rows above it, the title, the scope
    and the date, are read with :func:`xlsx_heading`)."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=_head_row(sheet))]


def _head_row(sheet: Any) -> int:
    """The header is the row above the frozen panes (A4: the header is row 3)."""
    frozen = sheet.freeze_panes or "A2"
    return int("".join(ch for ch in frozen if ch.isdigit())) - 1


def xlsx_heading(content: bytes) -> list[str]:
    """The lines above a sheet's header: its title, then the scope and the date."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [str(sheet.cell(row=r, column=1).value) for r in range(1, _head_row(sheet))]


def xlsx_cells(content: bytes) -> list[Any]:
    return [value for row in xlsx_rows(content) for value in row]


def register_urls(client: Any, code: str, region_id: int | None = None) -> dict[str, Any]:
    """The entry of ``GET /api/registers/`` for a register (of ``region_id``, when given)."""
    rows = [r for r in client.get("/api/registers/").json()
            if r["code"] == code and (region_id is None or r["region"] == region_id)]
    assert rows, (code, region_id)
    return dict(rows[0])


def export(client: Any, code: str, region_id: int | None = None) -> tuple[Any, Any]:
    """A register exported through the API by ``client``: the PDF and the Excel response."""
    row = register_urls(client, code, region_id)
    return client.get(row["pdf_url"]), client.get(row["xlsx_url"])
