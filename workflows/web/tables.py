"""Excel for the row editor of a table field: a template to fill, and reading it back.

The template is built from the field's columns (the API's field schema, so it is the
same list of columns, labels, choices and bounds the form shows): a title row, the
header row, drop-down lists for choices, text cells for numbers that are codes (ID
numbers, mobiles, months), and a sheet that says how to fill each column. An upload
is read here into rows of text for the editor, and every cell is checked by the
engine's own validation (``workflows.fields``) so that the cadre sees each problem by
row and column before submitting — nothing is recorded until the action is submitted,
and the gate judges again then.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.downloads import file_name, name_download
from core.errors import RuleError
from workflows.attachments import XLSX, check_upload
from workflows.fields import FieldErrors, check_bounds, clean_value, recorded_choices
from workflows.models import Case
from workflows.rendering import excel_safe
from workflows.serializers import actions_json
from workflows.spec import FieldSpec
from workflows.visibility import access_case

TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
TEMPLATE_ROWS = 200  # rows prepared with formats and lists (more may be typed)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
TRUE_WORDS = {"是", "√", "✓", "true", "yes", "y", "1", "有"}
FALSE_WORDS = {"否", "×", "false", "no", "n", "0", "无", ""}


def _plain_label(text: str) -> str:
    return "".join(str(text).split()).rstrip("*").replace("(必填)", "")


def _hint(column: Mapping[str, Any]) -> str:
    """How to fill one column, in words (the template's comments and its 填写说明 sheet)."""
    kind = column["type"]
    parts: list[str] = []
    if kind == "date":
        parts.append(_("日期,如 2026-11-28"))
    elif kind == "datetime":
        parts.append(_("日期时间,如 2026-11-28 09:30"))
    elif kind == "month":
        parts.append(_("年月,如 2026-11"))
    elif kind == "integer":
        parts.append(_("整数"))
    elif kind == "decimal":
        parts.append(_("数字,最多两位小数"))
    elif kind == "boolean":
        parts.append(_("填“是”或“否”"))
    elif kind in ("choice", "ref", "user"):
        labels = [str(c["label"]) for c in column.get("choices", [])]
        shown = "、".join(labels[:12]) + ("……" if len(labels) > 12 else "")
        parts.append(_("从下拉列表中选择:%(list)s") % {"list": shown} if labels
                     else _("从下拉列表中选择"))
    fmt = column.get("format")
    if fmt == "id_number":
        parts.append(_("18位居民身份证号码"))
    elif fmt == "mobile":
        parts.append(_("11位手机号码"))
    elif fmt == "uscc":
        parts.append(_("18位统一社会信用代码"))
    if kind in ("integer", "decimal") and column.get("max") is not None:
        parts.append(_("%(min)s 至 %(max)s") % {"min": column.get("min", 0),
                                                  "max": column["max"]})
    if kind in ("date", "datetime", "month"):
        if column.get("min"):
            parts.append(_("不早于 %(v)s") % {"v": str(column["min"])[:10]})
        if column.get("max"):
            parts.append(_("不晚于 %(v)s") % {"v": str(column["max"])[:10]})
    if kind in ("string", "text") and column.get("max_length"):
        parts.append(_("不超过%(n)s个字") % {"n": column["max_length"]})
    if column.get("help"):
        parts.append(str(column["help"]))
    return ";".join(parts)


def template_workbook(spec: Mapping[str, Any]) -> bytes:
    """The .xlsx a cadre fills for the table field ``spec`` (its API schema)."""
    columns = list(spec.get("columns", []))
    book = Workbook()
    sheet = book.active
    sheet.title = _("填写")
    width = max(len(columns), 1)
    title = sheet.cell(TITLE_ROW, 1, excel_safe(
        _("%(label)s(导入模板)") % {"label": spec["label"]}))
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 26
    if width > 1:
        sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW,
                          end_column=width)
    head_fill = PatternFill("solid", fgColor="EEF1F4")
    thin = Side(style="thin", color="8C959F")
    options = None
    last = FIRST_ROW + TEMPLATE_ROWS - 1
    for i, column in enumerate(columns, 1):
        letter = get_column_letter(i)
        required = column.get("required") and not column.get("required_if")
        cell = sheet.cell(HEADER_ROW, i, excel_safe(f"{column['label']}{'*' if required else ''}"))
        cell.font = Font(bold=True, color="A40E26" if required else "1F2328")
        cell.fill = head_fill
        cell.border = Border(bottom=thin, top=thin, left=thin, right=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        hint = _hint(column)
        if hint:
            cell.comment = Comment(hint, _("村(社区)履职事项全程纪实平台"), width=260, height=120)
        kind = column["type"]
        wide = 24 if column.get("format") or kind in ("text", "datetime") else 14
        sheet.column_dimensions[letter].width = max(wide, len(str(column["label"])) * 2 + 4)
        number_format = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm",
                         "integer": "0", "decimal": "0.00"}.get(kind, "@")
        for row in range(FIRST_ROW, last + 1):
            sheet.cell(row, i).number_format = number_format
        labels = [str(c["label"]) for c in column.get("choices", [])]
        if kind == "boolean":
            labels = [_("是"), _("否")]
        if labels:
            if options is None:
                options = book.create_sheet(_("选项"))
                options.sheet_state = "hidden"
            for r, label in enumerate(labels, 1):
                options.cell(r, i, excel_safe(label))
            ref = f"{quote_sheetname(options.title)}!${letter}$1:${letter}${len(labels)}"
            check = DataValidation(type="list", formula1=ref, allow_blank=True,
                                   showErrorMessage=True, errorTitle=_("不是可选的值"),
                                   error=_("请从下拉列表中选择。"))
            check.add(f"{letter}{FIRST_ROW}:{letter}{last}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列"), _("是否必填"), _("填写要求")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
    for column in columns:
        required = column.get("required") and not column.get("required_if")
        notes.append([excel_safe(str(column["label"])), _("必填") if required else _("选填"),
                      excel_safe(_hint(column))])
    low, high = spec.get("min_rows") or 0, spec.get("max_rows") or 0
    notes.append([])
    notes.append([_("说明"), "", _("从第%(row)s行起每行填写一条,共 %(low)s 至 %(high)s 行;"
                                    "不要改动表头。导入后请在页面上核对,提交后才记录。")
                  % {"row": FIRST_ROW, "low": low, "high": high}])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading an upload ----------------------------------------------------------------------


@dataclass
class Imported:
    """Rows as text for the editor, and each problem by row (0-based) and column."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "errors": self.errors, "detail": self.detail}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(column: Mapping[str, Any], value: Any) -> Any:
    """One cell of the sheet as the editor's input takes it (a choice by its value)."""
    kind = column["type"]
    if kind == "boolean":
        text = _text(value).lower()
        if value is True or text in TRUE_WORDS:
            return True
        if value is False or value is None or text in FALSE_WORDS:
            return False
        return text
    if isinstance(value, dt.datetime):
        if kind == "month":
            return f"{value:%Y-%m}"
        if kind == "datetime":
            return value.strftime("%Y-%m-%dT%H:%M")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}" if kind == "month" else value.isoformat()
    text = _text(value)
    if kind in ("choice", "ref", "user"):
        for choice in column.get("choices", []):
            if text in (str(choice["label"]), str(choice["value"])):
                return str(choice["value"])
        return text
    if kind == "decimal" and isinstance(value, float):
        return str(Decimal(repr(value)))
    if kind in ("date", "month"):
        text = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
        text = text.rstrip("日").rstrip("-")
        parts = text.split("-")
        if all(p.isdigit() for p in parts) and len(parts) == (2 if kind == "month" else 3):
            return "-".join([parts[0], *(p.zfill(2) for p in parts[1:])])
    return text


def _sheet_rows(data: bytes, limit: int) -> Iterator[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for n, values in enumerate(sheet.iter_rows(values_only=True)):
            if n > limit:
                break
            yield values
    finally:
        book.close()


def read_upload(spec: Mapping[str, Any], table: FieldSpec, data: bytes, *, case: Case
                ) -> Imported:
    """The rows of an uploaded sheet for the table field ``spec`` (schema) / ``table``
    (its spec), each cell checked as the gate will check it."""
    out = Imported()
    columns = list(spec.get("columns", []))
    by_label = {_plain_label(c["label"]): c for c in columns}
    by_label.update({c["name"]: c for c in columns})
    high = int(spec.get("max_rows") or 2000)
    header: dict[int, Mapping[str, Any]] | None = None
    try:
        for values in _sheet_rows(data, high + 10):
            cells = list(values or ())
            if header is None:
                found = {i: by_label[_plain_label(_text(v))] for i, v in enumerate(cells)
                         if _plain_label(_text(v)) in by_label}
                if len(found) >= max(1, min(len(columns), 2)) or (
                        len(columns) == 1 and found):
                    header = found
                continue
            if all(_text(v) == "" for v in cells):
                continue
            if len(out.rows) >= high:
                out.detail = _("表格最多 %(n)s 行,多出的行未导入。") % {"n": high}
                break
            out.rows.append({c["name"]: _cell(c, cells[i] if i < len(cells) else None)
                             for i, c in header.items()})
    except Exception:  # a corrupt or foreign file is a message, never a server error
        return Imported(detail=_("无法读取该文件,请使用下载的模板(.xlsx)填写后再导入。"))
    if header is None:
        return Imported(detail=_("没有找到表头行:请使用下载的模板,不要改动表头。"))
    missing = [str(c["label"]) for c in columns if c not in header.values()]
    if missing:
        out.detail = _("表格中缺少这些列:%(cols)s。") % {"cols": "、".join(missing)}
    out.errors = _check(table, out.rows, case=case)
    return out


def _check(table: FieldSpec, rows: list[dict[str, Any]], *, case: Case) -> list[dict[str, Any]]:
    """Every problem of the rows as the gate would name it, by row and column."""
    sink: list[RuleError] = []
    sent = [{k: v for k, v in row.items() if v not in ("", None)} for row in rows]
    try:
        cleaned = clean_value(recorded_choices(table, case.data), sent, region=case.region,
                              errors=sink)
    except FieldErrors as many:
        sink.extend(many.errors)
        cleaned = []
    except RuleError as err:
        sink.append(err)
        cleaned = []
    columns = {c.name: c for c in table.columns}
    for i, row in enumerate(cleaned if isinstance(cleaned, list) else []):
        for name, value in row.items():
            column = columns.get(name)
            if column is None:
                continue
            try:
                check_bounds(column, value, row, columns, name=f"{table.name}[{i}].{name}")
            except RuleError as err:
                sink.append(err)
    out = []
    prefix = f"{table.name}["
    for found in sink:
        where = found.field or ""
        row_index: int | None = None
        column_name = ""
        if where.startswith(prefix):
            index, _sep, column_name = where[len(prefix):].partition("].")
            row_index = int(index.rstrip("]")) if index.rstrip("]").isdigit() else None
        out.append({"row": row_index, "column": column_name, "detail": found.detail})
    return out


# --- the two endpoints ----------------------------------------------------------------------


def _table_of(request: HttpRequest, pk: int, action: str, name: str
              ) -> tuple[Case, dict[str, Any], FieldSpec]:
    """The table field ``name`` of an action this user may do on the case now (else 404)."""
    case = access_case(request.user, pk)
    offered = next((a for a in actions_json(request.user, case) if a["code"] == action), None)
    spec = next((f for f in (offered or {}).get("fields", [])
                 if f["name"] == name and f["type"] == "table"), None)
    step = case.spec.step(case.current_step) if case.spec and case.current_step and \
        case.spec.has_step(case.current_step) else None
    act = step.action(action) if step else None
    table = next((f for f in act.fields if f.name == name), None) if act else None
    if spec is None or table is None:
        raise Http404
    return case, spec, table


@login_required
def table_template(request: HttpRequest, pk: int, action: str, name: str) -> HttpResponse:
    """The Excel template of a table field of an action the user may do now."""
    _case, spec, _table = _table_of(request, pk, action, name)
    response = HttpResponse(template_workbook(spec), content_type=XLSX)
    name_download(response, file_name(spec["label"], "导入模板", ext="xlsx"),
                  file_name(f"table-{name}", "template", ext="xlsx"))
    return response


@login_required
@require_POST
def table_import(request: HttpRequest, pk: int, action: str, name: str) -> JsonResponse:
    """An uploaded sheet read into rows for the editor, with every problem by row and
    column (JSON). Nothing is stored: the rows reach the gate when the action is sent."""
    case, spec, table = _table_of(request, pk, action, name)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"code": "missing_attachment", "detail": _("请选择 Excel 文件。")},
                            status=400)
    try:
        check_upload(upload, accept=[XLSX], max_bytes=MAX_IMPORT_BYTES, field="file")
    except RuleError as err:
        return JsonResponse(err.as_body(), status=400)
    result = read_upload(spec, table, upload.read(), case=case)
    if not result.rows and result.detail:
        return JsonResponse({"code": "invalid_import", "detail": result.detail}, status=400)
    return JsonResponse(result.as_json())
