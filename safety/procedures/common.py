"""Texts shared by the safety procedures (taken from the model text)."""

from __future__ import annotations

from enum import Enum

from workflows.common import MEASURE_EDUCATION, MEASURE_SUPERVISORY, MEASURE_TOWNSHIP

CATEGORY = "平安建设"
SUPERVISOR = "村(居)务监督委员会"
SAFE_TRAINING = "加强对村(社区)干部的安全生产培训和廉政教育"

MEASURES_071 = (MEASURE_EDUCATION, MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)
MEASURES_072 = (MEASURE_EDUCATION, MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)
MEASURES_073 = ("加强社区矫正工作人员的廉政教育", MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)
MEASURES_08 = ("加强对村(社区)干部、网格员的廉政教育", MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)
MEASURES_09 = ("加强对村(社区)干部的普法教育和廉政教育", MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)
MEASURES_101 = ("加强村(社区)干部的应急处置能力建设和廉政教育", MEASURE_SUPERVISORY,
                MEASURE_TOWNSHIP)
MEASURES_102 = (SAFE_TRAINING, MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)
MEASURES_103 = (SAFE_TRAINING, MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)
# The extract of the model text breaks off after the second measure of 10(4).
MEASURES_104 = ("加强对村(社区)干部的安全培训和廉政教育", MEASURE_SUPERVISORY)

IMAGES = ("image/jpeg", "image/png")

# a phone number: an 11-digit mobile, or a fixed line with its area code
PHONE_PATTERN = r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?"
PHONE_HELP = "手机号码,或带区号的固定电话(如0571-87654321)"


def choices_of(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    """The (value, label) pairs of a TextChoices, for a choice field of a spec."""
    return tuple((c.value, str(c.label)) for c in enum)  # type: ignore[attr-defined]
