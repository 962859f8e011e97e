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
from openpyxl import load_workbook

from core.errors import RuleError
from core.idcard import id_problem, mask_id
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
        raise refuse(field, "无法读取该Excel文件,请上传xlsx格式的表格。") from None
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
                    raise refuse(field, f"第{number}行(表头)缺少列:{'、'.join(missing)}。"
                                        f"表头应包含:{'、'.join(columns)}。")
                index = {c: headers.index(_norm(c)) for c in columns}
                continue
            cells = {c: (values[i] if i < len(values) else None) for c, i in index.items()}
            rows.append(Row(number, cells))
            if len(rows) > MAX_ROWS:
                raise refuse(field, f"表格不能超过{MAX_ROWS}行。")
    finally:
        book.close()
    if index is None:
        raise refuse(field, f"表格是空的。表头应包含:{'、'.join(columns)}。")
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
                            f"第{i + 1}行:身份证号{mask_id(number)}与第{seen[number] + 1}行重复。",
                            field=f"{field}[{i}].id_number")
        seen[number] = i
        value = Decimal(str(row[value_key])).quantize(CENT)
        entries.append(Entry(i + 1, str(row["name"]), number, value))
    if not entries:
        raise refuse(field, "清单中没有任何数据行。")
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
        where = f"第{row.line}行"
        name = str(row.cells.get(name_col) or "").strip()
        if not name:
            raise refuse(field, f"{where}:{name_col}为空。")
        if len(name) > 64:
            raise refuse(field, f"{where}:{name_col}过长。")
        raw_id = row.cells.get(id_col)
        number = str(raw_id if raw_id is not None else "").strip().upper()
        problem = id_problem(number)
        if problem:
            raise refuse(field, f"{where}:身份证号“{mask_id(number)}”{problem}。")
        if number in seen and not allow_repeat:
            raise refuse(field, f"{where}:身份证号{mask_id(number)}与第{seen[number]}行重复。")
        seen.setdefault(number, row.line)
        value = _decimal(row.cells.get(value_col))
        if value is None:
            raise refuse(field, f"{where}:{value_label}应为数字。")
        if value < 0:
            raise refuse(field, f"{where}:{value_label}不能为负数。")
        if value == 0:
            raise refuse(field, f"{where}:{value_label}须大于0。")
        if value != value.quantize(CENT):
            raise refuse(field, f"{where}:{value_label}最多保留两位小数。")
        entries.append(Entry(row.line, name, number, value.quantize(CENT)))
    if not entries:
        raise refuse(field, "清单中没有任何数据行。")
    return entries
