"""Periodic checks (registered with the sweep): meetings not held, floating members not
followed. Each is idempotent: its notifications and alerts carry a key naming the period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import Region
from core.roles import Level, Role
from party.choices import FloatingState, MeetingKind, MemberStatus
from party.effects.common import months_after
from party.models import (
    BranchMeeting,
    DuesPayment,
    FloatingMember,
    MemberAppraisal,
    PartyMember,
    PoolAnalysis,
    ThemedPartyDay,
)
from party.models.members import MEMBERS
from party.rules import (
    APPRAISAL_CODE,
    APPRAISAL_REMIND,
    CONTACT_EVERY,
    DUES_ARREARS_ALERT,
    DUES_CODE,
    DUES_LAPSE,
    EVERY,
    FLOATING_CODE,
    LIFE_MEETING_CODE,
    LIFE_MEETING_REMIND,
    MEETINGS_CODE,
    POOL_ANALYSIS_REMIND,
    RECRUITMENT_CODE,
    THEMED_DAY_CODE,
    THEMED_DAY_EVERY,
)
from workflows import params as tenant_params
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.messages import Month, Quantity, Text, spec_text
from workflows.models import Case, Notification
from workflows.notify import send, users_holding
from workflows.registry import registry
from workflows.spec import Param, ProcedureSpec


def last_complete_period(today: dt.date, every: int) -> tuple[dt.date, dt.date]:
    """The last whole period of ``every`` months (calendar-aligned) that ended before today."""
    index = (today.year * 12 + today.month - 1) // every - 1
    first_month = index * every
    start = dt.date(first_month // 12, first_month % 12 + 1, 1)
    after = first_month + every
    end = dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def _period_label(start: dt.date, end: dt.date) -> Month | Text:
    if start.year == end.year and start.month == end.month:
        return Month.of(start)
    return Text(gettext_noop("{start}至{end}"), start=Month.of(start), end=Month.of(end))


def _effective(spec: ProcedureSpec | None, param: Param, region: Region) -> int:
    """The number in force at ``region`` (the spec's default when the spec is not loaded)."""
    return int(tenant_params.effective(spec, param, region) if spec else param.value)


def _tell(region: Region, message: str | Text, key: str) -> int:
    township = region.ancestor_ids[1]
    users = users_holding([Role.BRANCH_SECRETARY], region.pk) + users_holding(
        [Role.TOWNSHIP_PARTY], township)
    return len(send(users, None, message, key=key))


def check_branch_meetings(now: dt.datetime) -> int:
    """A branch that has not held a meeting of a kind in its last whole period is reminded,
    and its township party committee told. Counted from the branch's first recorded meeting
    (the portal cannot know what happened before a branch started keeping its records here)."""
    today = timezone.localdate(now)
    sent = 0
    meetings = registry.get(MEETINGS_CODE)
    firsts = dict(BranchMeeting.objects.order_by().values_list("region")
                  .annotate(first=Min("held_on")))
    for region in Region.objects.filter(pk__in=list(firsts)):
        values = tenant_params.effective_all(meetings, region) if meetings else {}
        for kind, param in EVERY.items():
            sent += _remind(region, firsts[region.pk], today,
                            int(values.get(param.name, param.value)),
                            str(MeetingKind(kind).label), f"party-meeting:{kind}",
                            BranchMeeting.objects.filter(region=region, kind=kind))
    themed_day = registry.get(THEMED_DAY_CODE)
    day_firsts = dict(ThemedPartyDay.objects.order_by().values_list("region")
                      .annotate(first=Min("held_on")))
    for region in Region.objects.filter(pk__in=list(day_firsts)):
        every = _effective(themed_day, THEMED_DAY_EVERY, region)
        sent += _remind(region, day_firsts[region.pk], today, every, gettext_noop("主题党日活动"),
                        "party-themed-day", ThemedPartyDay.objects.filter(region=region))
    return sent


def _remind(region: Region, first: dt.date, today: dt.date, every: int, label: str,
            key: str, rows: QuerySet[Any]) -> int:
    start, end = last_complete_period(today, every)
    if start < first.replace(day=1) or rows.filter(held_on__range=(start, end)).exists():
        return 0
    period = _period_label(start, end)
    message = Text(gettext_noop("【组织生活提醒】{place}党支部{period}未召开{meeting},请及时召开;"
                                "镇(街道)党(工)委请督促。"),
                   place=region.name, period=period, meeting=spec_text(label))
    return _tell(region, message, f"{key}:{region.pk}:{start:%Y-%m}")


def _life_meeting_years(region_ids: list[int], years: set[int]) -> set[tuple[int, int]]:
    """(village, year) of every 组织生活会 held (its meeting step done) for those years."""
    rows = (Case.objects.filter(procedure=LIFE_MEETING_CODE, region_id__in=region_ids,
                                data__has_key="meeting")
            .values_list("region_id", "data__topic__year"))
    return {(r, int(y)) for r, y in rows if isinstance(y, int) and y in years}


def _appraisal_years(region_ids: list[int], years: set[int]) -> set[tuple[int, int]]:
    """(village, year) of every 民主评议党员 whose grades were recorded (评议台账)."""
    return set(MemberAppraisal.objects.filter(region_id__in=region_ids, year__in=years)
               .order_by().values_list("region_id", "year").distinct())


def check_yearly_life(now: dt.datetime) -> int:
    """The yearly 组织生活会 (02.4) and 民主评议党员 (02.5), checked like 三会一课: a branch
    whose year has none is reminded, with its township party committee, from the remind days
    before the year ends (default December 1: the year can still be met); once the year has
    ended without it, an alert is raised and both are told. Once per branch and year. Counted
    from the branch's first recorded 三会一课 meeting, like ``check_branch_meetings``."""
    today = timezone.localdate(now)
    firsts = dict(BranchMeeting.objects.order_by().values_list("region")
                  .annotate(first=Min("held_on")))
    ids = list(firsts)
    years = {today.year, today.year - 1}
    held = {LIFE_MEETING_CODE: _life_meeting_years(ids, years),
            APPRAISAL_CODE: _appraisal_years(ids, years)}
    checks = ((LIFE_MEETING_CODE, LIFE_MEETING_REMIND, gettext_noop("组织生活会"),
               "party-life-meeting"),
              (APPRAISAL_CODE, APPRAISAL_REMIND, gettext_noop("民主评议党员"),
               "party-member-appraisal"))
    sent = 0
    for region in Region.objects.filter(pk__in=ids).order_by("path"):
        first = firsts[region.pk]
        for code, remind, label, key in checks:
            spec = registry.get(code)
            past = today.year - 1
            if first.year <= past and (region.pk, past) not in held[code]:
                message = Text(gettext_noop("{place}党支部{year}年度未开展{what},请及时补课并"
                                            "说明原因;镇(街道)党(工)委请督促整改。"),
                               place=region.name, year=past, what=spec_text(label))
                alert = raise_alert(kind=AlertKind.DOMAIN, region=region, message=message,
                                    key=f"{key}:{region.pk}:{past}")
                sent += int(alert is not None) + _tell(region, message,
                                                       f"{key}:missed:{region.pk}:{past}")
            days_left = _effective(spec, remind, region)
            from_day = dt.date(today.year, 12, 31) - dt.timedelta(days=days_left - 1)
            if today >= from_day and first <= today \
                    and (region.pk, today.year) not in held[code]:
                sent += _tell(region, Text(gettext_noop(
                    "【年度组织生活】{place}党支部{year}年度尚未开展{what},请在年底前开展;"
                    "镇(街道)党(工)委请督促。"), place=region.name, year=today.year,
                    what=spec_text(label)),
                              f"{key}:remind:{region.pk}:{today.year}")
    return sent


def check_pool_analysis(now: dt.datetime) -> int:
    """镇(街道)党(工)委每年对入党积极分子队伍状况作一次分析: a township with activists in its
    villages that has not recorded the year's analysis (``party.effects.pool``) is reminded
    from the remind days before the year ends (default December 1); once the year has ended
    without it (a year it was reminded in), an alert is raised and the district organisation
    department is told. Once per township and year."""
    today = timezone.localdate(now)
    spec = registry.get(RECRUITMENT_CODE)
    with_pool = set(PartyMember.objects.filter(status=MemberStatus.ACTIVIST)
                    .order_by().values_list("region__path", flat=True).distinct())
    done = set(PoolAnalysis.objects.filter(year__gte=today.year - 1)
               .values_list("township_id", "year"))
    sent = 0
    for township in Region.objects.filter(level=Level.TOWNSHIP).order_by("path"):
        if not any(path.startswith(township.path) for path in with_pool):
            continue
        committee = users_holding([Role.TOWNSHIP_PARTY], township.pk)
        past = today.year - 1
        # judged only for a year in which the portal reminded it (it cannot know of a year
        # before the township worked here)
        if (township.pk, past) not in done and Notification.objects.filter(
                dedupe_key__startswith=f"party-pool-analysis:remind:{township.pk}:{past}:"
        ).exists():
            message = Text(gettext_noop("{township}党(工)委{year}年度未对入党积极分子队伍状况"
                                        "作分析,请及时补做并登记;区委组织部请督促。"),
                           township=township.name, year=past)
            alert = raise_alert(kind=AlertKind.DOMAIN, region=township, message=message,
                                key=f"party-pool-analysis:{township.pk}:{past}")
            district = users_holding([Role.DISTRICT_ORG], township.ancestor_ids[0])
            sent += int(alert is not None) + len(send(
                committee + district, None, message,
                key=f"party-pool-analysis:missed:{township.pk}:{past}"))
        days_left = _effective(spec, POOL_ANALYSIS_REMIND, township)
        from_day = dt.date(today.year, 12, 31) - dt.timedelta(days=days_left - 1)
        if today >= from_day and (township.pk, today.year) not in done:
            sent += len(send(committee, None,
                             Text(gettext_noop("【年度分析提醒】{township}党(工)委{year}年度尚未"
                                               "对入党积极分子队伍状况作分析,请在年底前完成并登记。"),
                                  township=township.name, year=today.year),
                             key=f"party-pool-analysis:remind:{township.pk}:{today.year}"))
    return sent


def check_floating_contacts(now: dt.datetime) -> int:
    """Floating members with no contact for longer than the interval: alert and tell."""
    today = timezone.localdate(now)
    sent = 0
    floating = registry.get(FLOATING_CODE)
    rows = FloatingMember.objects.filter(state=FloatingState.OUT).select_related(
        "member", "region")
    for row in rows.iterator(500):
        every = _effective(floating, CONTACT_EVERY, row.region)
        last = row.last_contact_on or row.left_on
        limit = months_after(last, every)
        if today <= limit:
            continue
        quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
        message = Text(gettext_noop("{place}流动党员{name}自{last}以来超过{every}没有联系记录,"
                                    "请及时跟进了解情况。"),
                       place=row.region.name, name=row.member.name, last=last,
                       every=CONTACT_EVERY.amount(every))
        alert = raise_alert(kind=AlertKind.DOMAIN, region=row.region, case=row.case,
                            message=message, key=f"party-floating:{row.pk}:{quarter}")
        if alert is not None:
            sent += 1
        sent += _tell(row.region, message, f"party-floating:{row.pk}:{quarter}")
    return sent


def _month_index(period: str) -> int:
    """``"YYYY-MM"`` as a count of months (to subtract one month from another)."""
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def check_dues_arrears(now: dt.datetime) -> int:
    """A member with no dues recorded for the last ``dues_arrears_alert`` whole months: an
    alert, and the branch secretary told; for ``dues_lapse_months`` (党章第九条: 连续六个月
    不交纳党费 is 自行脱党), the township party committee too. Once per lapse (the key names
    the last month paid). Counted from the branch's first month in the ledger and, for a
    member admitted later, from the month of admission: the portal cannot know what was paid
    before a branch kept its ledger here."""
    today = timezone.localdate(now)
    last_complete = today.year * 12 + today.month - 2
    spec = registry.get(DUES_CODE)
    firsts = dict(DuesPayment.objects.order_by().values_list("region")
                  .annotate(first=Min("period")))
    lasts = dict(DuesPayment.objects.order_by().values_list("member")
                 .annotate(last=Max("period")))
    sent = 0
    limits: dict[int, tuple[int, int]] = {}
    regions = Region.objects.in_bulk(list(firsts))
    members = (PartyMember.objects.filter(region_id__in=list(firsts),
                                          status__in=[str(s) for s in MEMBERS])
               .order_by("region_id", "name"))
    for member in members.iterator(500):
        region = regions[member.region_id]
        start = _month_index(firsts[member.region_id])
        if member.admission_date is not None:
            start = max(start, member.admission_date.year * 12 + member.admission_date.month - 1)
        paid = lasts.get(member.pk)
        since = _month_index(paid) + 1 if paid else start
        unpaid = last_complete - since + 1
        if region.pk not in limits:
            limits[region.pk] = (_effective(spec, DUES_ARREARS_ALERT, region),
                                 _effective(spec, DUES_LAPSE, region))
        alert_at, lapse_at = limits[region.pk]
        if unpaid < alert_at:
            continue
        first_unpaid = _month_text(since)
        base = Text(gettext_noop("{place}党员{name}自{first}起连续{months}没有交纳党费的记录"),
                    place=region.name, name=member.name,
                    first=Month(since // 12, since % 12 + 1), months=Quantity(unpaid, "months"))
        key = f"party-dues:{member.pk}:{first_unpaid}"
        if unpaid >= lapse_at:
            message = Text(gettext_noop("{base},已满{lapse};依照党章,没有正当理由连续六个月"
                                        "不交纳党费的,按自行脱党处理,请镇(街道)党(工)委核实并"
                                        "督促党支部处置。"),
                           base=base, lapse=DUES_LAPSE.amount(lapse_at))
            alert = raise_alert(kind=AlertKind.DOMAIN, region=region, message=message,
                                key=f"{key}:lapse")
            sent += int(alert is not None) + _tell(region, message, f"{key}:lapse")
            continue
        message = Text(gettext_noop("{base},请党支部及时提醒督促交纳。"), base=base)
        alert = raise_alert(kind=AlertKind.DOMAIN, region=region, message=message,
                            key=f"{key}:arrears")
        sent += int(alert is not None) + len(send(
            users_holding([Role.BRANCH_SECRETARY], region.pk), None, message,
            key=f"{key}:arrears"))
    return sent


__all__ = ["check_branch_meetings", "check_dues_arrears", "check_floating_contacts",
           "check_pool_analysis", "check_yearly_life", "last_complete_period"]
