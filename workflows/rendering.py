"""Rendering registers (台账) as PDF (WeasyPrint) and Excel (openpyxl), to be posted and filed.

The PDF is ``templates/workflows/register_pdf.html``: A4 landscape, the title block and the
column headings in the table's ``thead`` (so they stand on every page and the title is never
left alone on one), rows never split, "第 N 页 / 共 M 页" in the page footer. Its font is named,
"Noto Sans CJK SC" (Debian fonts-noto-cjk): CJK glyphs fall back badly otherwise.

Columns are sized by a :func:`column_plan` read from the cells' text, not measured: dates,
numbers and short words (状态, 是/否, names) get the width of their longest value and never
break; free text gets the rest of the page in proportion to how much it holds, never less
than :data:`TEXT_MIN_EMS`. The plan picks the largest font size at which that fits. The table
has a fixed layout with a ``colgroup``: WeasyPrint then lays out each cell once (an automatic
layout measures every cell's text with Pango, which costs seconds on a long ledger).

The Excel sheet (:func:`render_register_xlsx`) carries the same title, scope and date above
its header, real dates and numbers, and a print set-up (:func:`print_setup`) shared with the
dashboard's workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FONT = "Noto Sans CJK SC"

# The page: A4 landscape less its side margins (10 mm each), and what a cell adds to its text
# (1.2 mm of padding each side, the borders and a little slack), in millimetres.
PAGE_MM = 297 - 2 * 10
CELL_MM = 3.0
MM_PER_PT = 25.4 / 72
# Font sizes tried, largest first: a ledger of few columns prints at 10 pt, a wide one smaller.
FONT_SIZES = (10.0, 9.0, 8.5, 8.0, 7.5, 7.0)
# A free-text column is never narrower than this many characters (a narrower one reads as a
# column of single characters), and is wished as wide as its text up to TEXT_MAX_EMS.
TEXT_MIN_EMS = 8.0
TEXT_SQUEEZED_EMS = 6.0  # ... unless a very wide ledger leaves no more at the smallest font
TEXT_MAX_EMS = 36.0
# A value this long or shorter is "short" (a name, a place, a state) and never breaks.
SHORT_EMS = 9.0
# A heading up to this long stands on one line; a longer one may break in two.
HEAD_WHOLE_EMS = 4.0
# What a column of unbroken values gets beyond its longest value's estimate (fonts differ).
WHOLE_SLACK_EMS = 0.4
# The rows read to plan the columns (enough to know a column; fast on a long ledger).
PLAN_ROWS = 400


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
        return _("是") if value else _("否")
    return str(value)


def ems(text: str) -> float:
    """Printed width in ems: CJK characters and full-width punctuation are one em, Latin
    letters and digits about six tenths."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in text)


# --- the column plan ---------------------------------------------------------------------------

NUMBER, DATE, DATETIME, SHORT, TEXT = "number", "date", "datetime", "short", "text"


@dataclass(frozen=True)
class PlannedColumn:
    key: str
    heading: str
    kind: str        # number, date, datetime, short or text
    percent: float   # of the table's width
    whole: bool      # its values never break (white-space: nowrap)
    right: bool      # numbers stand right-aligned


@dataclass(frozen=True)
class ColumnPlan:
    font_pt: float
    columns: list[PlannedColumn]


def _kind(values: Sequence[Any], texts: Sequence[str]) -> str:
    present = [v for v in values if v not in (None, "")]
    if not present:
        return SHORT
    if all(isinstance(v, dt.datetime) for v in present):
        return DATETIME
    if all(isinstance(v, dt.date) for v in present):
        return DATE
    if all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in present):
        return NUMBER
    if max(ems(t) for t in texts) <= SHORT_EMS:
        return SHORT
    return TEXT


def _head_min(heading: str) -> float:
    width = ems(heading)
    return width if width <= HEAD_WHOLE_EMS else max(HEAD_WHOLE_EMS, math.ceil(width / 2))


def _room(size: float, n: int) -> float:
    """The table's width in ems at ``size`` pt, less what ``n`` cells add to their text."""
    return (PAGE_MM - n * CELL_MM) / (size * MM_PER_PT)


def column_plan(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> ColumnPlan:
    """How wide each column prints, and at what font size (see the module's text).

    Widths are worked out in ems: each column's least width (a short column's longest value,
    a date, a free-text column's TEXT_MIN_EMS, a heading's longest unbroken part) and the
    width it would like (a date-time on one line, free text as long as its text, up to
    TEXT_MAX_EMS). The largest font at which the least widths fit is used; what is left of
    the page goes first to date-times, then to free text in proportion to how much text
    each holds, never beyond what a column would like; what is still left is shared out.
    """
    sample = rows[:PLAN_ROWS]
    kinds, least, wish, weight = [], [], [], []
    for i, (_key, heading) in enumerate(columns):
        values = [row[i] for row in sample]
        texts = [_cell(v) for v in values]
        kind = _kind(values, texts)
        longest = max((ems(t) for t in texts), default=0.0)
        head = _head_min(str(heading))
        if kind == DATETIME:
            date_part = max((ems(t.split(" ")[0]) for t in texts if t), default=0.0)
            low, high = max(head, date_part), max(head, longest)
        elif kind == TEXT:
            low = max(head, TEXT_MIN_EMS)
            high = max(low, min(longest, TEXT_MAX_EMS))
        else:
            low = high = max(head, longest + WHOLE_SLACK_EMS, 1.0)
        kinds.append(kind)
        least.append(low)
        wish.append(high)
        weight.append(sum(ems(t) for t in texts) / max(1, len(texts)) if kind == TEXT else 0.0)
    font = next((size for size in FONT_SIZES if sum(least) <= _room(size, len(columns))),
                FONT_SIZES[-1])
    room = _room(font, len(columns))
    text_cols = [i for i, k in enumerate(kinds) if k == TEXT]
    if sum(least) > room and text_cols:  # too wide even so: the free text gives way first
        fixed = sum(w for i, w in enumerate(least) if i not in text_cols)
        each = max(TEXT_SQUEEZED_EMS, (room - fixed) / len(text_cols))
        for i in text_cols:
            least[i] = min(least[i], max(each, _head_min(str(columns[i][1]))))
    widths = list(least)
    spare = room - sum(widths)
    if spare > 0:  # date-times on one line first, if all of them can be
        grow = [wish[i] - widths[i] if kinds[i] == DATETIME else 0.0 for i in range(len(widths))]
        if 0 < sum(grow) <= spare:
            widths = [w + g for w, g in zip(widths, grow, strict=True)]
            spare -= sum(grow)
    while spare > 1e-6:  # free text towards its wish, by how much text it holds
        open_ = [i for i, k in enumerate(kinds) if k == TEXT and wish[i] - widths[i] > 1e-6]
        if not open_:
            break
        total = sum(weight[i] for i in open_) or len(open_)
        given = 0.0
        for i in open_:
            share = spare * ((weight[i] or 1.0) / total)
            step = min(share, wish[i] - widths[i])
            widths[i] += step
            given += step
        spare -= given
        if given <= 1e-6:
            break
    if spare > 1e-6:  # the rest to the free text, or to every column when there is none
        takers = [i for i, k in enumerate(kinds) if k == TEXT] or list(range(len(widths)))
        total = sum(widths[i] for i in takers)
        for i in takers:
            widths[i] += spare * widths[i] / total
    pads = CELL_MM / (font * MM_PER_PT)
    full = sum(w + pads for w in widths)
    return ColumnPlan(font, [
        PlannedColumn(key, str(heading), kind, round(100 * (w + pads) / full, 3),
                      whole=kind in (NUMBER, DATE, SHORT), right=kind == NUMBER)
        for (key, heading), kind, w in zip(columns, kinds, widths, strict=True)
    ])


# --- PDF ---------------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """``text`` as a CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '\\"<>&' or ord(ch) < 0x20 else ch
                      for ch in text)
    return f'"{escaped}"'


def page_counter() -> str:
    """CSS ``content`` that prints "第 N 页 / 共 M 页" in the active language."""
    words = _("第 {page} 页 / 共 {pages} 页")
    out = []
    for part in words.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0"):
        if part in ("page", "pages"):
            out.append(f"counter({part})")
        elif part:
            out.append(_css_string(part))
    return " ".join(out)


def register_html(*, title: str, subtitle: str, columns: Sequence[tuple[str, str]],
                  rows: Sequence[Sequence[Any]], generated_at: dt.datetime) -> str:
    plan = column_plan(columns, rows)
    classes = [" ".join(c for c, on in (("w", col.whole), ("r", col.right)) if on)
               for col in plan.columns]
    body = [[(text, cls) for text, cls in zip((_cell(v) for v in row), classes, strict=True)]
            for row in rows]
    return render_to_string("workflows/register_pdf.html", {
        "lang": translation.get_language() or "zh-hans",
        "font": FONT, "font_pt": plan.font_pt, "plan": plan.columns, "span": len(plan.columns),
        "title": title, "subtitle": subtitle, "rows": body, "counter": page_counter(),
        "title_css": _css_string(title),
        "stamp_css": _css_string(_("导出时间 %(time)s") % {
            "time": timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")}),
    })


def render_register_pdf(*, title: str, subtitle: str, columns: Sequence[tuple[str, str]],
                        rows: Iterable[Sequence[Any]],
                        generated_at: dt.datetime | None = None) -> bytes:
    from weasyprint import HTML

    html = register_html(title=title, subtitle=subtitle, columns=columns, rows=list(rows),
                         generated_at=generated_at or timezone.now())
    document = HTML(string=html).render(font_config=_font_config())
    return bytes(document.write_pdf())


# --- Excel -------------------------------------------------------------------------------------

# A cell that starts with one of these is read by Excel as a formula (CSV/formula
# injection): a ledger cell such as "=HYPERLINK(...)" typed by a villager must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def excel_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def excel_width(value: Any) -> float:
    """A value's width in Excel's units (a digit of the default font): CJK counts two."""
    text = _cell(value) if not isinstance(value, str) else value
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text) + 2


def print_setup(sheet: Worksheet, *, head_row: int, repeat_from: int = 1) -> None:
    """A4 landscape, fitted to the page's width, rows ``repeat_from``..``head_row`` printed on
    every page, the panes frozen under the header."""
    sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{repeat_from}:{head_row}"
    sheet.print_options.horizontalCentered = True


def sheet_heading(sheet: Worksheet, *, title: str, lines: Sequence[str], width: int) -> int:
    """The title (merged over ``width`` columns) and the lines under it; returns the row the
    header goes in."""
    from openpyxl.styles import Alignment, Font

    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 24
    for line in lines:
        sheet.append([line])
    for row_no in range(1, len(lines) + 2):
        if width > 1:
            sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=width)
        if row_no > 1:
            sheet.cell(row=row_no, column=1).alignment = Alignment(horizontal="left")
    return len(lines) + 2


def render_register_xlsx(*, title: str, columns: Sequence[tuple[str, str]],
                         rows: Iterable[Sequence[Any]], lines: Sequence[str] = ()) -> bytes:
    """The ledger as a sheet to print: title, ``lines`` (scope and date), header, rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    rows = list(rows)
    plan = column_plan(columns, rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    head_row = sheet_heading(sheet, title=title, lines=lines, width=len(columns))
    sheet.append([label for _, label in columns])
    thin = Side(style="thin", color="8C959F")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[head_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EAEEF2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    widths = [excel_width(str(label)) for _, label in columns]
    for row in rows:
        # 是/否 in the reader's language; dates, times and numbers as Excel's own
        sheet.append([_cell(v) if isinstance(v, bool) else excel_safe(v) for v in row])
        for i, (value, col) in enumerate(zip(row, plan.columns, strict=True)):
            cell = sheet.cell(row=sheet.max_row, column=i + 1)
            cell.border = border
            cell.alignment = wrap if col.kind == TEXT else top
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if value is not None:
                widths[i] = max(widths[i], excel_width(value))
    for i, (width, col) in enumerate(zip(widths, plan.columns, strict=True), 1):
        cap = 50 if col.kind == TEXT else 30
        sheet.column_dimensions[get_column_letter(i)].width = min(cap, max(6.0, width))
    print_setup(sheet, head_row=head_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
