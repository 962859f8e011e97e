"""Resident ID numbers (GB 11643): checking, and masking wherever the public sees them.

Shared by every app that keeps people by ID number (party, personnel, subsidies).
"""

from __future__ import annotations

import datetime as dt
import re

ID_LENGTH = 18
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 18-character ID number, in Chinese; None when valid."""
    if len(number) != ID_LENGTH:
        return f"应为{ID_LENGTH}位(现为{len(number)}位)"
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "只能由数字和末位X组成"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "出生日期不正确"
    if check_digit(number[:17]) != number[17]:
        return "校验位不正确"
    return None


def valid_id_number(number: str) -> bool:
    return id_problem(number) is None


def mask_id(number: str) -> str:
    """Keep the first 6 and the last 4 characters: 330299********1234."""
    if len(number) <= 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
