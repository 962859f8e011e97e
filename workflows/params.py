"""Per-tenant numbers: a district or township may make a rule stricter, never weaker.

The effective value of a parameter for a case is the strictest of the spec's
default and every setting on the path from the district down to the case's
village (settings are inherited down the tree).
"""

from __future__ import annotations

from fractions import Fraction

from django.core.exceptions import ValidationError

from core.models import Region
from workflows.models import TenantSetting
from workflows.spec import Param, ProcedureSpec, Unit


def parse_value(param: Param, raw: str) -> int | Fraction:
    text = raw.strip()
    try:
        if param.unit == Unit.RATIO:
            value: int | Fraction = Fraction(text)
        else:
            value = int(text)
    except (ValueError, ZeroDivisionError):
        raise ValidationError(f"“{raw}”不是有效的取值。") from None
    return value


def _stricter(param: Param, a: int | Fraction, b: int | Fraction) -> int | Fraction:
    # A deadline (has a ceiling, unit of time) is stricter when shorter;
    # a window, quorum or pass line when larger.
    if param.ceiling is not None and param.unit in (Unit.DAYS, Unit.MONTHS):
        return min(a, b)
    return max(a, b)


def validate(param: Param, value: int | Fraction) -> None:
    if value < param.floor:
        raise ValidationError(
            f"{param.label}不得低于{param.describe(param.floor)}(法定或示范文本规定的下限)。"
        )
    if param.ceiling is not None and value > param.ceiling:
        raise ValidationError(f"{param.label}不得超过{param.describe(param.ceiling)}。")


def effective(spec: ProcedureSpec, param: Param, region: Region) -> int | Fraction:
    """The value in force at ``region`` (a village), settings of its ancestors applied."""
    value = param.value
    rows = TenantSetting.objects.filter(
        procedure=spec.code, param=param.name, region_id__in=region.ancestor_ids
    ).values_list("value", flat=True)
    for raw in rows:
        try:
            candidate = parse_value(param, raw)
            validate(param, candidate)
        except ValidationError:
            continue  # an invalid stored row never weakens a rule
        value = _stricter(param, value, candidate)
    return value


def effective_all(spec: ProcedureSpec, region: Region) -> dict[str, int | Fraction]:
    """All parameters of a procedure at a region, with one query."""
    params = spec.all_params()
    values: dict[str, int | Fraction] = {name: p.value for name, p in params.items()}
    rows = TenantSetting.objects.filter(
        procedure=spec.code, region_id__in=region.ancestor_ids
    ).values_list("param", "value")
    for name, raw in rows:
        param = params.get(name)
        if param is None:
            continue
        try:
            candidate = parse_value(param, raw)
            validate(param, candidate)
        except ValidationError:
            continue
        values[name] = _stricter(param, values[name], candidate)
    return values
