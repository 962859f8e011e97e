"""Long rows for any register, made from its column headings (for the rendering tests).

A register declares its columns as (key, heading) only; what a column holds is read from its
heading the way a cadre reads it: 日期 / 时间 are dates, 人数 / 次数 / 金额 numbers, 姓名 / 人
names, 状态 / 类别 short words; every other column is free text and gets a long Chinese
paragraph, different in every row, so that a register's widest possible rows are printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

LONG = ("村东头柴草堆起火后火势蔓延至相邻两户村民的柴房,村民小组长组织群众用水桶和灭火器扑救,"
        "同时拨打119报警并向镇(街道)报告,消防队到场后明火扑灭,清点人数无人员伤亡,"
        "事后逐户排查电线私拉乱接和柴草乱堆问题,限期整改并在村务公开栏公示处理结果")
DATETIME_WORDS = ("时间",)
DATE_WORDS = ("日期", "日", "期满", "时限", "期限")
NUMBER_WORDS = ("人数", "次数", "(次)", "份数", "户数", "金额", "(元)", "(亩)", "(月)",
                "序号", "编号", "年度", "应到", "实到", "天数", "事件数", "积极分子", "本年",
                "合计")
NAME_WORDS = ("姓名", "人", "员", "联系方式", "身份证")
SHORT_WORDS = ("状态", "类别", "类型", "等次", "等级", "性质", "来源", "形式", "阶段", "迟报",
               "月份", "途径", "版本号", "文号", "党费证", "全绿", "评价")


def kind_of(heading: str) -> str:
    """How a column's heading reads: datetime, date, number, name, short or text."""
    if heading.endswith(DATETIME_WORDS):
        return "datetime"
    if heading.endswith(DATE_WORDS):
        return "date"
    if any(word in heading for word in NUMBER_WORDS):
        return "number"
    if any(word in heading for word in SHORT_WORDS):
        return "short"
    if any(word in heading for word in NAME_WORDS):
        return "name"
    return "text"


def value(kind: str, row: int, col: int) -> Any:
    start = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 30))
    if kind == "datetime":
        return start + dt.timedelta(days=row, minutes=7 * col)
    if kind == "date":
        return (start + dt.timedelta(days=row)).date()
    if kind == "number":
        return row * 3 + col
    if kind == "short":
        return ("已办结", "是", "一般", "处置中")[(row + col) % 4]
    if kind == "name":
        return ("陶学军", "丁金凤", "欧阳建国", "李秀英")[(row + col) % 4]
    # a row mark first (found again on its page), then a paragraph of a length of its own
    return f"第{row}条{col}列:" + LONG[: 60 + (row * 17 + col * 29) % (len(LONG) - 60)]


def long_rows(columns: Sequence[tuple[str, str]], n: int) -> list[list[Any]]:
    kinds = [kind_of(str(heading)) for _, heading in columns]
    if "text" not in kinds:  # a register of short columns: its widest one reads long
        kinds[max(range(len(kinds)), key=lambda i: kinds[i] in ("name", "short"))] = "text"
    return [[value(kind, row, col) for col, kind in enumerate(kinds)] for row in range(1, n + 1)]


def row_mark(row: Sequence[Any]) -> str:
    """The text that only this row prints: the start of its first free-text cell."""
    for cell in row:
        if isinstance(cell, str) and cell.startswith("第") and "列:" in cell:
            return cell.split(":", 1)[0] + ":"
    raise AssertionError(f"a sample row without a free-text cell: {row!r}")
