"""The browser widgets of the typed fields (contract 5's field schema) and their errors.

``workflows.web.forms`` builds a step's form from the API's description of its actions;
this module holds what the typed fields need on top of a plain input:

- the HTML attributes of an input from its schema (bounds, ``maxlength``, ``inputmode``,
  the format or pattern the page checks as the user types — the gate stays the judge);
- the row editor of a ``table``: rows posted as ``f_<table>`` (one hidden input per row,
  holding the row's key, in the order shown) and ``f_<table>.<key>.<column>`` per cell,
  read back into the list of row objects the gate expects;
- every refusal of a submission placed next to its field, or table cell, and listed at
  the top of the form;
- the words the page's script shows (``static/js/fields.js``), translated here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.errors import RuleError
from workflows.attachments import ALLOWED_TYPES
from workflows.web.display import listed

TEXT_TYPES = ("string", "text")
BLANK_KEY = "__row__"  # the key of the row editor's template row, replaced by the script
MAX_POSTED_ROWS = 2001  # one more than the gate's largest table, so that it can say so


# --- input attributes -----------------------------------------------------------------------


def _local_minute(value: str) -> str:
    """An ISO date-time bound as ``datetime-local`` takes it: local time to the minute."""
    moment = parse_datetime(value)
    if moment is None:
        return value[:16]
    if moment.tzinfo is not None:
        moment = localtime(moment)
    return moment.strftime("%Y-%m-%dT%H:%M")


def input_attrs(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The attributes of the input of a scalar field (or table column), beyond id and name."""
    kind = spec["type"]
    out: list[tuple[str, str]] = []
    if kind == "string":
        fmt = spec.get("format")
        out.append(("type", "tel" if fmt == "mobile" else "text"))
        if fmt == "mobile":
            out.append(("inputmode", "numeric"))
        if fmt in ("id_number", "uscc"):
            out += [("autocapitalize", "characters"), ("spellcheck", "false")]
        if fmt:
            out += [("data-format", str(fmt)), ("autocomplete", "off")]
    if kind in TEXT_TYPES:
        if spec.get("max_length"):
            out += [("maxlength", str(spec["max_length"])),
                    ("data-maxlength", str(spec["max_length"]))]
        if spec.get("pattern"):
            out.append(("data-pattern", str(spec["pattern"])))
    elif kind in ("integer", "decimal"):
        out += [("type", "number"),
                ("inputmode", "numeric" if kind == "integer" else "decimal"),
                ("step", "1" if kind == "integer" else "0.01")]
        for bound in ("min", "max"):
            if spec.get(bound) is not None:
                out.append((bound, str(spec[bound])))
    elif kind in ("date", "datetime", "month"):
        out.append(("type", {"date": "date", "datetime": "datetime-local",
                             "month": "month"}[kind]))
        for bound in ("min", "max"):
            value = spec.get(bound)
            if value:
                out.append((bound, _local_minute(value) if kind == "datetime" else str(value)))
        if kind == "month":
            # browsers without a month picker show a text box: it says what to type
            out += [("placeholder", "YYYY-MM"), ("data-format", "month"),
                    ("inputmode", "numeric"), ("autocomplete", "off")]
        if spec.get("after"):
            out.append(("data-after", str(spec["after"])))
    return out


def _as_posted(value: Any) -> str:
    """How a value of ``required_if.equals`` reads in a form (booleans as the gate sees them)."""
    if value is True:
        return "True"
    if value is False:
        return "False"
    return str(value)


def render_attrs(pairs: list[tuple[str, str]]) -> SafeString:
    return format_html_join("", ' {}="{}"', pairs)


def _shown(spec: Mapping[str, Any] | None, value: Any) -> str:
    """A value of a field as the form shows it (a choice's label, 是/否)."""
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    for choice in (spec or {}).get("choices", []):
        if str(choice["value"]) == str(value):
            return str(choice["label"])
    return str(value)


def describe(row: dict[str, Any], spec: Mapping[str, Any], action: Mapping[str, Any],
             case_id: int | None) -> None:
    """What the template says about a field beyond its input: when it is required
    (``required_if``), how many items or rows it takes, where a table's Excel template is."""
    cond = spec.get("required_if")
    row["wrap_attrs"] = SafeString("")
    row["required_when"] = ""
    if cond:
        other = next((f for f in action["fields"] if f["name"] == cond["field"]), None)
        row["wrap_attrs"] = render_attrs([("data-required-if", str(cond["field"])),
                                          ("data-required-equals", _as_posted(cond["equals"]))])
        row["required_when"] = _("当“%(label)s”为“%(value)s”时必填") % {
            "label": other["label"] if other else cond["field"],
            "value": _shown(other, cond["equals"])}
    kind = spec["type"]
    if kind == "multichoice":
        low, high = spec.get("min_items") or 0, spec.get("max_items") or 0
        row["items_text"] = "" if (low <= 1 and high >= len(spec.get("choices", []))) else (
            _("请选 %(low)s 至 %(high)s 项") % {"low": low, "high": high} if low != high
            else _("请选 %(n)s 项") % {"n": low})
    elif kind == "table":
        low, high = spec.get("min_rows") or 0, spec.get("max_rows") or 0
        row["rows_text"] = _("至少 %(low)s 行,至多 %(high)s 行。") % {"low": low, "high": high} \
            if low else _("至多 %(high)s 行。") % {"high": high}
        if case_id is not None:
            args = [case_id, action["code"], spec["name"]]
            row["template_url"] = reverse("workflows:table_template", args=args)
            row["import_url"] = reverse("workflows:table_import", args=args)
    elif kind == "file":
        row["camera"] = takes_photo(spec)
    elif kind == "ref":
        row["searchable"] = bool(spec.get("choices_url")) or len(spec.get("choices", [])) > 6


# --- tables ---------------------------------------------------------------------------------


def read_table(spec: Mapping[str, Any], key: str, post: QueryDict) -> list[dict[str, Any]]:
    """The rows of a table as posted: in the order shown, blank rows left out.

    Each row's key comes from the hidden inputs named ``key`` (one per row, in document
    order: moving a row moves its key); its cells are ``<key>.<row key>.<column>``.
    A boolean cell is True when its box was ticked; other cells are the text typed.
    """
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row_key in post.getlist(key)[:MAX_POSTED_ROWS]:
        if row_key in seen or row_key == BLANK_KEY:
            continue
        seen.add(row_key)
        row: dict[str, Any] = {}
        for column in spec.get("columns", []):
            cell = f"{key}.{row_key}.{column['name']}"
            if column["type"] == "boolean":
                row[column["name"]] = cell in post
            else:
                row[column["name"]] = post.get(cell, "")
        if any(v is True or (isinstance(v, str) and v.strip()) for v in row.values()):
            rows.append(row)
    return rows


def table_data(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as the gate takes them: a blank cell is left out (the gate says if needed)."""
    return [{k: v for k, v in row.items() if not (isinstance(v, str) and not v.strip())}
            for row in rows]


def _in_cell(spec: Mapping[str, Any], texts: list[str], number: int) -> str:
    """A cell's errors without the table and row they repeat (the cell shows both)."""
    prefix = _("“%(label)s”第%(row)s行:%(detail)s") % {
        "label": spec["label"], "row": number, "detail": ""}
    return " ".join(t[len(prefix):] if t.startswith(prefix) else t for t in texts)


def _cells(spec: Mapping[str, Any], base_id: str, base_input: str, row_key: str,
           values: Mapping[str, Any], errors: Mapping[str, list[str]], path: str
           ) -> list[dict[str, Any]]:
    cells = []
    number = int(row_key) + 1 if row_key.isdigit() else 0
    for column in spec.get("columns", []):
        name = column["name"]
        value = values.get(name, "")
        cells.append({
            **column,
            "id": f"{base_id}-{row_key}-{name}",
            "input": f"{base_input}.{row_key}.{name}",
            "value": bool(value) if column["type"] == "boolean" else (value or ""),
            "attrs": render_attrs(input_attrs(column)),
            "error": _in_cell(spec, errors.get(f"{path}.{name}", []), number),
            "required_equals": _as_posted(column["required_if"]["equals"])
            if column.get("required_if") else "",
        })
    return cells


def table_widget(row: dict[str, Any], spec: Mapping[str, Any], typed: Any,
                 errors: Mapping[str, list[str]]) -> None:
    """Fill ``row`` (a widget of ``widget_fields``) with the row editor's rows and cells."""
    name = spec["name"]
    given = [r for r in typed if isinstance(r, Mapping)] if isinstance(typed, list) else []
    count = max(len(given), int(spec.get("min_rows") or 0), 1)
    rows = []
    for i in range(count):
        values = given[i] if i < len(given) else {}
        key = str(i)
        path = f"{name}[{i}]"
        rows.append({"key": key, "number": i + 1,
                     "error": " ".join(errors.get(path, [])),
                     "cells": _cells(spec, row["id"], row["input"], key, values, errors, path)})
    row["rows"] = rows
    row["blank"] = {"key": BLANK_KEY, "number": "", "error": "",
                    "cells": _cells(spec, row["id"], row["input"], BLANK_KEY, {}, {}, "")}
    row["value"] = given
    row["columns"] = [{**c, "attrs": render_attrs(input_attrs(c))} for c in spec["columns"]]


# --- errors ---------------------------------------------------------------------------------


def error_map(error: RuleError | None) -> dict[str, list[str]]:
    """Every refusal of a submission by the field it names (``""`` for none); a table cell
    is ``table[i].column``, a row ``table[i]``."""
    out: dict[str, list[str]] = {}
    if error is None:
        return out
    for err in getattr(error, "errors", None) or [error]:
        out.setdefault(err.field or "", []).append(err.detail)
    return out


def owner(path: str, names: list[str]) -> str | None:
    """The field of the action that an error's field path belongs to."""
    for name in names:
        if path == name or path.startswith((f"{name}[", f"{name}.")):
            return name
    return None


def summary(widgets: list[dict[str, Any]], errors: Mapping[str, list[str]]
            ) -> list[dict[str, str]]:
    """The errors of a submission in the order of the form, each with the anchor of the
    input it is about (the cell of a table), for the list at the top of the form."""
    names = [w["name"] for w in widgets]
    by_name = {w["name"]: w for w in widgets}
    out: list[dict[str, str]] = []
    placed: set[str] = set()
    for w in widgets:
        for path, texts in errors.items():
            if owner(path, names) != w["name"]:
                continue
            placed.add(path)
            href = f"field-{w['id']}"
            if w["type"] == "table" and path != w["name"]:
                index, _sep, column = path[len(w["name"]) + 1:].partition("].")
                row_key = index.rstrip("]")
                href = f"{w['id']}-{row_key}-{column.lstrip('.')}" if column else \
                    f"{w['id']}-row-{row_key}"
            out += [{"text": text, "href": f"#{href}"} for text in texts]
    for path, texts in errors.items():
        if path not in placed and path not in by_name:
            out += [{"text": text, "href": ""} for text in texts]
    return out


def field_errors(spec: Mapping[str, Any], errors: Mapping[str, list[str]]) -> list[str]:
    """The errors shown next to a field: its own, and for a table those of a whole row
    (a cell's error is shown in its cell)."""
    name = spec["name"]
    own = list(errors.get(name, []))
    for path, texts in errors.items():
        if path == name or not path.startswith((f"{name}[", f"{name}.")):
            continue
        if spec["type"] != "table":
            own += texts
    return own


# --- files ----------------------------------------------------------------------------------


PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
CAMERA_ALSO = frozenset({"application/pdf"})  # a scan may stand in for the photo on a desk


def takes_photo(spec: Mapping[str, Any]) -> bool:
    """Whether a file field asks for a photo (the posting of a notice, a scene, a repair):
    it takes pictures and nothing but pictures (or a PDF scan of one). Its input then asks a
    phone for the camera (``accept="image/*" capture="environment"``); a document field,
    which also takes Word or Excel files, keeps the file chooser."""
    accept = set(spec.get("accept") or ())
    return bool(accept & PHOTO_TYPES) and accept <= PHOTO_TYPES | CAMERA_ALSO


def accept_text(accept: list[str]) -> str:
    return listed(str(ALLOWED_TYPES.get(m, m)) for m in accept)


def bytes_text(size: int) -> str:
    if size >= 1024 * 1024:
        mb = size / 1024 / 1024
        return f"{mb:.0f} MB" if mb == int(mb) else f"{mb:.1f} MB"
    return f"{size / 1024:.0f} KB"


# --- the words of the page's script ---------------------------------------------------------


def script_texts() -> dict[str, str]:
    """What ``static/js/fields.js`` may say, in the page's language ({n}, {min}, {max}, {label}
    and {text} are filled in by the script)."""
    return {
        "id_number": _("不是有效的18位居民身份证号码(出生日期或校验位不正确)。"),
        "id_number_length": _("居民身份证号码应为18位(现为{n}位)。"),
        "mobile": _("应为11位手机号码。"),
        "uscc": _("不是有效的统一社会信用代码(18位,校验位须正确)。"),
        "month": _("应为年月,如 2026-11。"),
        "pattern": _("格式不正确。"),
        "counter": _("{n}/{max} 字"),
        "too_long": _("不能超过{max}个字(现为{n}个)。"),
        "range": _("应在{min}到{max}之间。"),
        "not_before": _("不能早于{min}。"),
        "not_after": _("不能晚于{max}。"),
        "after": _("不能早于“{label}”。"),
        "items": _("应选{min}到{max}项(现为{n}项)。"),
        "file_too_large": _("文件过大:{text},最大 {max}。"),
        "file_type": _("此文件类型可能不被接受:{text}。"),
        "not_needed": _("无需填写"),
        "rows": _("共 {n} 行"),
        "row_limit": _("最多 {max} 行,多出的行未填入。"),
        "pasted": _("已粘贴 {n} 行,请核对。"),
        "unknown_choice": _("“{text}”不是可选的值。"),
        "bad_date": _("无法识别的日期:“{text}”。"),
        "importing": _("正在读取 Excel 文件……"),
        "imported": _("已从 {text} 导入 {n} 行(替换了表格原有内容),请核对后再提交。"),
        "import_problems": _("其中 {n} 处需要修改,已在表格中标出。"),
        "import_failed": _("导入失败:{text}"),
        "found": _("找到 {n} 项"),
        "none_found": _("没有符合的项"),
        "loading": _("正在查找……"),
        "move_up": _("上移第{n}行"),
        "move_down": _("下移第{n}行"),
        "remove": _("删除第{n}行"),
    }
