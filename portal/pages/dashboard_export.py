"""The dashboard as an Excel workbook (openpyxl) a bureau can print and file.

Three sheets — by village, by procedure, and every village by every procedure — each
with a title row ("示范区 履职事项统计 — 2026-12-02"), the scope and the time, a
header row repeated on every printed page, every village in scope (zeros included),
a totals row, numbers as numbers (rates as percentages), and A4 landscape fitted to the
page's width. Named in Chinese, with an ASCII name for old clients (RFC 6266).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.downloads import file_name, local_date, name_download
from portal.pages.dashboard_data import Counts, Dashboard
from workflows.rendering import excel_safe, print_setup, sheet_heading

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
HEAD_ROW = 4  # title, scope, time, then the header
THIN = Side(style="thin", color="8C959F")


def _number_heads() -> list[str]:
    return [_("事项数"), _("办理中"), _("逾期"), _("逾期率"), _("公示中"), _("已办结"),
            _("已撤回"), _("有时限的环节"), _("按时办完"), _("按时办理率"), _("超时办理")]


def _numbers(c: Counts) -> list[Any]:
    """The counts of a row as numbers; a rate with nothing to divide by is left empty."""
    return [c.total, c.open, c.overdue, c.overdue_rate, c.publicity, c.closed, c.withdrawn,
            c.steps_due, c.steps_on_time, c.on_time_rate, c.late_cases]


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) + 2


def _sheet(sheet: Worksheet, *, title: str, lines: Sequence[str], heads: Sequence[str],
           rows: Sequence[Sequence[Any]], total: Sequence[Any]) -> None:
    """One printable table: title, scope lines, header, rows, totals."""
    width = len(heads)
    head_row = sheet_heading(sheet, title=title, lines=lines, width=width)
    assert head_row == HEAD_ROW, "the dashboard's sheets carry a title and two lines"
    sheet.append(list(heads))
    for cell in sheet[HEAD_ROW]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EAEEF2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_width(h) for h in heads]
    for values in [*rows, total]:
        sheet.append([excel_safe(v) for v in values])
        for i, value in enumerate(values):
            if not isinstance(value, float):
                widths[i] = max(widths[i], _width(value))
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=HEAD_ROW, max_row=last, max_col=width):
        for cell in row:
            cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    for col, head in enumerate(heads, 1):
        if head in (_("逾期率"), _("按时办理率")):
            for (cell,) in sheet.iter_rows(min_row=HEAD_ROW + 1, max_row=last, min_col=col,
                                           max_col=col):
                cell.number_format = PERCENT
    for i, w in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = min(40, max(8, w))
    # print: A4 landscape, one page wide, the header on every page
    print_setup(sheet, head_row=HEAD_ROW, repeat_from=HEAD_ROW)


def render_dashboard_xlsx(board: Dashboard, *, place: str, heading: str) -> bytes:
    now = timezone.localtime()
    title = _("%(place)s 履职事项统计 — %(date)s") % {"place": place,
                                                       "date": now.strftime("%Y-%m-%d")}
    codes = "、".join(board.codes)
    lines = [
        _("统计范围:%(place)s;%(who)s;事项 %(n)d 项(%(codes)s)") % {
            "place": place, "who": heading, "n": len(board.codes), "codes": codes},
        _("统计时间:%(time)s;逾期率 = 逾期件数 ÷ 办理中件数;按时办理率 = 按时办完的环节 ÷ "
          "有办理时限且已办完的环节") % {"time": now.strftime("%Y-%m-%d %H:%M")},
    ]
    numbers = _number_heads()
    townships = board.townships()
    villages = board.villages()
    by_village = {row.params["region"]: row.counts for row in board.ranking()}
    book = Workbook()
    first = book.active
    first.title = _("按村(社区)")
    _sheet(first, title=title, lines=lines,
           heads=[_("镇(街道)"), _("村(社区)"), *numbers],
           rows=[[townships[v.parent_id].name if v.parent_id in townships else "", v.name,
                  *_numbers(by_village[v.pk])] for v in villages],
           total=[_("合计"), _("%(n)d 个村(社区)") % {"n": len(villages)},
                  *_numbers(board.total())])
    _sheet(book.create_sheet(_("按事项")), title=title, lines=lines,
           heads=[_("事项编号"), _("事项名称"), *numbers],
           rows=[[row.sub, row.label, *_numbers(row.counts)] for row in board.procedure_rows()],
           total=[_("合计"), _("%(n)d 项事项") % {"n": len(board.codes)},
                  *_numbers(board.total())])
    detail = []
    for v in villages:
        township = townships[v.parent_id].name if v.parent_id in townships else ""
        for spec in board.procedures:
            counts = board.by_key.get((v.pk, spec.code), Counts())
            detail.append([township, v.name, spec.code, spec.name, *_numbers(counts)])
    _sheet(book.create_sheet(_("按村按事项")), title=title, lines=lines,
           heads=[_("镇(街道)"), _("村(社区)"), _("事项编号"), _("事项名称"), *numbers],
           rows=detail, total=[_("合计"), "", "", "", *_numbers(board.total())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(board: Dashboard, *, place: str, heading: str) -> HttpResponse:
    body = render_dashboard_xlsx(board, place=place, heading=heading)
    response = HttpResponse(body, content_type=XLSX)
    name_download(response, file_name(place, _("履职事项统计"), local_date(), ext="xlsx"),
                  file_name("dashboard", local_date(), ext="xlsx"))
    return response
