"""01.1 入党积极分子队伍分析: the township's yearly look at the activists of its villages.

The model text asks the township party committee to analyse the activist pool every
year. ``activist_pool`` lists each activist of the township's villages with the dates
the rules hang on and what the analysis finds (reports overdue, contacts missing,
training period complete); ``pool_summary`` counts them per village for one year.
Both feed township-level registers exported as PDF and Excel through /api/registers/,
and a per-village activist register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet

from core import dates
from core.models import Region
from core.roles import Level
from party.choices import MemberStatus, TrainingKind
from party.effects.common import months_after
from party.models import PartyMember, TrainingRecord
from party.rules import ACTIVIST_PERIOD, ASSESS_EVERY, RECRUITMENT_CODE, REPORT_EVERY
from workflows import params as tenant_params
from workflows.registry import registry


def villages_of(township: Region) -> QuerySet[Region]:
    return Region.objects.filter(path__startswith=township.path,
                                 level=Level.VILLAGE).order_by("path")


@dataclass
class PoolLine:
    village: Region
    member: PartyMember
    months_in_pool: int
    reports_this_year: int
    last_report: dt.date | None
    contact_reports_this_year: int
    last_assessment: dt.date | None
    eligible_on: dt.date
    findings: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not any(f.startswith("培养期未满") for f in self.findings)


def _whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _intervals(village: Region) -> tuple[int, int, int]:
    """How often reports and assessments are due, and the training period, at ``village``."""
    spec = registry.get(RECRUITMENT_CODE)
    values = tenant_params.effective_all(spec, village) if spec else {}
    report, assess, period = (int(values.get(p.name, p.value))
                              for p in (REPORT_EVERY, ASSESS_EVERY, ACTIVIST_PERIOD))
    return report, assess, period


def activist_pool(township: Region, *, today: dt.date | None = None) -> list[PoolLine]:
    """Every activist of the township's villages, with the yearly analysis's findings."""
    today = today or dates.today()
    year_start = dt.date(today.year, 1, 1)
    lines: list[PoolLine] = []
    intervals: dict[int, tuple[int, int, int]] = {}
    members = (PartyMember.objects.filter(region__in=villages_of(township),
                                          status=MemberStatus.ACTIVIST,
                                          activist_date__isnull=False)
               .select_related("region", "contact_1", "contact_2")
               .order_by("region__path", "activist_date", "name"))
    for member in members.iterator(500):
        assert member.activist_date is not None
        village = member.region
        if village.pk not in intervals:
            intervals[village.pk] = _intervals(village)
        report_every, assess_every, period = intervals[village.pk]
        records = TrainingRecord.objects.filter(member=member)
        last = dict(records.values_list("kind").annotate(last=Max("on")))
        this_year = records.filter(on__gte=year_start, on__lte=today)
        line = PoolLine(
            village=village, member=member,
            months_in_pool=_whole_months(member.activist_date, today),
            reports_this_year=this_year.filter(kind=TrainingKind.ACTIVIST_REPORT).count(),
            last_report=last.get(TrainingKind.ACTIVIST_REPORT),
            contact_reports_this_year=this_year.filter(
                kind=TrainingKind.CONTACT_REPORT).count(),
            last_assessment=last.get(TrainingKind.BRANCH_ASSESSMENT),
            eligible_on=months_after(member.activist_date, period),
        )
        since = line.last_report or member.activist_date
        if months_after(since, report_every) < today:
            line.findings.append(f"思想汇报逾期(自{since:%Y-%m-%d}起超过{report_every}个月)")
        contacts = [c for c in (member.contact_1, member.contact_2) if c is not None]
        if len(contacts) < 2:
            line.findings.append("培养联系人不足两名")
        for contact in contacts:
            last_by = (records.filter(kind=TrainingKind.CONTACT_REPORT, reporter=contact.name)
                       .aggregate(m=Max("on"))["m"]) or member.activist_date
            if months_after(last_by, report_every) < today:
                line.findings.append(f"联系人{contact.name}报告逾期")
        assessed = line.last_assessment or member.activist_date
        if months_after(assessed, assess_every) < today:
            line.findings.append(f"支部考察逾期(自{assessed:%Y-%m-%d}起超过{assess_every}个月)")
        if line.eligible_on <= today:
            line.findings.append("已满培养期,可研究列为发展对象")
        else:
            line.findings.append(f"培养期未满(满期日{line.eligible_on:%Y-%m-%d})")
        lines.append(line)
    return lines


@dataclass(frozen=True)
class PoolSummary:
    village: Region
    activists: int        # in the pool today
    new_this_year: int    # made activists this year
    targets_this_year: int  # made development targets this year
    eligible: int         # training period complete
    overdue: int          # with a report or assessment overdue


def pool_summary(township: Region, year: int, *,
                 today: dt.date | None = None) -> list[PoolSummary]:
    """Per village of the township: the pool's size and movement in ``year``."""
    today = today or dates.today()
    by_village: dict[int, list[PoolLine]] = {}
    for line in activist_pool(township, today=today):
        by_village.setdefault(line.village.pk, []).append(line)
    out = []
    for village in villages_of(township):
        lines = by_village.get(village.pk, [])
        people = PartyMember.objects.filter(region=village)
        out.append(PoolSummary(
            village=village, activists=len(lines),
            new_this_year=people.filter(activist_date__year=year).count(),
            targets_this_year=people.filter(target_date__year=year).count(),
            eligible=sum(1 for line in lines if line.eligible),
            overdue=sum(1 for line in lines if any("逾期" in f for f in line.findings)),
        ))
    return out


# --- registers -------------------------------------------------------------------------------

POOL_COLUMNS = (
    ("village", "村(社区)"), ("name", "姓名"), ("applied", "申请入党日期"),
    ("activist", "确定为积极分子日期"), ("months", "培养时间(月)"), ("contacts", "培养联系人"),
    ("reports", "本年思想汇报(次)"), ("last_report", "最近思想汇报"),
    ("contact_reports", "本年联系人报告(次)"), ("assessed", "最近支部考察"),
    ("findings", "分析意见"),
)
SUMMARY_COLUMNS = (
    ("village", "村(社区)"), ("activists", "现有积极分子"), ("new", "本年新确定"),
    ("targets", "本年列为发展对象"), ("eligible", "已满培养期"), ("overdue", "汇报或考察逾期"),
)
ACTIVIST_COLUMNS = (
    ("name", "姓名"), ("id", "身份证号"), ("status", "状态"), ("applied", "申请入党日期"),
    ("activist", "确定为积极分子日期"), ("target", "确定为发展对象日期"),
    ("contacts", "培养联系人"), ("eligible_on", "培养期满日期"),
)


def _contacts(member: PartyMember) -> str:
    return "、".join(c.name for c in (member.contact_1, member.contact_2) if c is not None)


def pool_rows(township: Region) -> Iterable[Sequence[Any]]:
    for line in activist_pool(township):
        m = line.member
        yield (line.village.name, m.name, m.application_date or "", m.activist_date,
               line.months_in_pool, _contacts(m), line.reports_this_year,
               line.last_report or "", line.contact_reports_this_year,
               line.last_assessment or "", ";".join(line.findings))


def summary_rows(township: Region) -> Iterable[Sequence[Any]]:
    year = dates.today().year
    for s in pool_summary(township, year):
        yield (s.village.name, s.activists, s.new_this_year, s.targets_this_year, s.eligible,
               s.overdue)


def activist_rows(village: Region) -> Iterable[Sequence[Any]]:
    """Everyone of the village who is or was an activist, with the dates the rules hang on."""
    _report, _assess, period = _intervals(village)
    qs = (PartyMember.objects.filter(region=village, activist_date__isnull=False)
          .select_related("contact_1", "contact_2").order_by("activist_date", "name"))
    for m in qs.iterator(500):
        assert m.activist_date is not None
        yield (m.name, m.masked_id, m.get_status_display(), m.application_date or "",
               m.activist_date, m.target_date or "", _contacts(m),
               months_after(m.activist_date, period))
