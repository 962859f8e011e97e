"""Helpers shared by the party effects: register look-ups, months, ID numbers, text lines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from core import dates
from core.errors import RuleError
from core.idcard import valid_id_number
from core.models import Region
from party.choices import ACTIVE_MEMBER_STATUSES, MemberStatus
from party.models import PartyMember
from workflows import calendar as cal
from workflows.effects import EffectContext

PERIOD = re.compile(r"(\d{4})-(\d{2})")


def clean_id_number(raw: Any, field: str = "id_number") -> str:
    number = str(raw or "").strip().upper()
    if not valid_id_number(number):
        raise RuleError("invalid_id_number", "身份证号码不正确(应为18位,校验位须正确)。",
                        field=field)
    return number


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (the engine's calendar)."""
    return timezone.localtime(cal.add_months(dates.start_of(day), months)).date()


def past_month(raw: object, *, field: str, label: str) -> str:
    """A month written ``YYYY-MM`` that has begun (``invalid_date``, ``future_date``)."""
    text = str(raw or "").strip()
    match = PERIOD.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RuleError(dates.INVALID_DATE, f"“{label}”应写作“2026-11”。", field=field)
    today = dates.today()
    if (int(match.group(1)), int(match.group(2))) > (today.year, today.month):
        raise RuleError(dates.FUTURE_DATE, f"“{label}”不能晚于本月。", field=field)
    return text


def actor_name(ctx: EffectContext) -> str:
    return ctx.actor.get_full_name() or ctx.actor.get_username()


def find_member(region: Region, raw: Any, *, field: str,
                statuses: Iterable[str] = ACTIVE_MEMBER_STATUSES,
                what: str = "党员") -> PartyMember:
    """The member of this village's register named ``raw`` ("姓名", or "姓名/身份证后4位")."""
    text = str(raw or "").strip()
    name, _, tail = text.partition("/")
    qs = PartyMember.objects.filter(region=region, name=name.strip(),
                                    status__in=[str(s) for s in statuses])
    if tail.strip():
        qs = qs.filter(id_number__endswith=tail.strip().upper())
    found = list(qs[:2])
    if not found:
        raise RuleError("member_not_found",
                        f"本村(社区)党员名册中没有符合条件的{what}“{text}”。", field=field)
    if len(found) > 1:
        raise RuleError("member_ambiguous",
                        f"名册中有同名的“{name}”,请写作“姓名/身份证号后4位”。", field=field)
    return found[0]


def full_members_named(ctx: EffectContext, fields: tuple[str, str], role: str,
                       exclude: PartyMember | None = None) -> tuple[PartyMember, PartyMember]:
    """Two distinct full members of the register (contacts or introducers)."""
    first = find_member(ctx.case.region, ctx.data.get(fields[0]), field=fields[0],
                        statuses=(MemberStatus.FULL,), what=f"正式党员({role})")
    second = find_member(ctx.case.region, ctx.data.get(fields[1]), field=fields[1],
                         statuses=(MemberStatus.FULL,), what=f"正式党员({role})")
    if first.pk == second.pk:
        raise RuleError("same_person", f"两名{role}须是两个不同的正式党员。", field=fields[1])
    if exclude is not None and exclude.pk in (first.pk, second.pk):
        raise RuleError("same_person", f"{role}不能是本人。", field=fields[0])
    return first, second


def lines(text: Any) -> list[str]:
    return [ln.strip() for ln in str(text or "").splitlines() if ln.strip()]


def split_line(line: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,,|]", line)]
