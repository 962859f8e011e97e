"""Reading the roster and the payment list: an XLSX upload or a table typed in the form,
checked row by row.

Every refusal names the row (the spreadsheet's own row number, or the table's cell) and
nothing is written: the gate's transaction is rolled back.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.errors import RuleError
from core.idcard import id_problem, mask_id
from core.listing import listed
from subsidies.choices import PayeeColumn, RosterColumn

# The header rows of the uploaded files are Chinese whatever the interface language
# (the labels are lazily translated: read them in Chinese, once).
with translation.override("zh-hans"):
    ROSTER_COLUMNS = tuple(str(c.label) for c in RosterColumn)
    PAYEE_COLUMNS = tuple(str(c.label) for c in PayeeColumn)

MAX_ROWS = 5000
CENT = Decimal("0.01")
_FULLWIDTH = str.maketrans({"(": "(", ")": ")", " ": "", "\u3000": ""})


@dataclass(frozen=True)
class Row:
    line: int  # the row number shown to the user
    cells: dict[str, Any]


@dataclass(frozen=True)
class Entry:
    line: int
    name: str
    id_number: str
    value: Decimal


def _norm(header: Any) -> str:
    return str(header or "").strip().translate(_FULLWIDTH)


def refuse(field: str, message: str) -> RuleError:
    return RuleError("invalid_roster", message, field=field)


def read_xlsx(content: bytes, columns: Sequence[str], *, field: str) -> list[Row]:
    """Rows of the first sheet below its header row, by column name."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file
        raise refuse(field, _("无法读取该Excel文件,请上传xlsx格式的表格。")) from None
    try:
        sheet = book.worksheets[0]
        rows: list[Row] = []
        index: dict[str, int] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if index is None:
                headers = [_norm(v) for v in values]
                missing = [c for c in columns if _norm(c) not in headers]
                if missing:
                    raise refuse(field, _("第%(number)s行(表头)缺少列:%(items)s。表头应包含:"
                                          "%(columns)s。")
                                        % {"number": number, "items": listed(missing),
                                           "columns": listed(columns)})
                index = {c: headers.index(_norm(c)) for c in columns}
                continue
            cells = {c: (values[i] if i < len(values) else None) for c, i in index.items()}
            rows.append(Row(number, cells))
            if len(rows) > MAX_ROWS:
                raise refuse(field, _("表格不能超过%(n)s行。") % {"n": MAX_ROWS})
    finally:
        book.close()
    if index is None:
        raise refuse(field, _("表格是空的。表头应包含:%(items)s。")
                            % {"items": listed(columns)})
    return rows


def table_entries(rows: Iterable[Mapping[str, Any]], *, field: str,
                  value_key: str) -> list[Entry]:
    """Entries from a table typed in the form: its cells are checked by their columns (name,
    ID number, a positive amount to the cent); what is left here is the roster's own rule,
    each household once (the cell named)."""
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        number = str(row["id_number"])
        if number in seen:
            raise RuleError("invalid_roster",
                            _("第%(row)s行:身份证号%(id_number)s与第%(other)s行重复。")
                            % {"row": i + 1, "id_number": mask_id(number),
                               "other": seen[number] + 1},
                            field=f"{field}[{i}].id_number")
        seen[number] = i
        value = Decimal(str(row[value_key])).quantize(CENT)
        entries.append(Entry(i + 1, str(row["name"]), number, value))
    if not entries:
        raise refuse(field, _("清单中没有任何数据行。"))
    return entries


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_entries(rows: Iterable[Row], columns: Sequence[str], *, field: str,
                  value_label: str, allow_repeat: bool = False) -> list[Entry]:
    """Check name, ID number and a positive amount with at most two decimals per row."""
    name_col, id_col, value_col = columns
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for row in rows:
        where = _("第%(row)s行") % {"row": row.line}
        name = str(row.cells.get(name_col) or "").strip()
        if not name:
            raise refuse(field, _("%(where)s:%(name_col)s为空。")
                                % {"where": where, "name_col": name_col})
        if len(name) > 64:
            raise refuse(field, _("%(where)s:%(name_col)s过长。")
                                % {"where": where, "name_col": name_col})
        raw_id = row.cells.get(id_col)
        number = str(raw_id if raw_id is not None else "").strip().upper()
        problem = id_problem(number)
        if problem:
            raise refuse(field, _("%(where)s:身份证号“%(id_number)s”%(problem)s。")
                                % {"where": where, "id_number": mask_id(number),
                                   "problem": problem})
        if number in seen and not allow_repeat:
            raise refuse(field, _("%(where)s:身份证号%(id_number)s与第%(other)s行重复。")
                         % {"where": where, "id_number": mask_id(number), "other": seen[number]})
        seen.setdefault(number, row.line)
        value = _decimal(row.cells.get(value_col))
        if value is None:
            raise refuse(field, _("%(where)s:%(value_label)s应为数字。")
                                % {"where": where, "value_label": value_label})
        if value < 0:
            raise refuse(field, _("%(where)s:%(value_label)s不能为负数。")
                                % {"where": where, "value_label": value_label})
        if value == 0:
            raise refuse(field, _("%(where)s:%(value_label)s须大于0。")
                                % {"where": where, "value_label": value_label})
        if value != value.quantize(CENT):
            raise refuse(field, _("%(where)s:%(value_label)s最多保留两位小数。")
                                % {"where": where, "value_label": value_label})
        entries.append(Entry(row.line, name, number, value.quantize(CENT)))
    if not entries:
        raise refuse(field, _("清单中没有任何数据行。"))
    return entries
