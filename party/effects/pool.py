"""01.1 入党积极分子队伍状况年度分析: the township party committee records its yearly analysis.

Not a case (a case belongs to a village): the township's own register, written here after
the rules are checked (the committee of that township, once a year, a year begun), with the
pool's figures of the day from ``party.pool``."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, RuleError
from core.models import Region, User
from core.roles import Level, Role
from core.scope import get_scope
from party.models import PoolAnalysis
from party.pool import pool_summary


def may_record_analysis(user: User, township: Region) -> bool:
    """The township party committee of that township (its organisation officer acts)."""
    return township.level == Level.TOWNSHIP and get_scope(user).holds(Role.TOWNSHIP_PARTY,
                                                                      township)


def record_pool_analysis(*, actor: User, township: Region, year: int, findings: str,
                         measures: str) -> PoolAnalysis:
    """The year's analysis, once; refused (nothing written) when a rule is broken."""
    if not may_record_analysis(actor, township):
        raise NotAllowed(_("只有本镇(街道)党(工)委可以登记入党积极分子队伍状况分析。"))
    today = timezone.localdate()
    if year != today.year and year != today.year - 1:
        raise RuleError("invalid_year", _("只能登记%(n)s或%(year)s年度的分析。")
                                        % {"n": today.year - 1, "year": today.year},
                        field="year")
    findings, measures = findings.strip(), measures.strip()
    if not findings:
        raise RuleError("missing_field", _("请填写队伍状况分析。"), field="findings")
    if not measures:
        raise RuleError("missing_field", _("请填写针对存在问题的改进措施。"), field="measures")
    summary = pool_summary(township, year, today=today)
    try:
        with transaction.atomic():
            return PoolAnalysis.objects.create(
                township=township, year=year, analysed_on=today,
                activists=sum(s.activists for s in summary),
                overdue=sum(s.overdue for s in summary), findings=findings[:10000],
                measures=measures[:10000],
                recorded_by=actor.get_full_name() or actor.get_username())
    except IntegrityError:
        raise RuleError("analysis_exists", _("%(township)s%(year)s年度的分析已经登记。")
                                           % {"township": township.name, "year": year},
                        field="year") from None
