"""The rolls of meetings: who was entitled to a meeting, computed from the portal's rosters.

A roll is never typed in (design.md, "Meetings and ballots"). Every ``MeetingRule`` of a
spec names a roll source (``MeetingRule.roll``); the source answers the roll of a village
on a day — the day the meeting was held — from the records the portal keeps:

- the engine's own sources read the memberships of core (who held which office on that
  day): the branch committee (支委会), the two committees (两委会), the villagers'
  committee (村(居)委会), the branch committee with the collective's council;
- the domains register theirs (party: the full members with voting rights of a 党员大会,
  a party group, all members; decisions: the villagers' representatives, the adult
  population and the households of a 村(居)民会议, the collective's members …), in the
  module their ``procedures`` package imports, so that the registry is full whenever
  specs are.

A roll has ``due`` (the number entitled to vote: the base of quorum and pass line),
``members`` (the named voters, ``None`` when the roll is a population figure),
``non_voting`` (named people who attend without a vote: probationary party members,
representatives invited to watch a ballot) and ``source``, what it was computed from in
words. Member values are ``"<roster>:<id>"`` (``user:12``, ``party_member:40``), so that
a roll made of two rosters never mixes their ids. No domain imports another: a roll
that needs another domain's roster asks this registry for that roster's roll.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from core.errors import RuleError
from core.models import Membership, Region
from core.places import kind_of, place_words
from core.roles import Role
from workflows.spec import Choice

# roll(village, day, narrow) -> the roll; ``narrow`` is the value of the field a rule names
# in ``MeetingRule.roll_by`` (e.g. which party group met), "" when it names none
RollFn = Callable[[Region, dt.date, str], "Roll"]


@dataclass(frozen=True)
class Roll:
    """Who was entitled to a meeting of ``body`` in a village on ``day``."""

    code: str  # the source's code
    body: str
    day: dt.date
    due: int
    source: str  # "党员名册(2026-11-02):正式党员7名"
    members: tuple[Choice, ...] | None = None  # the named voters; None for a figure
    non_voting: tuple[Choice, ...] = ()  # named, attend without a vote
    unit: str = "人"  # what ``due`` counts: "人", or "户" for households

    @property
    def named(self) -> bool:
        return self.members is not None

    def voters(self) -> set[str]:
        return {c.value for c in self.members or ()}

    def everyone(self) -> dict[str, str]:
        """Every named person of the roll, voter or not: value -> label."""
        return {c.value: str(c.label) for c in (*(self.members or ()), *self.non_voting)}

    def as_json(self) -> dict[str, Any]:
        """The roll as the API describes it (contract 5) and the event records it."""
        out: dict[str, Any] = {"body": self.body, "due": self.due, "source": self.source,
                               "code": self.code, "day": self.day.isoformat(),
                               "unit": self.unit}
        if self.members is not None:
            out["members"] = [{"value": c.value, "label": str(c.label)} for c in self.members]
        if self.non_voting:
            out["non_voting"] = [{"value": c.value, "label": str(c.label)}
                                 for c in self.non_voting]
        return out


@dataclass(frozen=True)
class RollSource:
    """A kind of roll a spec may name: ``code``, the body it is the roll of, who is due in
    words ("党员名册中的正式党员", shown beside the number), and the function."""

    code: str
    body: str
    due_text: str
    roll: RollFn


_SOURCES: dict[str, RollSource] = {}


def register_roll(source: RollSource) -> RollSource:
    known = _SOURCES.get(source.code)
    if known is not None and known != source:
        raise ValueError(f"roll source {source.code} registered twice")
    _SOURCES[source.code] = source
    return source


def roll_source(code: str) -> RollSource | None:
    return _SOURCES.get(code)


def roll_codes() -> list[str]:
    return sorted(_SOURCES)


def compute_roll(code: str, village: Region, day: dt.date, narrow: str = "") -> Roll:
    """The roll of source ``code`` for ``village`` on ``day`` (a refusal for an unknown
    source: a spec the lint passed never names one)."""
    source = _SOURCES.get(code)
    if source is None:
        raise RuleError("unknown_roll", (_("没有名为“%(code)s”的会议名册来源。")
                                         % {"code": code}))
    roll = source.roll(village, day, narrow)
    # in the words of the village or community (村民代表名册 / 居民代表名册)
    kind = kind_of(village)
    return replace(roll, body=place_words(roll.body, kind),
                   source=place_words(roll.source, kind))


# --- helpers for the sources ------------------------------------------------------------------


def day_text(day: dt.date) -> str:
    return day.isoformat()


def named_roll(code: str, body: str, day: dt.date, voters: Sequence[Choice], source: str,
               non_voting: Sequence[Choice] = ()) -> Roll:
    """A roll of named people: ``due`` is the number of voters."""
    voting = {c.value for c in voters}
    return Roll(code=code, body=body, day=day, due=len(voters), source=source,
                members=tuple(voters),
                non_voting=tuple(c for c in non_voting if c.value not in voting))


def figure_roll(code: str, body: str, day: dt.date, due: int, source: str,
                unit: str = "人") -> Roll:
    """A roll that is a number from a register (a population figure): nobody is named."""
    return Roll(code=code, body=body, day=day, due=due, source=source, members=None, unit=unit)


def office_holders(village: Region, day: dt.date, roles: Iterable[Role]
                   ) -> list[tuple[Choice, set[str]]]:
    """The people holding any of ``roles`` in ``village`` on ``day`` (the memberships of
    that day: cadres change at 换届), each once, with the roles held: ``user:<id>``."""
    wanted = [str(r) for r in roles]
    held: dict[int, tuple[str, list[str]]] = {}
    rows = (Membership.objects.active(on=day).filter(region=village, role__in=wanted)
            .values_list("user_id", "user__full_name", "user__username", "role"))
    for user_id, name, username, role in rows:
        entry = held.setdefault(user_id, (name or username, []))
        if role not in entry[1]:
            entry[1].append(role)
    order = {r: i for i, r in enumerate(wanted)}
    people = sorted(held.items(), key=lambda kv: (min(order[r] for r in kv[1][1]), kv[1][0],
                                                  kv[0]))
    out = []
    for user_id, (name, roles_held) in people:
        roles_held.sort(key=lambda r: order[r])
        labels = "、".join(str(Role(r).label) for r in roles_held)
        out.append((Choice(f"user:{user_id}", f"{name}({labels})"), set(roles_held)))
    return out


def _office_roll(code: str, body: str, due_text: str,
                 groups: tuple[tuple[str, tuple[Role, ...]], ...]) -> RollSource:
    """A roll of office-holders: the members of one or more committees on the day."""
    roles = tuple(r for _name, rs in groups for r in rs)

    def roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
        people = office_holders(village, day, roles)
        parts = []
        for name, group in groups:
            n = sum(1 for _c, held in people if held & {str(r) for r in group})
            parts.append(f"{name}{n}名")
        detail = "、".join(parts)
        if len(groups) > 1:
            detail = f"共{len(people)}人({detail},兼任的计一人)"
        return named_roll(code, body, day, [c for c, _held in people],
                          f"任职记录({day_text(day)}):{detail}")

    return register_roll(RollSource(code, body, due_text, roll))


BRANCH_COMMITTEE_ROLES = (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE)
VILLAGE_COMMITTEE_ROLES = (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER)

BRANCH_COMMITTEE = _office_roll(
    "branch_committee", "党支部委员会会议", "任职记录中的党支部委员",
    (("党支部委员", BRANCH_COMMITTEE_ROLES),))
VILLAGE_COMMITTEE = _office_roll(
    "village_committee", "村(居)民委员会会议", "任职记录中的村(居)委会成员",
    (("村(居)委会成员", VILLAGE_COMMITTEE_ROLES),))
TWO_COMMITTEES = _office_roll(
    "two_committees", "村(社区)两委会议", "任职记录中的党支部委员和村(居)委会成员",
    (("党支部委员", BRANCH_COMMITTEE_ROLES), ("村(居)委会成员", VILLAGE_COMMITTEE_ROLES)))
PARTY_AND_COUNCIL = _office_roll(
    "party_and_council", "党组织和集体经济组织理事会会议",
    "任职记录中的党支部委员和集体经济组织负责人",
    (("党支部委员", BRANCH_COMMITTEE_ROLES), ("集体经济组织负责人", (Role.COLLECTIVE_HEAD,))))
