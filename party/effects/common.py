"""Helpers shared by the party effects: the members a ``ref`` field names, months, names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import RuleError
from core.models import Region
from party.choices import ACTIVE_MEMBER_STATUSES, MemberStatus
from party.models import PartyMember
from workflows import calendar as cal
from workflows.effects import EffectContext


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (the engine's calendar)."""
    return timezone.localtime(cal.add_months(dates.start_of(day), months)).date()


def actor_name(ctx: EffectContext) -> str:
    return ctx.actor.get_full_name() or ctx.actor.get_username()


def ref_id(value: Any) -> int | None:
    """The entry id a ``ref`` value names (``{"id": "40", "name": …}`` as the engine cleans
    it), None for anything else."""
    raw = value.get("id") if isinstance(value, Mapping) else value
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isdigit() else None


def plain_name(label: Any) -> str:
    """A person's name without what a choice's label adds: 张三(正式党员,第一党小组) → 张三."""
    return str(label or "").split("(")[0].strip()


def member_named(region: Region, value: Any, *, field: str,
                 statuses: Iterable[str] = ACTIVE_MEMBER_STATUSES,
                 what: str | None = None) -> PartyMember:
    """The member of this village's register a ``ref="party_member"`` value names, with one
    of ``statuses`` now (the engine offered only those; the register may have changed since
    the form was drawn: ``member_not_found``). ``what`` names the member sought in the
    refusal, translated (党员 by default)."""
    pk = ref_id(value)
    member = (PartyMember.objects.filter(region=region, pk=pk,
                                         status__in=[str(s) for s in statuses]).first()
              if pk is not None else None)
    if member is None:
        name = plain_name(value.get("name") if isinstance(value, Mapping) else "")
        what = what or _("党员")
        detail = (_("本村(社区)党员名册中没有符合条件的%(what)s“%(name)s”。") if name else
                  _("本村(社区)党员名册中没有符合条件的%(what)s。"))
        raise RuleError("member_not_found", detail % {"what": what, "name": name}, field=field)
    return member


def full_members_named(ctx: EffectContext, fields: tuple[str, str], role: str,
                       exclude: PartyMember | None = None) -> tuple[PartyMember, PartyMember]:
    """Two distinct full members of the register (contacts or introducers)."""
    first = member_named(ctx.case.region, ctx.data.get(fields[0]), field=fields[0],
                         statuses=(MemberStatus.FULL,), what=_("正式党员(%(role)s)")
                                                             % {"role": role})
    second = member_named(ctx.case.region, ctx.data.get(fields[1]), field=fields[1],
                          statuses=(MemberStatus.FULL,), what=_("正式党员(%(role)s)")
                                                              % {"role": role})
    if first.pk == second.pk:
        raise RuleError("same_person", _("两名%(role)s须是两个不同的正式党员。")
                                       % {"role": role}, field=fields[1])
    if exclude is not None and exclude.pk in (first.pk, second.pk):
        raise RuleError("same_person", _("%(role)s不能是本人。") % {"role": role},
                        field=fields[0] if first.pk == exclude.pk else fields[1])
    return first, second


def month_text(month: Any) -> str:
    """A month field's value (the ``date`` of its first day) as the registers keep it."""
    return f"{month:%Y-%m}" if isinstance(month, dt.date) else str(month or "")
