"""Rendering registers (台账) as PDF (WeasyPrint) and Excel (openpyxl).

The PDF names its font, "Noto Sans CJK SC" (Debian fonts-noto-cjk): CJK glyphs
fall back badly otherwise. The table has a fixed layout and a header repeated on
every page, and the footer numbers the pages.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.html import escape

PDF_CSS = """
@page {
  size: A4 landscape;
  margin: 14mm 10mm 16mm 10mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                   font-family: "Noto Sans CJK SC"; font-size: 8pt; color: #444; }
  @bottom-right { content: string(generated); font-family: "Noto Sans CJK SC";
                  font-size: 7pt; color: #666; }
}
body { font-family: "Noto Sans CJK SC"; font-size: 8.5pt; color: #000; }
h1 { text-align: center; font-size: 15pt; margin: 0 0 2mm; letter-spacing: 1pt; }
p.sub { text-align: center; margin: 0 0 4mm; color: #333; string-set: generated content(); }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
th { background: #eee; font-weight: bold; }
th, td { border: 0.5pt solid #555; padding: 1mm 1.2mm; text-align: left;
         overflow-wrap: anywhere; vertical-align: top; }
tr { page-break-inside: avoid; }
"""


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


# The printable width of an A4 landscape page at the body font size, in ems, and
# the width below which a cell's text should never wrap (names, places, dates, numbers).
PAGE_EMS = 88.0
NO_WRAP_EMS = 9.0
# Padding, borders and the rounding of a cell, in ems (measured: 0.8 was one character short).
CELL_EMS = 1.5


def _ems(text: str) -> float:
    """Printed width in ems: CJK characters are one em, Latin letters and digits about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def _widths(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]]) -> list[float]:
    """Column widths in percent (fixed layout, read from the first 200 rows).

    Each column first gets room for its short texts — the header's first word and
    any value up to NO_WRAP_EMS — so that 村仓库 or a date never breaks inside; what
    is left of the page goes to the columns whose longer texts would still wrap,
    in proportion to how much more they need.
    """
    floor = [min(max(_ems(label), 2.0), NO_WRAP_EMS) + CELL_EMS for _, label in columns]
    need = [max(_ems(label), 2.0) + CELL_EMS for _, label in columns]
    for row in rows[:200]:
        for i, text in enumerate(row):
            width = _ems(text) + CELL_EMS
            need[i] = max(need[i], min(width, 28.0))
            if width <= NO_WRAP_EMS + CELL_EMS:
                floor[i] = max(floor[i], width)
    spare = PAGE_EMS - sum(floor)
    extra = [n - f for n, f in zip(need, floor, strict=True)]
    if spare <= 0 or sum(extra) <= 0:
        ems = floor if spare <= 0 else need
    else:
        share = min(1.0, spare / sum(extra))
        ems = [f + e * share for f, e in zip(floor, extra, strict=True)]
    total = sum(ems)
    return [round(100 * n / total, 2) for n in ems]


def _html(title: str, subtitle: str, columns: Sequence[tuple[str, str]],
          rows: Iterable[Sequence[Any]], generated_at: dt.datetime) -> str:
    stamp = timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")
    cells = [[_cell(v) for v in row] for row in rows]
    cols = "".join(f"<col style='width:{w}%'>" for w in _widths(columns, cells))
    head = "".join(f"<th>{escape(label)}</th>" for _, label in columns)
    parts = [
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<style>{PDF_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1><p class='sub'>{escape(subtitle)} · 导出时间 {stamp}</p>",
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>",
    ]
    for row in cells:
        parts.append("<tr>" + "".join(f"<td>{escape(text)}</td>" for text in row) + "</tr>")
    parts.append("</tbody></table></body></html>")
    return "".join(parts)


def render_register_pdf(*, title: str, subtitle: str, columns: Sequence[tuple[str, str]],
                        rows: Iterable[Sequence[Any]],
                        generated_at: dt.datetime | None = None) -> bytes:
    from weasyprint import HTML

    html = _html(title, subtitle, columns, rows, generated_at or timezone.now())
    document = HTML(string=html).render(font_config=_font_config())
    return bytes(document.write_pdf())


# A cell that starts with one of these is read by Excel as a formula (CSV/formula
# injection): a ledger cell such as "=HYPERLINK(...)" typed by a villager must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def render_register_xlsx(*, title: str, columns: Sequence[tuple[str, str]],
                         rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([label for _, label in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(6, len(label) * 2 + 2) for _, label in columns]
    for row in rows:
        values = [excel_safe(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            if isinstance(value, dt.datetime):
                sheet.cell(row=sheet.max_row, column=i + 1).number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                sheet.cell(row=sheet.max_row, column=i + 1).number_format = "yyyy-mm-dd"
            widths[i] = min(60, max(widths[i], len(str(value)) * 2 if value is not None else 0))
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
