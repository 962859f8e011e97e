"""Resident ID numbers (GB 11643): checking, and masking wherever the public sees them.

Shared by every app that keeps people by ID number (party, personnel, subsidies).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

ID_LENGTH = 18


def check_digit(first17: str) -> str:
    """The check character of the 17 digits ``first17`` (python-stdnum's)."""
    return ric.calc_check_digit(first17 + "0")


def id_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 18-character ID number (GB 11643), in the active
    language (part of a refusal's detail, so built when it is raised); None when
    valid. The birth date and check character are python-stdnum's; the area code is not
    looked up (stdnum's county table refuses codes renamed since, and a person keeps the
    number first issued)."""
    if len(number) != ID_LENGTH:
        return gettext("应为%(length)s位(现为%(n)s位)") % {"length": ID_LENGTH, "n": len(number)}
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return gettext("只能由数字和末位X组成")
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return gettext("出生日期不正确")
    if check_digit(number[:17]) != number[17]:
        return gettext("校验位不正确")
    return None


def valid_id_number(number: str) -> bool:
    return id_problem(number) is None


def mask_id(number: str) -> str:
    """Keep the first 6 and the last 4 characters: 330299********1234."""
    if len(number) <= 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# in running text: an 18-digit resident ID (last character may be X), kept as its first 6
# and last 4; an 11-digit mainland mobile, kept as its first 3 and last 4
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_personal(text: str | None) -> str:
    """Mask ID numbers (110101********1234) and mobiles (138****5678) in public text (the
    public board and the notices it serves)."""
    if not text:
        return ""
    text = _ID_IN_TEXT.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(2)}", str(text))
    return _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
