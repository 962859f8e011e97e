"""Per-tenant numbers: a district or township may make a rule stricter, never weaker.

The effective value of a parameter for a case is the strictest of the spec's
default and every setting on the path from the district down to the case's
village (settings are inherited down the tree).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import Region
from core.scope import get_scope
from workflows import texts
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
        raise ValidationError(_("“%(raw)s”不是有效的取值。")
                               % {"raw": raw}) from None
    return value


def _stricter(param: Param, a: int | Fraction, b: int | Fraction) -> int | Fraction:
    # A limit (a deadline, a report within N hours, an alert after N repetitions) is
    # stricter when smaller; a window, quorum, pass line or minimum period when larger.
    return min(a, b) if param.lower_is_stricter else max(a, b)


def validate(param: Param, value: int | Fraction) -> None:
    if value < param.floor:
        raise ValidationError(
            _("%(param)s不得低于%(bound)s(法定或示范文本规定的下限)。")
            % {"param": texts.translate(param.label), "bound": param.describe(param.floor)})
    if param.ceiling is not None and value > param.ceiling:
        raise ValidationError(_("%(param)s不得超过%(bound)s。")
                              % {"param": texts.translate(param.label),
                                 "bound": param.describe(param.ceiling)})


def effective(spec: ProcedureSpec, param: Param, region: Region) -> int | Fraction:
    """The value in force at ``region`` (a village), settings of its ancestors applied."""
    return _strictest(param, param.value, TenantSetting.objects.filter(
        procedure=spec.code, param=param.name, region_id__in=region.ancestor_ids
    ).values_list("value", flat=True))


def _strictest(param: Param, value: int | Fraction, raws: Iterable[str]) -> int | Fraction:
    """``value`` made stricter by each stored setting; an invalid stored row never weakens
    a rule (it is skipped)."""
    for raw in raws:
        try:
            candidate = parse_value(param, raw)
            validate(param, candidate)
        except ValidationError:
            continue
        value = _stricter(param, value, candidate)
    return value


def effective_all(spec: ProcedureSpec, region: Region,
                  rows: list[tuple[str, str, str]] | None = None) -> dict[str, int | Fraction]:
    """All parameters of a procedure at a region, with one query (none when ``rows``, the
    settings of the region's ancestors as (procedure, param, value), are given)."""
    params = spec.all_params()
    values: dict[str, int | Fraction] = {name: p.value for name, p in params.items()}
    if rows is None:
        rows = settings_over(region)
    for procedure, name, raw in rows:
        param = params.get(name)
        if param is not None and procedure == spec.code:
            values[name] = _strictest(param, values[name], (raw,))
    return values


def settings_over(region: Region) -> list[tuple[str, str, str]]:
    """Every setting of ``region`` and its ancestors, as (procedure, param, value)."""
    return list(TenantSetting.objects.filter(region_id__in=region.ancestor_ids)
                .values_list("procedure", "param", "value"))


def home_values(spec: ProcedureSpec, user: Any) -> dict[str, int | Fraction]:
    """The numbers in force where ``user`` works (the region of their roles, when it is
    one), so that the catalogue and the API state the numbers the user's cases follow;
    the spec's defaults for a user of several places or none."""
    scope = get_scope(user)
    if "home_settings" not in scope.memo:
        region_ids = {h.region_id for h in scope.held}
        region = (Region.objects.filter(pk=next(iter(region_ids))).first()
                  if len(region_ids) == 1 else None)
        scope.memo["home_settings"] = (region, settings_over(region) if region else [])
    region, rows = scope.memo["home_settings"]
    if region is None:
        return {name: p.value for name, p in spec.all_params().items()}
    return effective_all(spec, region, rows)


def param_json(param: Param, value: int | Fraction | None = None) -> dict[str, Any]:
    """A number of a rule as the API and the procedure page show it: its value in force,
    its default and limits, which way is stricter, and its source."""
    def number(v: int | Fraction | None) -> int | str | None:
        if v is None:
            return None
        return str(Fraction(v)) if param.unit == Unit.RATIO else int(v)

    in_force = param.value if value is None else value
    return {
        "name": param.name,
        "label": param.label,
        "value": number(in_force),
        "text": param.describe(in_force),
        "default": number(param.value),
        "floor": number(param.floor),
        "ceiling": number(param.ceiling),
        "unit": str(param.unit),
        "stricter": "lower" if param.lower_is_stricter else "higher",
        "basis": param.source.as_json() if param.source else None,
    }


def inherited(spec: ProcedureSpec, param: Param, region: Region) -> int | Fraction:
    """The value in force at ``region`` from above: the default made stricter by the
    settings of its ancestors (not its own)."""
    return _strictest(param, param.value, TenantSetting.objects.filter(
        procedure=spec.code, param=param.name, region_id__in=region.ancestor_ids[:-1]
    ).values_list("value", flat=True))


def check_setting(spec: ProcedureSpec, param: Param, region: Region,
                  raw: str) -> int | Fraction:
    """The value a district or township may set, or a ValidationError that says why not:
    not a number, below the floor or above the ceiling, or looser than what is in force
    from above (a looser value would be saved and never applied)."""
    if region.level == "village":
        raise ValidationError(_("只有区或镇(街道)可以设置事项参数。"))
    value = parse_value(param, raw)
    validate(param, value)
    above = inherited(spec, param, region)
    if _stricter(param, value, above) != value:
        detail = (_("%(param)s在本单位现行为%(value)s(默认或上级规定),"
                    "本级只能设得更严(更短或更少)。") if param.lower_is_stricter else
                  _("%(param)s在本单位现行为%(value)s(默认或上级规定),"
                    "本级只能设得更严(更长或更多)。"))
        raise ValidationError(detail % {"param": texts.translate(param.label),
                                        "value": param.describe(above)})
    return value
