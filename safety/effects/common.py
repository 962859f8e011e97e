"""Helpers of the safety effects: the register row a case owns, names, and the numbers in
force for the periodic checks (an effect reads its own with ``ctx.param``).

Dates are checked by the fields' bounds (``max=TODAY``, ``after=``) and, against other
records, by ``core.dates``: one set of rules and codes for the whole portal.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from core.errors import RuleError
from core.models import Region
from workflows import params as tenant_params
from workflows.registry import registry
from workflows.spec import Param

M = TypeVar("M", bound=Model)


def locked(rows: QuerySet[M], what: str) -> M:
    """The register row of a case, locked for the action (``not_registered`` when the
    case has none: the step that writes it has not been done)."""
    row = rows.select_for_update().first()
    if row is None:
        raise RuleError("not_registered", _("该%(what)s尚未登记。") % {"what": what})
    return row


def name_of(user: Any) -> str:
    return str(user.get_full_name()) if user is not None else ""


class InForce:
    """One number of a procedure as in force village by village, for a periodic check that
    reads it row after row (one query per village, the newest version's default)."""

    def __init__(self, code: str, param: Param) -> None:
        self.spec = registry.get(code)
        self.param = param
        self.values: dict[int, int] = {}

    def __call__(self, region: Region) -> int:
        if region.pk not in self.values:
            value = (tenant_params.effective(self.spec, self.param, region)
                     if self.spec is not None else self.param.value)
            self.values[region.pk] = int(value)
        return self.values[region.pk]
